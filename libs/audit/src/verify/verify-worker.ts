/**
 * Worker thread of the full-log verifier: verifies chunks it is sent on its own PostgreSQL
 * connections, so two cores hash and parse while PostgreSQL streams rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { copyRows } from './copy-rows.js';
import { fetchLeafTiles } from './log-rows.js';
import { verifyChunk, type ChunkTask } from './verify-chunk.js';

interface WorkerData {
  databaseUrl: string;
}

const port = parentPort;
if (port === null) throw new Error('verify-worker must run in a worker thread');
// Its own connection, one: a chunk's tiles are read, then its rows streamed. Each further
// connection costs a PostgreSQL backend's start and a SCRAM exchange (≈ 40–50 ms of CPU on each side
// here), for nothing: the worker checks one chunk at a time.
const pool = new pg.Pool({ connectionString: (workerData as WorkerData).databaseUrl, max: 1 });
// An idle connection the server closes is replaced on the next query; a query's own error is reported.
pool.on('error', () => undefined);
const source = { copyRows: copyRows.bind(null, pool), leafTiles: fetchLeafTiles.bind(null, pool) };

port.on('message', (message: { id: number; task: ChunkTask } | { stop: true }) => {
  if ('stop' in message) {
    void pool.end().finally(() => port.close());
    return;
  }
  void (async () => {
    try {
      const result = await verifyChunk(source, message.task, (rows) => port.postMessage({ id: message.id, rows }));
      port.postMessage({ id: message.id, result });
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
