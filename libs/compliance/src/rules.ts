import { ART4_RULES } from './art04.js';
import { ART6_RULES } from './art06.js';
import { ART7_RULES } from './art07.js';
import { ART8_RULES } from './art08.js';
import { ART9_RULES } from './art09.js';
import { ART10_RULES } from './art10.js';
import { ART11_RULES } from './art11.js';
import { ART12_RULES } from './art12.js';
import { ART13_RULES } from './art13.js';
import { ART14_RULES } from './art14.js';
import { ART15_RULES } from './art15.js';
import { ART17_RULES } from './art17.js';
import { ART18_RULES } from './art18.js';
import type { RuleInfo } from './verdict.js';

/**
 * Every rule of docs/rulebook.md, in article order. `art15.report-overdue` is judged both per
 * record and per contract, so it appears twice (scope `record`, then `contract`).
 */
export const RULES: readonly RuleInfo[] = Object.freeze([
  ...ART4_RULES,
  ...ART6_RULES,
  ...ART7_RULES,
  ...ART8_RULES,
  ...ART9_RULES,
  ...ART10_RULES,
  ...ART11_RULES,
  ...ART12_RULES,
  ...ART13_RULES,
  ...ART14_RULES,
  ...ART15_RULES,
  ...ART17_RULES,
  ...ART18_RULES,
]);

/** Articles judged per record, and per contract, in order. */
export const RECORD_ARTICLES: readonly string[] = ['4', '6', '7', '8', '9', '11', '13', '14', '15', '17', '18'];
export const CONTRACT_ARTICLES: readonly string[] = ['6', '10', '11', '12', '15'];
