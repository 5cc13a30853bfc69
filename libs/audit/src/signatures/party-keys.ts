/**
 * Parties' signing keys and the check of a signed event (EVENTS.md v2 "Signed events"), shared by
 * the ledger's append path, the full-log verifier, the audit bundle and its offline verifier.
 * Offline and pure: no database, no clock (the moment to judge a key at is an argument).
 */
import type { KeyObject } from 'node:crypto';
import { ed25519PublicKeyFromBase64, verifyEventSignature } from '@ledger/integrity';
import { isParty, KEY_ID_PATTERN, type EventSignatureRef, type Party } from '@ledger/domain';

/** A party's registered public key and the interval in which it may sign. */
export interface PartyKey {
  /** Chosen by the ledger at registration (16 random hex digits); events name it in `signature.keyId`. */
  keyId: string;
  party: Party;
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** RFC 3339 UTC: the key signs events recorded at or after this moment … */
  validFrom: string;
  /** … and before this one (exclusive): set when the key is rotated or revoked; null while it is current. */
  validUntil: string | null;
}

export type SignatureFault = 'unknown-key' | 'wrong-party' | 'not-valid-then' | 'bad-signature';

export type SignatureVerdict = { ok: true; key: PartyKey } | { ok: false; fault: SignatureFault; message: string };

/** Why a value is not a PartyKey (null: it is one). */
export function partyKeyShapeProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not an object';
  const k = value as Record<string, unknown>;
  const keys = Object.keys(k).sort().join(',');
  if (keys !== 'keyId,party,publicKey,validFrom,validUntil') return `it has the members ${keys}, expected keyId, party, publicKey, validFrom, validUntil`;
  if (typeof k.keyId !== 'string' || !KEY_ID_PATTERN.test(k.keyId)) return 'keyId is not 16 lowercase hex digits';
  if (!isParty(k.party)) return `party ${JSON.stringify(k.party)} is neither city nor contractor:<id>`;
  if (typeof k.publicKey !== 'string' || ed25519PublicKeyFromBase64(k.publicKey) === null) return 'publicKey is not a base64 32-byte Ed25519 key';
  if (typeof k.validFrom !== 'string' || Number.isNaN(Date.parse(k.validFrom))) return 'validFrom is not a time';
  if (k.validUntil !== null && (typeof k.validUntil !== 'string' || Number.isNaN(Date.parse(k.validUntil)))) return 'validUntil is neither null nor a time';
  return null;
}

/** Keys by ID, each public key decoded once. */
export class PartyKeyring {
  private readonly byId = new Map<string, { key: PartyKey; object: KeyObject | null; from: number; until: number }>();

  constructor(keys: readonly PartyKey[]) {
    for (const key of keys) {
      this.byId.set(key.keyId, {
        key,
        object: ed25519PublicKeyFromBase64(key.publicKey),
        from: Date.parse(key.validFrom),
        until: key.validUntil === null ? Number.POSITIVE_INFINITY : Date.parse(key.validUntil),
      });
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(keyId: string): PartyKey | undefined {
    return this.byId.get(keyId)?.key;
  }

  /**
   * Whether the event's signature is the acting party's: a key of that party, valid at `atMs`
   * (the event's recordedAt; the moment of the append for the ledger), whose signature verifies.
   * `actingParty` null: the contract's contractor is not known, so no contractor key can match.
   */
  check(event: { signature?: EventSignatureRef }, actingParty: Party | null, atMs: number): SignatureVerdict {
    const signature = event.signature!;
    const entry = this.byId.get(signature.keyId);
    if (entry === undefined) return { ok: false, fault: 'unknown-key', message: `it is signed with key ${signature.keyId}, which is not a registered signing key` };
    if (entry.key.party !== actingParty) {
      return {
        ok: false,
        fault: 'wrong-party',
        message: `it is signed with key ${signature.keyId} of ${entry.key.party}, but the event is stated by ${actingParty ?? "the contract's contractor"}`,
      };
    }
    if (!(atMs >= entry.from && atMs < entry.until)) {
      return {
        ok: false,
        fault: 'not-valid-then',
        message: `it is signed with key ${signature.keyId}, valid from ${entry.key.validFrom} ${entry.key.validUntil === null ? 'on' : `until ${entry.key.validUntil}`}, not at ${new Date(atMs).toISOString()}`,
      };
    }
    if (entry.object === null || !verifyEventSignature(event as { signature: EventSignatureRef }, entry.object)) {
      return { ok: false, fault: 'bad-signature', message: `its signature does not verify with key ${signature.keyId}: the event was altered after it was signed, or signed with another key` };
    }
    return { ok: true, key: entry.key };
  }
}

/**
 * The keys an auditor trusts: the ones pinned out of band (from the parties themselves) where
 * given, checked against the ones a bundle or the ledger carries. A carried key that differs from
 * its pinned copy is a problem; a carried key not pinned is left out (events signed with it fail
 * as `unknown-key`); a pinned key's validity interval, when the pin leaves it out, is taken from
 * the carried copy.
 */
export function pinnedKeyring(carried: readonly PartyKey[], pinned: ReadonlyArray<Partial<PartyKey> & Pick<PartyKey, 'keyId' | 'party' | 'publicKey'>> | null): { keyring: PartyKeyring; problems: string[] } {
  if (pinned === null) return { keyring: new PartyKeyring(carried), problems: [] };
  const problems: string[] = [];
  const byId = new Map(carried.map((k) => [k.keyId, k]));
  const trusted: PartyKey[] = [];
  for (const pin of pinned) {
    const copy = byId.get(pin.keyId);
    if (copy !== undefined && (copy.publicKey !== pin.publicKey || copy.party !== pin.party)) {
      problems.push(`signing key ${pin.keyId} differs from the one you pinned (pinned: ${pin.party} ${pin.publicKey}; carried: ${copy.party} ${copy.publicKey}): the key registry was altered`);
    }
    trusted.push({
      keyId: pin.keyId,
      party: pin.party,
      publicKey: pin.publicKey,
      validFrom: pin.validFrom ?? copy?.validFrom ?? new Date(0).toISOString(),
      validUntil: pin.validUntil !== undefined ? pin.validUntil : (copy?.validUntil ?? null),
    });
  }
  return { keyring: new PartyKeyring(trusted), problems };
}

/** Reads a pinned-keys file: a JSON array of {keyId, party, publicKey[, validFrom, validUntil]}; throws naming the bad entry. */
export function parsePinnedKeys(text: string): Array<Partial<PartyKey> & Pick<PartyKey, 'keyId' | 'party' | 'publicKey'>> {
  const parsed: unknown = JSON.parse(text);
  const list = Array.isArray(parsed) ? parsed : (parsed as { signingKeys?: unknown } | null)?.signingKeys;
  if (!Array.isArray(list)) throw new Error('pinned keys must be a JSON array of {keyId, party, publicKey} (or an object with such a "signingKeys" array)');
  return list.map((entry: unknown, i) => {
    const filled = { validFrom: new Date(0).toISOString(), validUntil: null, ...(entry as object) };
    const problem = partyKeyShapeProblem(filled);
    if (problem !== null) throw new Error(`pinned key ${i + 1}: ${problem}`);
    return entry as PartyKey;
  });
}
