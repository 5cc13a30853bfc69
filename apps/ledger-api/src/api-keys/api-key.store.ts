import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { NotFoundError } from '@ledger/domain';
import { digest, keyIdOf, type ApiKeyRegistry, type KeyEntry, type Role } from '../auth/api-keys.js';

export interface ManagedKey {
  keyId: string;
  role: Role;
  label: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface KeyRow {
  key_id: string;
  role: Role;
  label: string;
  digest: Buffer;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

function toManaged(row: KeyRow): ManagedKey {
  return {
    keyId: row.key_id,
    role: row.role,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
  };
}

/**
 * Keys an admin creates and revokes, kept as SHA-256 digests in PostgreSQL. The registry that
 * authenticates requests is refreshed after every change here and every few seconds (other API
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
    const entries: KeyEntry[] = rows.map((row) => ({ digest: row.digest, principal: { role: row.role, keyId: row.key_id } }));
    this.registry.setManaged(entries);
  }

  /** Loads the keys, then keeps them current every `intervalMs`. */
  async follow(intervalMs = 5_000): Promise<void> {
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
  async create(role: Role, label: string, createdBy: string): Promise<ManagedKey & { secret: string }> {
    const secret = `${role}-${randomBytes(24).toString('base64url')}`;
    const { rows } = await this.pool.query<KeyRow>(
      `INSERT INTO api_keys (key_id, role, label, digest, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [keyIdOf(secret), role, label, digest(secret), new Date(this.clock()), createdBy],
    );
    await this.refresh();
    return { ...toManaged(rows[0]!), secret };
  }

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
