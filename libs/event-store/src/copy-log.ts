import type { RecordedEvent } from '@ledger/domain';
import { CompactRange } from '@ledger/integrity';
import type { EventStore, ExpectedVersion } from './event-store.port.js';
import { encodeStoredEvent } from './stored-event.js';

/**
 * Copies one event log into another through the port, in position order, so that the copy holds
 * the same stored events, the same leaf hashes and therefore the same Merkle root: the log of a
 * PostgreSQL deployment moved into EventStoreDB (or back) keeps every checkpoint and proof valid.
 *
 * The only thing a store assigns that the port cannot pass in is recordedAt, which is hashed: the
 * target is opened with a clock the copier sets to each source event's recordedAt before it
 * appends it (a store never moves recordedAt backwards, and the source's are non-decreasing).
 * Positions, stream versions and prevHash follow from appending in the source's order, which the
 * copier checks on every append (expected versions per stream, then position, version and hash of
 * each answer).
 *
 * Resumable: the copy starts after the target's head, once the target's last event is checked to
 * be the source's event at that position. Interrupted (Ctrl-C, a crash, a lost connection), it is
 * run again.
 */
export interface CopyLogOptions {
  source: EventStore;
  target: EventStore;
  /** Sets the clock the target store was opened with (epoch ms). */
  setTargetClock(ms: number): void;
  /** Events read from the source per page. */
  batchSize?: number;
  /** Called after each append to the target, with the target's head and the source's head. */
  onProgress?(copied: number, total: number): void;
  /** Stops the copy between appends; the report then says complete: false. */
  signal?: AbortSignal;
}

export interface LogComparison {
  /** Leaves compared (positions 1 … leaves). */
  leaves: number;
  /** Hex Merkle roots (RFC 6962) over the leaf hashes in position order. */
  sourceRoot: string;
  targetRoot: string;
  /** First position whose stored event differs, or null. */
  firstMismatch: number | null;
  identical: boolean;
}

export interface CopyLogReport {
  /** The target's head when the copy started (0: from the beginning; more: a resumed copy). */
  resumedFrom: number;
  /** Events appended to the target by this run. */
  copied: number;
  sourceHead: number;
  complete: boolean;
  /** Present when the copy completed. */
  comparison?: LogComparison;
}

export class CopyLogError extends Error {}

export async function copyLog(options: CopyLogOptions): Promise<CopyLogReport> {
  const { source, target } = options;
  const batchSize = options.batchSize ?? 1_000;
  const sourceHead = await source.headPosition();
  const resumedFrom = await target.headPosition();
  if (resumedFrom > sourceHead) {
    throw new CopyLogError(`the target holds ${resumedFrom} events, more than the source's ${sourceHead}: it is not a copy of this source`);
  }
  if (resumedFrom > 0) {
    const [theirs] = await target.readAll({ after: resumedFrom - 1, limit: 1 });
    const [ours] = await source.readAll({ after: resumedFrom - 1, limit: 1 });
    if (!theirs || !ours || theirs.hash !== ours.hash) {
      throw new CopyLogError(`the target's event at position ${resumedFrom} is not the source's: it is not a copy of this source`);
    }
  }
  let cursor = resumedFrom;
  options.onProgress?.(cursor, sourceHead);
  while (cursor < sourceHead) {
    if (options.signal?.aborted) return { resumedFrom, copied: cursor - resumedFrom, sourceHead, complete: false };
    const page = await source.readAll({ after: cursor, limit: Math.min(batchSize, sourceHead - cursor) });
    if (page.length === 0) throw new CopyLogError(`the source has no event after position ${cursor} though its head was ${sourceHead}`);
    for (const run of runsOfSameRecordedAt(page)) {
      if (options.signal?.aborted) return { resumedFrom, copied: cursor - resumedFrom, sourceHead, complete: false };
      options.setTargetClock(Date.parse(run[0]!.recordedAt));
      const appended = await target.append(
        run.map((e) => e.event),
        { expectedVersions: expectedVersionsOf(run) },
      );
      appended.forEach((a, i) => {
        const want = run[i]!;
        if (a.status !== 'appended' || a.position !== want.position || a.streamVersion !== want.streamVersion || a.hash !== want.hash) {
          throw new CopyLogError(
            `the target stored position ${want.position} as ${a.status} at position ${a.position}, version ${a.streamVersion}, hash ${a.hash.slice(0, 12)}…; ` +
              `the source has version ${want.streamVersion}, hash ${want.hash.slice(0, 12)}…`,
          );
        }
      });
      cursor = run[run.length - 1]!.position;
      options.onProgress?.(cursor, sourceHead);
    }
  }
  const comparison = await compareLogs(source, target, sourceHead, batchSize);
  return { resumedFrom, copied: cursor - resumedFrom, sourceHead, complete: true, comparison };
}

/**
 * Reads both logs up to `head` side by side: each target event must be the source's at the same
 * position (same stored event, so the same leaf hash), and its hash must be the one recomputed from
 * what the target stores; then the Merkle roots of both, computed independently, are compared.
 */
export async function compareLogs(source: EventStore, target: EventStore, head: number, batchSize = 1_000): Promise<LogComparison> {
  const sourceTree = CompactRange.empty();
  const targetTree = CompactRange.empty();
  let firstMismatch: number | null = null;
  for (let after = 0; after < head; ) {
    const limit = Math.min(batchSize, head - after);
    const [ours, theirs] = await Promise.all([source.readAll({ after, limit }), target.readAll({ after, limit })]);
    if (ours.length === 0) throw new CopyLogError(`the source has no event after position ${after}`);
    ours.forEach((s, i) => {
      const t = theirs[i];
      const position = after + i + 1;
      if (firstMismatch === null && (!t || !sameStoredEvent(s, t, position))) firstMismatch = position;
      sourceTree.append(Buffer.from(s.hash, 'hex'));
      if (t) targetTree.append(Buffer.from(t.hash, 'hex'));
    });
    after += ours.length;
  }
  const sourceRoot = sourceTree.root().toString('hex');
  const targetRoot = targetTree.root().toString('hex');
  return { leaves: head, sourceRoot, targetRoot, firstMismatch, identical: firstMismatch === null && sourceRoot === targetRoot };
}

function sameStoredEvent(s: RecordedEvent, t: RecordedEvent, position: number): boolean {
  if (s.position !== position || t.position !== position || s.hash !== t.hash) return false;
  const recomputed = encodeStoredEvent(t.event, t).hash.toString('hex');
  return recomputed === t.hash;
}

/** Consecutive events sharing one recordedAt (one commit of the source): one append each. */
function runsOfSameRecordedAt(page: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of page) {
    const run = runs[runs.length - 1];
    if (run && run[0]!.recordedAt === event.recordedAt) run.push(event);
    else runs.push([event]);
  }
  return runs;
}

/** For each stream of the run, the version it must be at before the run's first event of it. */
function expectedVersionsOf(run: readonly RecordedEvent[]): Map<string, ExpectedVersion> {
  const expected = new Map<string, ExpectedVersion>();
  for (const e of run) {
    if (!expected.has(e.streamId)) expected.set(e.streamId, e.streamVersion === 0 ? 'no_stream' : e.streamVersion - 1);
  }
  return expected;
}
