import { APPI68_RULES } from './appi68.js';
import { ART6_CONTRACT_RULES } from './art06.js';
import { ART10_RULES } from './art10.js';
import { ART11_CONTRACT_RULES } from './art11.js';
import { ART12_RULES } from './art12.js';
import { ART15_RULES } from './art15.js';
import { ARTICLE_IDS, type ArticleId } from './articles.js';
import { RECORD_RULES } from './record-rules.js';
import type { RuleInfo } from './verdict.js';

/**
 * Every rule of docs/rulebook.md, in article order. `art15.report-overdue` is judged both per
 * record and per contract, so it appears twice (scope `record`, then `contract`).
 */
export const RULES: readonly RuleInfo[] = Object.freeze(
  ARTICLE_IDS.flatMap((article: ArticleId) => [
    ...((RECORD_RULES as Record<string, { rules: readonly RuleInfo[] }>)[article]?.rules ?? []),
    ...[...ART6_CONTRACT_RULES, ...ART10_RULES, ...ART11_CONTRACT_RULES, ...ART12_RULES, ...ART15_RULES, ...APPI68_RULES].filter((r) => r.article === article),
  ]),
);
