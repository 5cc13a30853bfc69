/**
 * The two forms a stored event's text takes in the PostgreSQL store's `canonical` column: the
 * full stored form (the producer's event and the ledger's metadata members, RFC 8785 canonical
 * JSON, what the leaf hash covers), or the compact form, the producer's event alone, whose
 * metadata lives in the row's columns. Pure functions shared by the store (which decides the form
 * at append) and the verifier (which rebuilds the hashed text).
 */

/** The ledger's metadata members of a stored event, as the columns give them back. */
export interface StoredMetadata {
  streamId: string;
  streamVersion: number;
  position: number;
  recordedAt: string;
  prevHash: string | null;
}

/** The metadata member names, in canonical (UTF-16 code unit) order. */
export const STORED_METADATA_KEYS = ['position', 'prevHash', 'recordedAt', 'streamId', 'streamVersion'] as const;

/** Whether a stored text is the full stored form (it holds the ledger's `position` member) rather than the producer's event alone. */
export function isFullStoredForm(stored: Record<string, unknown>): boolean {
  return Object.prototype.hasOwnProperty.call(stored, 'position');
}

/**
 * The full stored form (the hashed text) of a compact stored text and the metadata columns, byte
 * for byte: each metadata member goes in before the first top-level member that sorts after it,
 * and nothing else of the text is touched (so a changed byte still changes the hash). Null when
 * the text is not one JSON object, or holds a metadata member already (a full form: use it as it
 * is). The verifier's fast path does the same on the row's bytes (libs/audit stored-row-match.ts).
 */
export function spliceMetadata(text: string, meta: StoredMetadata): string | null {
  const members = topLevelMembers(text);
  if (members === null) return null;
  const inserted: Array<[string, string]> = [
    ['position', `"position":${meta.position}`],
    ['prevHash', `"prevHash":${meta.prevHash === null ? 'null' : JSON.stringify(meta.prevHash)}`],
    ['recordedAt', `"recordedAt":${JSON.stringify(meta.recordedAt)}`],
    ['streamId', `"streamId":${JSON.stringify(meta.streamId)}`],
    ['streamVersion', `"streamVersion":${meta.streamVersion}`],
  ];
  const pieces: string[] = [];
  let next = 0;
  for (const member of members) {
    if ((STORED_METADATA_KEYS as readonly string[]).includes(member.key)) return null;
    while (next < inserted.length && inserted[next]![0] < member.key) pieces.push(inserted[next++]![1]);
    pieces.push(text.slice(member.start, member.end));
  }
  while (next < inserted.length) pieces.push(inserted[next++]![1]);
  return `{${pieces.join(',')}}`;
}

/**
 * The top-level members of a JSON object text as [start, end) ranges of `"key":value`, with each
 * key decoded; null unless the text is exactly one object (no space around it or between its
 * members: the stored text is canonical JSON, and a text that is not fails its hash anyway).
 */
function topLevelMembers(text: string): Array<{ key: string; start: number; end: number }> | null {
  if (text.length < 2 || text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125) return null;
  const members: Array<{ key: string; start: number; end: number }> = [];
  if (text.length === 2) return members;
  let at = 1;
  while (at < text.length - 1) {
    const start = at;
    if (text.charCodeAt(at) !== 34) return null;
    const keyEnd = stringEnd(text, at);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== 58) return null;
    let key: string;
    try {
      key = JSON.parse(text.slice(at, keyEnd)) as string;
    } catch {
      return null;
    }
    // The value: up to the comma or brace at depth 0 that ends it.
    let depth = 0;
    at = keyEnd + 1;
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 34) {
        at = stringEnd(text, at);
        if (at < 0) return null;
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) break;
        depth--;
      } else if (c === 44 && depth === 0) break;
      at++;
    }
    if (at >= text.length || at === keyEnd + 1 || (text.charCodeAt(at) !== 44 && text.charCodeAt(at) !== 125)) return null;
    members.push({ key, start, end: at });
    if (text.charCodeAt(at) === 125) return at === text.length - 1 ? members : null;
    at++;
  }
  return null;
}

/** The index just after the JSON string starting at `at` (a quote), or −1 when it does not close. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}
