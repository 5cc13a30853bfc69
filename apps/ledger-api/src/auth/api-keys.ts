import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ID_PATTERN, isParty, PARTY_RULE, type ContractScope, type Party } from '@ledger/domain';

export type Role = 'feed' | 'officer' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['feed', 'officer', 'auditor', 'admin'];

/**
 * Which roles a role includes. Roles do not mix with writing: only `feed` appends, and nothing
 * else grants it, so whoever manages keys or reads cannot also write history. An auditor does what
 * an officer does; an admin manages keys and reads what an auditor reads.
 */
const INCLUDES: { readonly [R in Role]: readonly Role[] } = {
  feed: ['feed'],
  officer: ['officer'],
  auditor: ['auditor', 'officer'],
  admin: ['admin', 'auditor', 'officer'],
};

export function roleAllows(held: Role, required: Role): boolean {
  return INCLUDES[held].includes(required);
}

/**
 * Who called: the key's role, its party and the contracts it covers, and a random public ID of the
 * key (never derived from the secret). What other parts of the service read to decide (scope
 * guard, append authority, access log, the city-wide log endpoints).
 */
export interface Principal {
  keyId: string;
  role: Role;
  party: Party;
  contracts: ContractScope;
}

/** A key of the city for every contract: what admin keys must be, and what city-wide reads need. */
export function isCityWide(principal: Pick<Principal, 'party' | 'contracts'>): boolean {
  return principal.party === 'city' && principal.contracts === 'all';
}

/** What a key may be: an admin manages every party's keys, so it is the city's, for all contracts. */
export function keyShapeProblem(role: Role, party: Party, contracts: ContractScope): string | null {
  if (role === 'admin' && !isCityWide({ party, contracts })) return 'an admin key manages every party\'s keys: it must be a city key for all contracts';
  return null;
}

/** A bootstrap key as LEDGER_API_KEYS (or a test) gives it. */
export interface KeySpec {
  secret: string;
  role: Role;
  party?: Party;
  contracts?: ContractScope;
  label?: string;
}

export class ApiKeyFormatError extends Error {}

/** Secrets below this estimate are refused (docs/security.md "Key handling"). */
export const MIN_SECRET_BITS = 80;

/**
 * A conservative estimate of a secret's entropy in bits, meant to catch guessable secrets (words,
 * counting digits, repeated characters), not to bless a strong one: each character counts only if
 * it neither repeats nor continues the previous one (a, b, c / 3, 2, 1), at the smaller of the
 * bits its character classes allow and the text's own Shannon entropy per character.
 * `openssl rand -base64 32` scores about 190; `feed-secret-0123456789` about 45.
 */
export function secretStrengthBits(secret: string): number {
  const chars = [...secret];
  if (chars.length === 0) return 0;
  let pool = 0;
  if (/[a-z]/.test(secret)) pool += 26;
  if (/[A-Z]/.test(secret)) pool += 26;
  if (/[0-9]/.test(secret)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(secret)) pool += 33;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let shannon = 0;
  for (const n of counts.values()) shannon -= (n / chars.length) * Math.log2(n / chars.length);
  let effective = 0;
  for (let i = 0; i < chars.length; i++) {
    const step = i === 0 ? Number.NaN : chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!;
    if (!(step === 0 || step === 1 || step === -1)) effective++;
  }
  return effective * Math.min(Math.log2(pool), shannon);
}

/**
 * Parses LEDGER_API_KEYS: entries separated by commas, each `secret:role` (a city key for all
 * contracts, as in v1) optionally followed by `;`-separated attributes:
 *
 *   secret:role[;party=contractor:<id>][;contracts=<id>+<id>…][;label=<text>]
 *
 * e.g. `Xy…:feed;party=contractor:okayama-systems;contracts=okayama-kaigo-2025+okayama-kaigo-2026`.
 * A secret holds no `,` `;` or white space, and must be strong (secretStrengthBits ≥ 80). Errors
 * name the entry by its number, never by its secret.
 */
export function parseApiKeys(text: string): KeySpec[] {
  const entries = text.split(',').map((pair) => pair.trim()).filter((pair) => pair.length > 0);
  return entries.map((entry, i) => {
    const fail = (message: string): never => {
      throw new ApiKeyFormatError(`LEDGER_API_KEYS entry ${i + 1}: ${message}`);
    };
    const [head, ...attributes] = entry.split(';');
    const at = head!.lastIndexOf(':');
    const secret = head!.slice(0, at);
    const role = head!.slice(at + 1).trim() as Role;
    if (at <= 0 || !ROLES.includes(role)) fail(`must be secret:role[;party=…][;contracts=…][;label=…] with role one of ${ROLES.join(', ')}`);
    if (/\s/.test(secret)) fail('a secret holds no white space');
    if (secret.length < 16) fail('a secret must have at least 16 characters');
    if (secretStrengthBits(secret) < MIN_SECRET_BITS) {
      fail(`the secret is too easy to guess (about ${Math.floor(secretStrengthBits(secret))} bits; at least ${MIN_SECRET_BITS} are needed): generate one with \`openssl rand -base64 32\``);
    }
    const spec: KeySpec = { secret, role, party: 'city', contracts: 'all' };
    const seen = new Set<string>();
    for (const attribute of attributes) {
      const eq = attribute.indexOf('=');
      const name = attribute.slice(0, eq).trim();
      const value = attribute.slice(eq + 1).trim();
      if (eq <= 0 || seen.has(name)) fail(`attribute ${JSON.stringify(attribute.slice(0, 40))} must be one of party=…, contracts=…, label=…, each once`);
      seen.add(name);
      if (name === 'party') {
        if (!isParty(value)) fail(`party must be ${PARTY_RULE}`);
        spec.party = value as Party;
      } else if (name === 'contracts') {
        const ids = value.split('+').map((id) => id.trim());
        if (value === '*') spec.contracts = 'all';
        else if (ids.length === 0 || ids.some((id) => !ID_PATTERN.test(id))) fail('contracts must be * or contract IDs joined by +');
        else spec.contracts = [...new Set(ids)];
      } else if (name === 'label') {
        if (value.length === 0 || value.length > 100) fail('label must be 1-100 characters');
        spec.label = value;
      } else {
        fail(`unknown attribute ${JSON.stringify(name)}: use party, contracts or label`);
      }
    }
    const problem = keyShapeProblem(spec.role, spec.party!, spec.contracts!);
    if (problem !== null) fail(problem);
    return spec;
  });
}

export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A fresh key ID: 64 random bits, so nothing about a secret can be learnt from where its ID is shown. */
export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

/** A bootstrap key as the admin API lists it. */
export interface BootstrapKeyView extends Principal {
  label: string;
}

/** A managed key as the registry holds it (from the database). */
export interface ManagedKeyEntry {
  digest: Buffer;
  principal: Principal;
  /** Epoch ms after which the key is refused; null: never. */
  expiresAt: number | null;
  /** After a rotation: the old secret's digest, accepted until validUntil (the grace period). */
  previous: { digest: Buffer; validUntil: number } | null;
}

interface BootstrapEntry {
  digest: Buffer;
  principal: Principal;
  label: string;
}

const NO_MATCH = Buffer.alloc(32);

/**
 * The keys the service accepts. Secrets are kept only as SHA-256 digests and compared in constant
 * time against every digest held (no early exit): the time of an answer does not depend on which
 * key nearly matched, nor on whether a key is unknown or was revoked (a revoked key is simply not
 * held, so both take the very same path and get the very same answer).
 */
export class ApiKeyRegistry {
  private readonly bootstrap: BootstrapEntry[];
  private managed: ManagedKeyEntry[] = [];

  constructor(keys: readonly KeySpec[]) {
    this.bootstrap = keys.map((key, i) => ({
      digest: digest(key.secret),
      principal: { keyId: newKeyId(), role: key.role, party: key.party ?? 'city', contracts: key.contracts ?? 'all' },
      label: key.label ?? `bootstrap ${key.role} key ${i + 1}`,
    }));
  }

  /** The bootstrap keys' public IDs (they cannot be revoked through the API). */
  bootstrapKeys(): BootstrapKeyView[] {
    return this.bootstrap.map((e) => ({ ...e.principal, label: e.label }));
  }

  /** The bootstrap keys' digests, to give each a persistent random ID (ApiKeyStore). */
  bootstrapDigests(): Buffer[] {
    return this.bootstrap.map((e) => e.digest);
  }

  /** Gives the bootstrap keys their IDs, by digest (hex). */
  setBootstrapIds(ids: ReadonlyMap<string, string>): void {
    for (const entry of this.bootstrap) {
      const id = ids.get(entry.digest.toString('hex'));
      if (id !== undefined) entry.principal = { ...entry.principal, keyId: id };
    }
  }

  /** Replaces the keys an admin manages (loaded from the database). */
  setManaged(entries: ManagedKeyEntry[]): void {
    this.managed = entries;
  }

  authenticate(secret: string, now: number): Principal | null {
    return this.authenticateDigest(digest(secret), now);
  }

  /** As `authenticate`, by the secret's digest (a console session keeps only that: auth/console-sessions.ts). */
  authenticateDigest(presented: Buffer, now: number): Principal | null {
    let found: Principal | null = null;
    for (const entry of this.bootstrap) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.principal;
    }
    for (const entry of this.managed) {
      const current = timingSafeEqual(entry.digest, presented);
      const previous = timingSafeEqual(entry.previous?.digest ?? NO_MATCH, presented) && now < (entry.previous?.validUntil ?? 0);
      const live = entry.expiresAt === null || now < entry.expiresAt;
      if ((current || previous) && live) found = entry.principal;
    }
    return found;
  }
}

/**
 * Without LEDGER_API_KEYS a newcomer still needs keys: one random key per role is generated once
 * into <data dir>/api-keys.env (mode 600), to be `source`d by the README's examples. They are
 * city keys for all contracts.
 */
export async function bootstrapKeys(configured: string | undefined, dataDir: string, log: (line: string) => void): Promise<KeySpec[]> {
  if (configured) return parseApiKeys(configured);
  const file = path.join(dataDir, 'api-keys.env');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    await fs.mkdir(dataDir, { recursive: true });
    text = ROLES.map((role) => `LEDGER_${role.toUpperCase()}_KEY=${role}-${randomBytes(24).toString('base64url')}\n`).join('');
    await fs.writeFile(file, text, { mode: 0o600 });
  }
  log(`LEDGER_API_KEYS is not set: using the keys in ${file} (source it to use them)`);
  return text
    .split('\n')
    .map((line) => /^LEDGER_([A-Z]+)_KEY=(.+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ role: m[1]!.toLowerCase() as Role, secret: m[2]!, label: `generated ${m[1]!.toLowerCase()} key` }))
    .filter((k) => ROLES.includes(k.role));
}
