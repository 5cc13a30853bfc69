/**
 * Where a tool run next to the service finds its key and URL: LEDGER_<ROLE>_KEY, else a key of
 * that role in LEDGER_API_KEYS, else the api-keys.env the service generated in LEDGER_DATA_DIR
 * (default ./.ledger-data); the URL from LEDGER_URL, else localhost on PORT (default 3000).
 */
import fs from 'node:fs';
import path from 'node:path';

export function serviceKey(roles: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null {
  for (const role of roles) {
    const direct = env[`LEDGER_${role.toUpperCase()}_KEY`];
    if (direct) return direct;
  }
  if (env.LEDGER_API_KEYS) {
    const pairs = env.LEDGER_API_KEYS.split(',').map((p) => p.trim());
    for (const role of roles) {
      for (const pair of pairs) {
        const at = pair.lastIndexOf(':');
        if (pair.slice(at + 1) === role) return pair.slice(0, at);
      }
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
