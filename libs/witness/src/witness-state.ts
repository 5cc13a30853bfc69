import fs from 'node:fs/promises';
import path from 'node:path';
import { LogKeyring, parseVerifierKey, type WitnessedLog } from '@ledger/integrity';

/** A refused, validly signed checkpoint: evidence of a log's misbehaviour (tlog-witness allows keeping it). */
export interface WitnessEvidence {
  /** When it was received (ISO 8601). */
  at: string;
  origin: string;
  status: number;
  reason: string;
  /** The add-checkpoint body as received. */
  request: string;
}

interface StateFile {
  format: 'okayama-handling-ledger/witness-state';
  version: 1;
  logs: WitnessedLog[];
  evidence: WitnessEvidence[];
}

/** Evidence entries kept (the newest); older ones are dropped so the file stays small. */
const MAX_EVIDENCE = 100;

/** A log this witness is told to witness: its origin and the public key it trusts for it. */
export interface WitnessedLogConfig {
  origin: string;
  publicKey: string;
}

/**
 * The witness's memory, one JSON file: per log, its keys (with rotations learned from rotation
 * checkpoints) and the latest checkpoint it cosigned; and the evidence it refused. Written by a
 * temporary file, fsync and rename, so a crash leaves the old state or the new one, never a mix;
 * the server persists before it answers (tlog-witness requires it).
 */
export class WitnessState {
  private constructor(
    readonly file: string,
    private state: StateFile,
  ) {}

  /** Opens (or creates) the state file and adds the configured logs it does not know yet. */
  static async open(file: string, configured: readonly WitnessedLogConfig[]): Promise<WitnessState> {
    let state: StateFile;
    try {
      state = JSON.parse(await fs.readFile(file, 'utf8')) as StateFile;
      if (state.format !== 'okayama-handling-ledger/witness-state' || state.version !== 1 || !Array.isArray(state.logs)) {
        throw new Error(`${file} is not a witness state file (version 1)`);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      state = { format: 'okayama-handling-ledger/witness-state', version: 1, logs: [], evidence: [] };
    }
    const witness = new WitnessState(path.resolve(file), state);
    let changed = !(await exists(file));
    for (const log of configured) {
      parseVerifierKey(log.publicKey);
      const known = state.logs.find((l) => l.origin === log.origin);
      if (!known) {
        state.logs.push({ origin: log.origin, keys: new LogKeyring([log.publicKey], log.origin).toJSON(), size: 0, rootHash: null, checkpoint: null });
        changed = true;
      } else if (!known.keys.some((k) => k.publicKey === log.publicKey.trim())) {
        // A configured key the state does not know (e.g. given by the operator after a rotation
        // this witness did not see): trusted from now on, from the current size.
        const keys = [...known.keys, { publicKey: log.publicKey.trim(), fromSize: known.size, untilSize: null, introducedBy: null }];
        state.logs[state.logs.indexOf(known)] = { ...known, keys };
        changed = true;
      }
    }
    if (changed) await witness.write();
    return witness;
  }

  logs(): Map<string, WitnessedLog> {
    return new Map(this.state.logs.map((log) => [log.origin, log]));
  }

  evidence(): readonly WitnessEvidence[] {
    return this.state.evidence;
  }

  /** Replaces a log's state and persists it before returning. */
  async commit(log: WitnessedLog): Promise<void> {
    const logs = this.state.logs.map((l) => (l.origin === log.origin ? log : l));
    await this.replace({ ...this.state, logs });
  }

  async recordEvidence(entry: WitnessEvidence): Promise<void> {
    await this.replace({ ...this.state, evidence: [...this.state.evidence, entry].slice(-MAX_EVIDENCE) });
  }

  private async replace(next: StateFile): Promise<void> {
    const previous = this.state;
    this.state = next;
    try {
      await this.write();
    } catch (error) {
      this.state = previous;
      throw error;
    }
  }

  private async write(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const handle = await fs.open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(this.state, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, this.file);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
