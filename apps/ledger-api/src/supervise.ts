/**
 * What `npm start` runs: the API (main.ts) in a child process, started again when it dies
 * (crash, out of memory, a kill), with the backoff of libs/runtime restart-policy. The API's heap
 * is capped (LEDGER_API_HEAP_MB, default 256) so that a runaway answer ends in a restart, never in
 * a machine out of memory. Ctrl-C / SIGTERM stop the API cleanly and then this process. If the API
 * cannot start at all the first time (bad configuration), that is reported and not retried.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { integerSetting, restartDelayMs, STABLE_RUN_MS } from '@ledger/runtime';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js');
const log = (line: string): void => console.log(`[supervisor] ${line}`);

const heapMb = integerSetting(process.env, 'LEDGER_API_HEAP_MB', 256, 64, 65_536);
/**
 * The young generation's semi-spaces: 8 MB rather than V8's 16 keeps the worst case within the
 * 300 MB budget (measured: 16 MB peaks at 302 MB, 32 MB at 371 MB), at a cost in CPU under ingest
 * (batches of 1,000: the API's CPU per event ≈ 20 % lower with 32 MB). A machine with the memory
 * to spare may raise it (docs/operations.md "Memory budget").
 */
const semiSpaceMb = integerSetting(process.env, 'LEDGER_API_SEMI_SPACE_MB', 8, 1, 256);
/** V8's flags for the API (docs/operations.md "Memory budget"): the old space capped, the semi-spaces above. */
const API_NODE_FLAGS = [`--max-old-space-size=${heapMb}`, `--max-semi-space-size=${semiSpaceMb}`];
let child: ChildProcess | null = null;
let stopping = false;
let everListened = false;
let restarts = 0;

function start(): void {
  const startedAt = Date.now();
  const api = fork(MAIN, process.argv.slice(2), {
    execArgv: API_NODE_FLAGS,
    // Two malloc arenas: the bodies' buffers are freed from one thread, and more arenas only keep
    // freed memory resident (unless the operator chose otherwise).
    env: { MALLOC_ARENA_MAX: '2', ...process.env },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child = api;
  api.on('message', (message: { type?: string } | null) => {
    if (message?.type === 'ledger-api-listening') {
      everListened = true;
      log(`API process ${api.pid} is serving`);
    }
  });
  api.on('exit', (code, signal) => {
    child = null;
    if (stopping) process.exit(code ?? 0);
    if (!everListened) {
      log(`the API could not start (exit ${signal ?? code}); not restarting it`);
      process.exit(code || 1);
    }
    if (Date.now() - startedAt > STABLE_RUN_MS) restarts = 0;
    const delay = restartDelayMs(restarts++);
    log(`the API process exited (${signal ?? `code ${code}`}); starting it again in ${delay / 1000} s`);
    setTimeout(start, delay);
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    if (child) child.kill(signal);
    else process.exit(0);
  });
}

start();
