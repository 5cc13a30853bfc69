/**
 * Where a tool run next to the service finds its key and URL: LEDGER_<ROLE>_KEY, else a key of
 * that role in LEDGER_API_KEYS, else the api-keys.env the service generated in LEDGER_DATA_DIR
 * (default ./.ledger-data); the URL from LEDGER_URL, else localhost on PORT (default 3000).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface KeyWanted {
  /** Only a key of the city for every contract (no party other than city, no contract scope). */
  cityWide?: boolean;
}

/**
 * A key of the first of `roles` found. LEDGER_API_KEYS entries are
 * `secret:role[;party=…][;contracts=…][;label=…]` (docs/security.md).
 */
export function serviceKey(roles: readonly string[], env: NodeJS.ProcessEnv = process.env, wanted: KeyWanted = {}): string | null {
  for (const role of roles) {
    const direct = env[`LEDGER_${role.toUpperCase()}_KEY`];
    if (direct) return direct;
  }
  if (env.LEDGER_API_KEYS) {
    const entries = env.LEDGER_API_KEYS.split(',').map((entry) => {
      const [head = '', ...attributes] = entry.trim().split(';');
      const at = head.lastIndexOf(':');
      const cityWide = attributes.every((a) => a.startsWith('label=') || a === 'party=city' || a === 'contracts=*');
      return { secret: head.slice(0, at), role: head.slice(at + 1), cityWide };
    });
    for (const role of roles) {
      const found = entries.find((e) => e.role === role && (!wanted.cityWide || e.cityWide));
      if (found) return found.secret;
    }
  }
  try {
    const text = fs.readFileSync(path.resolve(env.LEDGER_DATA_DIR || './.ledger-data', 'api-keys.env'), 'utf8');
    for (const role of roles) {
      const m = new RegExp(`^LEDGER_${role.toUpperCase()}_KEY=(.+)$`, 'm').exec(text);
      if (m) return m[1]!.trim();
    }
  } catch {
    // no generated keys here
  }
  return null;
}

export function serviceUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.LEDGER_URL || `http://localhost:${env.PORT || 3000}`;
}
