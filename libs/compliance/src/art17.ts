import { judgeBriefing } from './art04.js';
import type { ArticleResult, RecordContext } from './context.js';
import type { RuleInfo } from './verdict.js';

/** Article 17: workers are told of the penalties for mishandling (法第176条, 第180条). */
export const ART17_RULES: readonly RuleInfo[] = [
  {
    id: 'art17.worker-not-briefed',
    article: '17',
    scope: 'record',
    kind: 'violation',
    title: { ja: '罰則の周知を受けていない業務従事者による取扱い', en: 'Handling by a worker not briefed on penalties' },
  },
];

export function judgeArt17(ctx: RecordContext): ArticleResult {
  return judgeBriefing(ctx, 'penalties', 'art17.worker-not-briefed', '17');
}
