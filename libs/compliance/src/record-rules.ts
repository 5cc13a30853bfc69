import { ART3 } from './art03.js';
import { ART4 } from './art04.js';
import { ART5 } from './art05.js';
import { ART6 } from './art06.js';
import { ART7 } from './art07.js';
import { ART8 } from './art08.js';
import { ART9 } from './art09.js';
import { ART11 } from './art11.js';
import { ART13 } from './art13.js';
import { ART14 } from './art14.js';
import { ART17 } from './art17.js';
import { ART18 } from './art18.js';
import type { RecordArticle } from './articles.js';
import type { RecordRule } from './context.js';

export type { RecordRule } from './context.js';

/**
 * Every record article's rule fold, keyed by article: the compiler holds it to the list of
 * articles (a record article without its rule, or a rule for another article, breaks the build).
 * Article 15's record rules read the contract and every other article's findings, so the fold
 * engine judges them itself (art15.ts, art15-breach.ts): its entry here only carries its state.
 */
export const RECORD_RULES: { readonly [A in RecordArticle]: RecordRule<unknown> } = {
  '3': ART3 as RecordRule<unknown>,
  '4': ART4 as RecordRule<unknown>,
  '5': ART5 as RecordRule<unknown>,
  '6': ART6 as RecordRule<unknown>,
  '7': ART7 as RecordRule<unknown>,
  '8': ART8 as RecordRule<unknown>,
  '9': ART9 as RecordRule<unknown>,
  '11': ART11 as RecordRule<unknown>,
  '13': ART13 as RecordRule<unknown>,
  '14': ART14 as RecordRule<unknown>,
  '15': { article: '15', rules: [], init: () => null },
  '17': ART17 as RecordRule<unknown>,
  '18': ART18 as RecordRule<unknown>,
};
