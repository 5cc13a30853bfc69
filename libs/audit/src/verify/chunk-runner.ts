import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { copyRows } from './copy-rows.js';
import { fetchLeafTiles } from './log-rows.js';
import { verifyChunk, type ChunkResult, type ChunkTask } from './verify-chunk.js';

/** Runs chunk tasks, inline or on worker threads, and yields their results in task order. */
export interface ChunkRunner {
  run(tasks: readonly ChunkTask[], onRows: (rows: number) => void, shouldStop: () => boolean): AsyncGenerator<ChunkResult>;
  close(): Promise<void>;
}

/** Chunks verified one after the other on the caller's connection (tests, small logs). */
export function inlineRunner(db: pg.Pool): ChunkRunner {
  const source = { copyRows: copyRows.bind(null, db), leafTiles: fetchLeafTiles.bind(null, db) };
  return {
    async *run(tasks, onRows, shouldStop) {
      for (const task of tasks) {
        if (shouldStop()) return;
        yield await verifyChunk(source, task, onRows);
      }
    },
    async close() {},
  };
}

/**
 * `jobs` threads: this one (on `db`, the caller's pool) and jobs − 1 worker threads, each with its
 * own connection, each one task at a time: the rows of a chunk stream while the thread checks
 * them, so a second task in flight has nothing to overlap, and the next chunk goes to whichever
 * thread is free first. This thread takes chunks too rather than wait for the workers: a worker
 * costs ≈ 0.3–0.4 s of CPU to start (its isolate, the verifier's modules, a connection), and this
 * thread has its modules loaded and its connection open already.
 */
export function workerRunner(databaseUrl: string, jobs: number, workerUrl: URL, db: pg.Pool): ChunkRunner {
  const here = { copyRows: copyRows.bind(null, db), leafTiles: fetchLeafTiles.bind(null, db) };
  let hereDone: Promise<void> = Promise.resolve();
  // A young generation of 3 × 64 MB (as --max-semi-space-size=64): every row makes short-lived
  // strings, and with V8's default the scavenger costs the verifier about a sixth of its time.
  const resourceLimits = { maxYoungGenerationSizeMb: 192 };
  const workers = Array.from({ length: jobs - 1 }, () => new Worker(workerUrl, { workerData: { databaseUrl }, resourceLimits }));
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  for (const worker of workers) {
    worker.on('error', (error) => {
      failure ??= error;
      wake?.();
    });
  }
  return {
    async *run(tasks, onRows, shouldStop) {
      const results = new Map<number, ChunkResult>();
      let nextTask = 0;
      const inFlight = new Map<Worker, number>();
      const dispatch = (worker: Worker): void => {
        while ((inFlight.get(worker) ?? 0) < 1 && nextTask < tasks.length && !shouldStop()) {
          const id = nextTask++;
          inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
          worker.postMessage({ id, task: tasks[id] });
        }
      };
      // This thread's share: between its rows, the workers' messages are handled as they come.
      hereDone = (async () => {
        while (nextTask < tasks.length && !shouldStop() && failure === null) {
          const id = nextTask++;
          try {
            results.set(id, await verifyChunk(here, tasks[id]!, onRows));
          } catch (error) {
            failure ??= error instanceof Error ? error : new Error(String(error));
          }
          wake?.();
        }
      })();
      for (const worker of workers) {
        worker.on('message', (message: { id: number; rows?: number; result?: ChunkResult; error?: string }) => {
          if (message.rows !== undefined) {
            onRows(message.rows);
            return;
          }
          inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
          if (message.error !== undefined) failure ??= new Error(message.error);
          else results.set(message.id, message.result!);
          wake?.();
          dispatch(worker);
        });
        dispatch(worker);
      }
      for (let id = 0; id < tasks.length; id++) {
        while (!results.has(id)) {
          if (failure) throw failure;
          if (id >= nextTask) return; // stopped dispatching
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
        const result = results.get(id)!;
        results.delete(id);
        yield result;
      }
    },
    async close() {
      await hereDone;
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 2_000);
              worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              worker.postMessage({ stop: true });
            }),
        ),
      );
    },
  };
}
