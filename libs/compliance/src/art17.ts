import { briefingRule } from './art04.js';

/** Article 17: workers are told of the penalties for mishandling (法第176条, 第180条). */
export const ART17 = briefingRule('17', 'penalties', 'art17.worker-not-briefed', {
  ja: '罰則の周知を受けていない業務従事者による取扱い',
  en: 'Handling by a worker not briefed on penalties',
});
