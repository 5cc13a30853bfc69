import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type Role = 'feed' | 'officer' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['feed', 'officer', 'auditor', 'admin'];

/** Which roles a role includes: an auditor does what an officer does; an admin does everything. */
const INCLUDES: { readonly [R in Role]: readonly Role[] } = {
  feed: ['feed'],
  officer: ['officer'],
  auditor: ['auditor', 'officer'],
  admin: ['admin', 'auditor', 'officer', 'feed'],
};

export function roleAllows(held: Role, required: Role): boolean {
  return INCLUDES[held].includes(required);
}

/** Who called: the key's role and a short public ID of the key (never the secret). */
export interface Principal {
  role: Role;
  keyId: string;
}

export interface KeyEntry {
  digest: Buffer;
  principal: Principal;
}

export class ApiKeyFormatError extends Error {}

/** Parses LEDGER_API_KEYS: `secret:role` pairs separated by commas. */
export function parseApiKeys(text: string): Array<{ secret: string; role: Role }> {
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0)
    .map((pair, i) => {
      const at = pair.lastIndexOf(':');
      const secret = pair.slice(0, at);
      const role = pair.slice(at + 1) as Role;
      if (at <= 0 || !ROLES.includes(role)) {
        throw new ApiKeyFormatError(`LEDGER_API_KEYS entry ${i + 1} must be secret:role with role one of ${ROLES.join(', ')}`);
      }
      if (secret.length < 16) {
        throw new ApiKeyFormatError(`LEDGER_API_KEYS entry ${i + 1}: a secret must have at least 16 characters`);
      }
      return { secret, role };
    });
}

export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A key's public ID: the first 8 bytes of its SHA-256, safe to log and to show in the access log. */
export function keyIdOf(secret: string): string {
  return digest(secret).subarray(0, 8).toString('hex');
}

/**
 * The keys the service accepts. Secrets are kept only as SHA-256 digests and compared in constant
 * time against every key (no early exit), so timing tells nothing about which key nearly matched.
 */
export class ApiKeyRegistry {
  private readonly bootstrap: KeyEntry[] = [];
  private managed: KeyEntry[] = [];

  constructor(keys: ReadonlyArray<{ secret: string; role: Role }>) {
    for (const { secret, role } of keys) this.bootstrap.push({ digest: digest(secret), principal: { role, keyId: keyIdOf(secret) } });
  }

  /** The bootstrap keys' public IDs (they cannot be revoked through the API). */
  bootstrapKeys(): Principal[] {
    return this.bootstrap.map((e) => e.principal);
  }

  /** Replaces the keys an admin manages (loaded from the database). */
  setManaged(entries: KeyEntry[]): void {
    this.managed = entries;
  }

  authenticate(secret: string): Principal | null {
    const presented = digest(secret);
    let found: Principal | null = null;
    for (const entry of this.bootstrap) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.principal;
    }
    for (const entry of this.managed) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.principal;
    }
    return found;
  }
}

/**
 * Without LEDGER_API_KEYS a newcomer still needs keys: one random key per role is generated once
 * into <data dir>/api-keys.env (mode 600), to be `source`d by the README's examples.
 */
export async function bootstrapKeys(
  configured: string | undefined,
  dataDir: string,
  log: (line: string) => void,
): Promise<Array<{ secret: string; role: Role }>> {
  if (configured) return parseApiKeys(configured);
  const file = path.join(dataDir, 'api-keys.env');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    await fs.mkdir(dataDir, { recursive: true });
    text = ROLES.map((role) => `LEDGER_${role.toUpperCase()}_KEY=${role}-${randomBytes(18).toString('base64url')}\n`).join('');
    await fs.writeFile(file, text, { mode: 0o600 });
  }
  log(`LEDGER_API_KEYS is not set: using the keys in ${file} (source it to use them)`);
  return text
    .split('\n')
    .map((line) => /^LEDGER_([A-Z]+)_KEY=(.+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ role: m[1]!.toLowerCase() as Role, secret: m[2]! }))
    .filter((k) => ROLES.includes(k.role));
}
