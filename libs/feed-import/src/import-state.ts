/**
 * The state file of an import: how far the rows are acknowledged by the ledger (or refused and
 * reported), so that --resume continues after a crash, a kill or Ctrl-C. Written whole and renamed
 * into place after every acknowledged batch; it names the file and mapping it belongs to.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

export interface ImportCounts {
  rows: number;
  appended: number;
  duplicate: number;
  refusedRows: number;
}

export interface ImportState {
  version: 1;
  input: { path: string; size: number; mtimeMs: number; headSha256: string };
  mappingSha256: string;
  /** Data rows (after the header) that are done: acknowledged, or refused and in the report. */
  rowsDone: number;
  report: { path: string; bytes: number; lines: number };
  counts: ImportCounts;
  updatedAt: string;
}

/** What ties a state file to one input file: its size, time and first MiB. */
export async function fingerprint(file: string): Promise<ImportState['input']> {
  const stat = await fs.stat(file);
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(stat.size, 1024 * 1024));
    await handle.read(head, 0, head.length, 0);
    return { path: file, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs), headSha256: createHash('sha256').update(head).digest('hex') };
  } finally {
    await handle.close();
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function readState(file: string): Promise<ImportState | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as ImportState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`the state file ${file} cannot be read (${(error as Error).message}); delete it to start over`, { cause: error });
  }
}

export async function writeState(file: string, state: ImportState): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await fs.rename(temporary, file);
}

export async function removeState(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
