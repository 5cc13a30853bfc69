/**
 * The deepest nesting a body may have, checked on its bytes before JSON.parse recurses into it:
 * {"events": [{"data": {"term": {…}}}]} is 5 levels, and no field of the wire contract goes deeper.
 */
export const MAX_JSON_DEPTH = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the JSON text nests `{`/`[` deeper than `max`, counting only outside strings. Linear,
 * no recursion; strings are skipped by searching for their closing quote. Malformed text may give
 * either answer: JSON.parse refuses it next anyway. Every reader of JSON bodies asks it (one body,
 * or one NDJSON line at a time).
 */
export function nestingExceeds(bytes: Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      let end = i;
      for (;;) {
        end = bytes.indexOf(QUOTE, end + 1);
        if (end < 0) return false;
        let backslashes = 0;
        while (bytes[end - 1 - backslashes] === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = end;
    } else if (b === 0x7b || b === 0x5b) {
      if (++depth > max) return true;
    } else if (b === 0x7d || b === 0x5d) {
      depth--;
    }
  }
  return false;
}
