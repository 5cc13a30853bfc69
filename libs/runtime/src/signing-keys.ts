import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { PartyKey } from '@ledger/audit';
import { InvalidRequestError, NotFoundError, type Party } from '@ledger/domain';
import { ed25519PublicKeyFromBase64 } from '@ledger/integrity';

/** A registered signing key as the admin API shows it: the PartyKey and its history. */
export interface SigningKeyRecord extends PartyKey {
  label: string;
  /** Why its interval ended: a rotation (replacedBy names the successor) or a revocation. */
  ended: 'rotated' | 'revoked' | null;
  replacedBy: string | null;
  createdAt: string;
  createdBy: string;
  endedBy: string | null;
}

interface Row {
  key_id: string;
  party: Party;
  public_key: string;
  label: string;
  valid_from: Date;
  valid_until: Date | null;
  ended: 'rotated' | 'revoked' | null;
  replaced_by: string | null;
  created_at: Date;
  created_by: string;
  ended_by: string | null;
}

function toRecord(row: Row): SigningKeyRecord {
  return {
    keyId: row.key_id,
    party: row.party,
    publicKey: row.public_key,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until?.toISOString() ?? null,
    label: row.label,
    ended: row.ended,
    replacedBy: row.replaced_by,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    endedBy: row.ended_by,
  };
}

export function toPartyKey(record: SigningKeyRecord): PartyKey {
  const { keyId, party, publicKey, validFrom, validUntil } = record;
  return { keyId, party, publicKey, validFrom, validUntil };
}

/**
 * The parties' Ed25519 public keys (table signing_keys): registered, rotated and revoked by the
 * city's admin, never deleted. Each key signs events recorded in [validFrom, validUntil); a rotation
 * or revocation closes the interval at that moment, so events signed before still verify.
 */
export class SigningKeyStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => number,
  ) {}

  /** Every key, for the full-log verifier. */
  async all(): Promise<PartyKey[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM signing_keys ORDER BY key_id');
    return rows.map((row) => toPartyKey(toRecord(row)));
  }

  /** The keys of these parties and these IDs (what an audit bundle carries). */
  async find(query: { parties: readonly string[]; keyIds: readonly string[] }): Promise<PartyKey[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM signing_keys WHERE party = ANY($1) OR key_id = ANY($2) ORDER BY key_id', [
      [...query.parties],
      [...query.keyIds],
    ]);
    return rows.map((row) => toPartyKey(toRecord(row)));
  }

  async list(party?: string): Promise<SigningKeyRecord[]> {
    const { rows } = party === undefined
      ? await this.pool.query<Row>('SELECT * FROM signing_keys ORDER BY party, valid_from, key_id')
      : await this.pool.query<Row>('SELECT * FROM signing_keys WHERE party = $1 ORDER BY valid_from, key_id', [party]);
    return rows.map(toRecord);
  }

  async register(request: { party: Party; publicKey: string; label: string }, by: string): Promise<SigningKeyRecord> {
    const client = await this.pool.connect();
    try {
      return toRecord(await this.insert(client, request, new Date(this.clock()), by));
    } finally {
      client.release();
    }
  }

  /** A new key for the same party from now on; the old key's interval ends now (its events still verify). */
  async rotate(keyId: string, request: { publicKey: string; label?: string }, by: string): Promise<{ previous: SigningKeyRecord; current: SigningKeyRecord }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const old = await this.current(client, keyId);
      const now = new Date(this.clock());
      const current = await this.insert(client, { party: old.party, publicKey: request.publicKey, label: request.label ?? old.label }, now, by);
      const { rows } = await client.query<Row>(
        `UPDATE signing_keys SET valid_until = $2, ended = 'rotated', replaced_by = $3, ended_by = $4 WHERE key_id = $1 RETURNING *`,
        [keyId, now, current.key_id, by],
      );
      await client.query('COMMIT');
      return { previous: toRecord(rows[0]!), current: toRecord(current) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Ends the key's interval now: events recorded from now on signed with it are refused. */
  async revoke(keyId: string, by: string): Promise<SigningKeyRecord> {
    const client = await this.pool.connect();
    try {
      await this.current(client, keyId);
      const { rows } = await client.query<Row>(`UPDATE signing_keys SET valid_until = $2, ended = 'revoked', ended_by = $3 WHERE key_id = $1 RETURNING *`, [
        keyId,
        new Date(this.clock()),
        by,
      ]);
      return toRecord(rows[0]!);
    } finally {
      client.release();
    }
  }

  /** The key, which must exist and still be open (a closed interval is set once). */
  private async current(client: pg.PoolClient, keyId: string): Promise<Row> {
    const { rows } = await client.query<Row>('SELECT * FROM signing_keys WHERE key_id = $1 FOR UPDATE', [keyId]);
    const row = rows[0];
    if (!row) throw new NotFoundError(`no signing key ${keyId}`);
    if (row.valid_until !== null) {
      throw new InvalidRequestError([{ index: null, field: 'keyId', rule: 'open', message: `signing key ${keyId} was already ${row.ended ?? 'ended'} at ${row.valid_until.toISOString()}` }]);
    }
    return row;
  }

  private async insert(client: pg.PoolClient, request: { party: Party; publicKey: string; label: string }, now: Date, by: string): Promise<Row> {
    if (ed25519PublicKeyFromBase64(request.publicKey) === null) {
      throw new InvalidRequestError([{ index: null, field: 'publicKey', rule: 'ed25519', message: 'publicKey must be the base64 of a raw 32-byte Ed25519 public key' }]);
    }
    const taken = await client.query('SELECT key_id FROM signing_keys WHERE public_key = $1', [request.publicKey]);
    if (taken.rows.length > 0) {
      throw new InvalidRequestError([{ index: null, field: 'publicKey', rule: 'unique', message: 'this public key is already registered: generate a new key pair for a new key' }]);
    }
    const { rows } = await client.query<Row>(
      `INSERT INTO signing_keys (key_id, party, public_key, label, valid_from, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING *`,
      [randomBytes(8).toString('hex'), request.party, request.publicKey, request.label, now, by],
    );
    return rows[0]!;
  }
}
