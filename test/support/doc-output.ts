/**
 * Does a command's output still match what the doc shows? The doc was written on one ledger, the
 * test runs on another that holds other data, so what differs between two ledgers is ignored:
 *
 * - JSON (the doc shows one JSON value, or one per line, and the command printed as many): the
 *   same keys at every level and equal values, except under VOLATILE_KEYS (positions, tree sizes,
 *   times of recording, IDs and hashes the ledger assigns), where only the type must match; a
 *   string with `…` matches any string holding its other parts in order (`"…64 hex…"`, between
 *   two `…`, describes the value: any string).
 * - Text otherwise: the doc's text, cut at each `…`, must appear piece by piece in order in the
 *   output, after both went through VOLATILE_TEXT and lost their white space (the doc wraps lines
 *   the command does not).
 */
const VOLATILE_KEYS = new Set([
  'position', 'treeSize', 'leafIndex', 'seq', 'id', 'at', 'recordedAt', 'signedAt', 'timestamp',
  'keyId', 'hash', 'leafHash', 'prevHash', 'rootHash', 'proof', 'checkpoint', 'note', 'publicKey',
]);
/** Volatile where they are numbers: `to`, a tree size in a consistency proof (elsewhere a place). */
const VOLATILE_NUMBER_KEYS = new Set(['to']);

/** Volatile parts of text outputs and what replaces them, on both sides. */
const VOLATILE_TEXT: Array<[RegExp, string]> = [
  // the tree size line of a checkpoint note, after its origin (also inside a JSON string)
  [/(\/log)(\n|\\n)\d+(\n|\\n)/g, '$1$2<n>$3'],
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'],
  // an abbreviated base64 value in the doc (`Vo8Hym…`)
  [/(?<!\\)(?=[A-Za-z0-9+/]*\d)(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{4,}…/g, '<base64>…'],
  // base64 (roots, keys, signatures): long, with a digit and both cases, not after a `\n` escape
  [/(?<!\\)(?=[A-Za-z0-9+/]*\d)(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{20,}={0,2}/g, '<base64>'],
  [/\b[0-9a-f]{8,}\b/g, '<hex>'],
  // an abbreviated hex value in the doc (`9c1f…`)
  [/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{4,}…/g, '<hex>…'],
  // positions, tree sizes and checkpoint numbers, in the CLI's words and in JSON
  [/\b(first bad position|positions?|leaf|checkpoint|tree size|treeSize) (\d+)(–\d+)?/gi, '$1 <n>'],
  [/"(position|treeSize|leafIndex|seq|id|to)":\d+/g, '"$1":<n>'],
  [/^\| \d+ \| /gm, '| <n> | '], // the position column of a replay report's evidence
  [/\(#\d+\)/g, '(#<n>)'],
  [/\b(process|port) \d+/g, '$1 <n>'],
  // progress lines: done/total and a rate
  [/\b\d[\d,]*\/\d[\d,]* \(\d+\.\d%\) [\d,]+\/s/g, '<n>/<n> (<n>%) <n>/s'],
  [/（\d+ 件）/g, '（<n> 件）'],
  [/checkpoint \(\d+ events\)/g, 'checkpoint (<n> events)'],
];

export function normaliseText(text: string): string {
  return VOLATILE_TEXT.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text).replace(/\s+/g, '');
}

/** Why `actual` does not match the doc's `expected` output, or null when it does. */
export function outputMismatch(expected: string, actual: string): string | null {
  const docJson = jsonValues(expected);
  if (docJson) {
    const got = jsonValues(actual);
    if (!got) return 'the doc shows JSON, the command printed something else';
    if (got.length !== docJson.length) return `the doc shows ${docJson.length} JSON value(s), the command printed ${got.length}`;
    const problems = docJson.flatMap((value, i) => jsonDifferences(value, got[i], docJson.length > 1 ? `[line ${i + 1}]` : '$'));
    return problems.length > 0 ? problems.slice(0, 10).join('\n') : null;
  }
  const missing = missingPiece(normaliseText(expected).split('…'), normaliseText(actual));
  return missing === null ? null : `not found in the output (white space ignored, volatile parts normalised): ${missing}`;
}

/** The first of `pieces` not found, in order, in `text`; null when all are. */
function missingPiece(pieces: string[], text: string): string | null {
  let from = 0;
  for (const piece of pieces) {
    if (piece === '') continue;
    const at = text.indexOf(piece, from);
    if (at < 0) return piece;
    from = at + piece.length;
  }
  return null;
}

/** The text as one JSON value, or one per line; null when it is not JSON (e.g. abbreviated with `…`). */
function jsonValues(text: string): unknown[] | null {
  const trimmed = text.trim();
  if (!/^[[{"]/.test(trimmed)) return null;
  try {
    return [JSON.parse(trimmed)];
  } catch {
    try {
      return trimmed.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
    } catch {
      return null;
    }
  }
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function jsonDifferences(expected: unknown, actual: unknown, at: string): string[] {
  const key = at.slice(at.lastIndexOf('.') + 1);
  if (VOLATILE_KEYS.has(key) || (VOLATILE_NUMBER_KEYS.has(key) && typeof expected === 'number')) {
    return kind(expected) === kind(actual) ? [] : [`${at}: the doc shows a ${kind(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (typeof expected === 'string' && expected.includes('…')) {
    // "…" alone or "…64 hex…" describes a value; "52d38615-…" gives its known parts
    // as written (`"52d38615-…"`), or with volatile parts normalised (a checkpoint note's size)
    const matches = typeof actual === 'string' && (/^….*…$/s.test(expected) || missingPiece(expected.split('…'), actual) === null || missingPiece(normaliseText(expected).split('…'), normaliseText(actual)) === null);
    return matches ? [] : [`${at}: the doc shows ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (kind(expected) !== kind(actual)) return [`${at}: the doc shows ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  if (Array.isArray(expected)) {
    const got = actual as unknown[];
    if (got.length !== expected.length) return [`${at}: the doc shows ${expected.length} item(s), got ${got.length}: ${JSON.stringify(actual).slice(0, 300)}`];
    return expected.flatMap((e, i) => jsonDifferences(e, got[i], `${at}[${i}]`));
  }
  if (kind(expected) === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const missing = Object.keys(e).filter((k) => !(k in a));
    const extra = Object.keys(a).filter((k) => !(k in e));
    const shape = missing.length + extra.length > 0 ? [`${at}: keys ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `not in the doc ${extra.join(', ')}` : ''}`] : [];
    return [...shape, ...Object.keys(e).filter((k) => k in a).flatMap((k) => jsonDifferences(e[k], a[k], `${at}.${k}`))];
  }
  return expected === actual ? [] : [`${at}: the doc shows ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
