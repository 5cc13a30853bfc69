import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { InvalidRequestError, NotFoundError, type ContractScope, type Party } from '@ledger/domain';
import { digest, newKeyId, type ApiKeyRegistry, type ManagedKeyEntry, type Role } from '../auth/api-keys.js';

/** How long the old secret of a rotated key stays valid by default: a day, for feeds to redeploy. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 86_400;
/** The longest grace an admin may give (a week): a leaked old secret must not live on for long. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 86_400;

export interface ManagedKey {
  keyId: string;
  role: Role;
  label: string;
  party: Party;
  /** `all`, or the contract IDs the key covers. */
  contracts: ContractScope;
  /** After this moment the key is refused; null: it does not expire. */
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  rotatedAt: string | null;
  rotatedBy: string | null;
  /** After a rotation: until when the previous secret is still accepted. */
  previousSecretValidUntil: string | null;
}

export interface NewKey {
  role: Role;
  label: string;
  party: Party;
  contracts: ContractScope;
  expiresAt: number | null;
}

interface KeyRow {
  key_id: string;
  role: Role;
  label: string;
  digest: Buffer;
  party: Party;
  contracts: string[] | null;
  expires_at: Date | null;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  rotated_at: Date | null;
  rotated_by: string | null;
  previous_digest: Buffer | null;
  previous_valid_until: Date | null;
}

function toManaged(row: KeyRow): ManagedKey {
  return {
    keyId: row.key_id,
    role: row.role,
    label: row.label,
    party: row.party,
    contracts: row.contracts ?? 'all',
    expiresAt: row.expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
    rotatedAt: row.rotated_at?.toISOString() ?? null,
    rotatedBy: row.rotated_by,
    previousSecretValidUntil: row.previous_valid_until?.toISOString() ?? null,
  };
}

function newSecret(role: Role): string {
  return `${role}-${randomBytes(24).toString('base64url')}`;
}

/**
 * Keys an admin creates, rotates and revokes, kept as SHA-256 digests in PostgreSQL. The registry
 * that authenticates requests is refreshed after every change here and every few seconds (other API
 * processes' changes), so a revocation takes effect everywhere within that interval.
 */
export class ApiKeyStore {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly registry: ApiKeyRegistry,
    private readonly clock: () => number,
  ) {}

  async refresh(): Promise<void> {
    const { rows } = await this.pool.query<KeyRow>('SELECT * FROM api_keys WHERE revoked_at IS NULL');
    const entries: ManagedKeyEntry[] = rows.map((row) => ({
      digest: row.digest,
      principal: { keyId: row.key_id, role: row.role, party: row.party, contracts: row.contracts ?? 'all' },
      expiresAt: row.expires_at?.getTime() ?? null,
      previous: row.previous_digest && row.previous_valid_until ? { digest: row.previous_digest, validUntil: row.previous_valid_until.getTime() } : null,
    }));
    this.registry.setManaged(entries);
  }

  /**
   * Gives each bootstrap key a random ID the first time its secret is seen, remembered by the
   * secret's digest: the ID stays the same across restarts, and says nothing about the secret.
   */
  async assignBootstrapIds(): Promise<void> {
    const digests = this.registry.bootstrapDigests();
    if (digests.length === 0) return;
    for (const d of digests) {
      await this.pool.query('INSERT INTO bootstrap_api_keys (digest, key_id, first_seen_at) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING', [
        d,
        newKeyId(),
        new Date(this.clock()),
      ]);
    }
    const { rows } = await this.pool.query<{ digest: Buffer; key_id: string }>('SELECT digest, key_id FROM bootstrap_api_keys WHERE digest = ANY($1)', [digests]);
    this.registry.setBootstrapIds(new Map(rows.map((r) => [r.digest.toString('hex'), r.key_id])));
  }

  /** Loads the keys, then keeps them current every `intervalMs`. */
  async follow(intervalMs = 5_000): Promise<void> {
    await this.assignBootstrapIds();
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Nest calls this when the application closes. */
  onModuleDestroy(): void {
    this.stop();
  }

  async list(): Promise<ManagedKey[]> {
    const { rows } = await this.pool.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, key_id');
    return rows.map(toManaged);
  }

  /** Creates a key; its secret is returned here once and never stored. */
  async create(key: NewKey, createdBy: string): Promise<ManagedKey & { secret: string }> {
    const secret = newSecret(key.role);
    const { rows } = await this.pool.query<KeyRow>(
      `INSERT INTO api_keys (key_id, role, label, digest, created_at, created_by, party, contracts, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        newKeyId(),
        key.role,
        key.label,
        digest(secret),
        new Date(this.clock()),
        createdBy,
        key.party,
        key.contracts === 'all' ? null : [...key.contracts],
        key.expiresAt === null ? null : new Date(key.expiresAt),
      ],
    );
    await this.refresh();
    return { ...toManaged(rows[0]!), secret };
  }

  /**
   * A new secret for the same key (same ID, role, party, scope and expiry): the old secret stays
   * valid for `graceSeconds` so that feeds can switch without a gap, then only the new one works.
   * A second rotation within the grace ends the first old secret at once.
   */
  async rotate(keyId: string, graceSeconds: number, rotatedBy: string): Promise<ManagedKey & { secret: string }> {
    const now = this.clock();
    const { rows: existing } = await this.pool.query<KeyRow>('SELECT * FROM api_keys WHERE key_id = $1', [keyId]);
    const row = existing[0];
    if (!row) throw new NotFoundError(`no managed API key ${keyId}`);
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at.getTime() <= now)) {
      throw new InvalidRequestError([{ index: null, field: 'keyId', rule: 'active', message: `API key ${keyId} is ${row.revoked_at ? 'revoked' : 'expired'}: create a new key instead` }]);
    }
    const secret = newSecret(row.role);
    const { rows } = await this.pool.query<KeyRow>(
      `UPDATE api_keys SET previous_digest = digest, previous_valid_until = $2, digest = $3, rotated_at = $4, rotated_by = $5
       WHERE key_id = $1 AND revoked_at IS NULL RETURNING *`,
      [keyId, new Date(now + graceSeconds * 1000), digest(secret), new Date(now), rotatedBy],
    );
    if (rows.length === 0) throw new NotFoundError(`no managed API key ${keyId}`);
    await this.refresh();
    return { ...toManaged(rows[0]!), secret };
  }

  /** Revokes a key, its current and any previous secret, at once (in every API process within 5 s). */
  async revoke(keyId: string, revokedBy: string): Promise<ManagedKey> {
    const { rows } = await this.pool.query<KeyRow>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2), revoked_by = coalesce(revoked_by, $3) WHERE key_id = $1 RETURNING *`,
      [keyId, new Date(this.clock()), revokedBy],
    );
    if (rows.length === 0) throw new NotFoundError(`no managed API key ${keyId}`);
    await this.refresh();
    return toManaged(rows[0]!);
  }
}
