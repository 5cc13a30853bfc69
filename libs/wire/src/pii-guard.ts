/**
 * The personal-data guard of free-text labels (purpose, title, reason, method, data categories …).
 * The ledger can never erase what it stored, so a label that carries a person's My Number,
 * telephone number, e-mail address or postal address is refused at the door. What it cannot
 * recognise (a name, "岡山太郎さんの認定調査") is the producer's duty: docs/security.md
 * "Personal data in labels". Pure: unit-tested in pii-guard.spec.ts.
 */

/** The longest free label, in characters: a short code or phrase, never a narrative about a person. */
export const LABEL_MAX = 100;

/**
 * The characters a label may hold: letters and digits of any script (kanji, kana, Latin, full-width
 * forms), combining marks, the space and the ideographic space, and a few punctuation marks that
 * titles and codes need. Not `@` (e-mail), not `〒` (postal addresses), no quotes, brackets of
 * markup, or control characters.
 */
export const LABEL_CHARACTERS_RULE =
  "letters and digits of any script, spaces, and - _ . , : ; / ( ) & + ' # % ・ 、 。 「 」 『 』 （ ） ［ ］ 【 】 ー 〜 ～ －";
const LABEL_CHARACTERS = /^[\p{L}\p{M}\p{N} \u3000\-_.,:;/()&+'#%・、。「」『』（）［］【】ー〜～－]*$/u;

export type PersonalDataRule = 'myNumber' | 'phoneNumber' | 'email' | 'postalAddress';

export interface PersonalDataFinding {
  rule: PersonalDataRule;
  /** What it looks like, for the 400's message (never the value itself: it may be personal). */
  looksLike: string;
}

/**
 * Whether 12 digits are an individual number (My Number): the last digit is the check digit of
 * the first eleven (番号法施行令 第8条): with P(n) the n-th digit counted from the right of the
 * first eleven and Q(n) = n + 1 for n ≤ 6, n − 5 for n ≥ 7, the check digit is
 * 11 − (Σ P(n)·Q(n) mod 11), or 0 when that remainder is 0 or 1.
 */
export function isMyNumber(digits: string): boolean {
  if (!/^[0-9]{12}$/.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = digits.charCodeAt(11 - n) - 48;
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const remainder = sum % 11;
  const check = remainder <= 1 ? 0 : 11 - remainder;
  return check === digits.charCodeAt(11) - 48;
}

// Separators people put between digit groups: hyphens and dashes of every width, the katakana
// prolonged-sound mark typed for a hyphen, spaces, dots and parentheses.
const SEPARATOR = '[\\-‐‑‒–—―−ー－ \\u3000.()（）]';
const DIGIT_RUN = new RegExp(`\\+?[(（]?[0-9]+(?:${SEPARATOR}{1,2}[0-9]+)*`, 'gu');
const MAY_HOLD_PERSONAL_DATA = /[0-9０-９@＠]/;
const EMAIL = /[^\s@＠]+[@＠][^\s@＠]+\.[^\s@＠.]{2,}/u;
const POSTAL_ADDRESS = /(?:〒\s*[0-9]{3}[-ー－]?[0-9]{4}|[0-9]{3}[-ー－][0-9]{4})[\s\u3000,、]*(?!ー)\p{L}/u;

/**
 * The first kind of personal data the text looks like, or null. Full-width digits and signs are
 * read as their ASCII forms (NFKC) first, so `０９０－１２３４－５６７８` is a telephone number too.
 */
export function findPersonalData(text: string): PersonalDataFinding | null {
  // Every pattern needs a digit or an at sign (in ASCII or full width): most labels have neither.
  if (!MAY_HOLD_PERSONAL_DATA.test(text)) return null;
  const normalized = text.normalize('NFKC');
  if (EMAIL.test(normalized)) return { rule: 'email', looksLike: 'an e-mail address' };
  for (const match of normalized.matchAll(DIGIT_RUN)) {
    const run = match[0];
    const digits = run.replace(/[^0-9]/g, '');
    if (digits.length === 12 && isMyNumber(digits)) return { rule: 'myNumber', looksLike: 'an individual number (My Number: 12 digits with a valid check digit)' };
    if (isPhoneNumber(run, digits)) return { rule: 'phoneNumber', looksLike: 'a telephone number' };
  }
  if (POSTAL_ADDRESS.test(normalized)) return { rule: 'postalAddress', looksLike: 'a postal code followed by an address' };
  return null;
}

/**
 * Japanese numbers: a trunk prefix 0 and 10 or 11 digits in all (03-1234-5678, 086-123-4567,
 * 090-1234-5678, 0120-123-456, 0862345678); international: + and 8 to 15 digits (+81 86 123 4567).
 */
function isPhoneNumber(run: string, digits: string): boolean {
  if (run.startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  return digits.startsWith('0') && (digits.length === 10 || digits.length === 11);
}

export interface LabelProblem {
  rule: PersonalDataRule | 'labelCharacters';
  message: string;
}

/** What is wrong with a free label (null: nothing). Length is checked by its own rule (MaxLength). */
export function labelProblem(field: string, value: string): LabelProblem | null {
  const found = findPersonalData(value);
  if (found !== null) {
    return {
      rule: found.rule,
      message:
        `${field} looks like ${found.looksLike}: the ledger never stores personal data, and what it stores it can never erase. ` +
        'Send a code or a pseudonymous ID instead (docs/security.md "Personal data in labels")',
    };
  }
  if (!LABEL_CHARACTERS.test(value)) {
    return { rule: 'labelCharacters', message: `${field} may hold only ${LABEL_CHARACTERS_RULE}` };
  }
  return null;
}
