import { parseCosignatureVerifierKey, type CosignatureVerifier } from '@ledger/integrity';

/** A witness the log asks for cosignatures: where it listens, and its public key (which names it). */
export interface WitnessEndpoint {
  /** Submission prefix: the log POSTs to `<url>/add-checkpoint`. */
  readonly url: string;
  readonly verifier: CosignatureVerifier;
}

/**
 * Parses LEDGER_WITNESSES: entries separated by commas or newlines, each `<url> <witness public key>`
 * (the key as `npm run cli -- witness --public-key` prints it; its name names the witness), e.g.
 * `http://127.0.0.1:7380 witness.city.okayama.example/ledger+1a2b3c4d+BM…`.
 */
export function parseWitnesses(text: string | undefined): WitnessEndpoint[] {
  if (text === undefined || text.trim() === '') return [];
  const witnesses = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry, i) => {
      const [url, key, ...rest] = entry.split(/\s+/);
      if (!url || !key || rest.length > 0) throw new Error(`LEDGER_WITNESSES entry ${i + 1} must be "<url> <witness public key>"`);
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new Error(`LEDGER_WITNESSES entry ${i + 1}: ${url} is not a URL`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`LEDGER_WITNESSES entry ${i + 1}: the URL must be http or https`);
      let verifier: CosignatureVerifier;
      try {
        verifier = parseCosignatureVerifierKey(key);
      } catch (error) {
        throw new Error(`LEDGER_WITNESSES entry ${i + 1}: not a witness public key: ${(error as Error).message}`, { cause: error });
      }
      return { url: url.replace(/\/+$/, ''), verifier };
    });
  const names = witnesses.map((w) => `${w.verifier.name}+${w.verifier.keyId}`);
  if (new Set(names).size !== names.length) throw new Error('LEDGER_WITNESSES names the same witness key twice');
  return witnesses;
}
