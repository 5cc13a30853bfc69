import { createHash } from 'node:crypto';

/** RFC 9562 UUID version 5: SHA-1 of the namespace's 16 bytes and the name's UTF-8 bytes. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 9562's namespace for URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * The namespace of imported events' IDs (docs/feed-import.md): fixed, so that a row imported again
 * (the same file, a corrected one, another machine) gets the same eventId and is a duplicate.
 */
export const IMPORT_NAMESPACE = uuidV5('urn:okayama-handling-ledger:feed-import:v1', URL_NAMESPACE);

/** The eventId of an imported row: UUIDv5 over the contract and the values of the row's identity columns. */
export function importedEventId(contractId: string, identity: readonly string[]): string {
  return uuidV5(JSON.stringify([contractId, ...identity]), IMPORT_NAMESPACE);
}
