/**
 * Worker thread of the full-log verifier: verifies chunks it is sent on its own PostgreSQL
 * connection, so two cores hash and parse while PostgreSQL streams rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { fetchLeafHashes, fetchRows } from './log-rows.js';
import { verifyChunk, type ChunkTask } from './verify-chunk.js';

interface WorkerData {
  databaseUrl: string;
}

const port = parentPort;
if (port === null) throw new Error('verify-worker must run in a worker thread');
const client = new pg.Client({ connectionString: (workerData as WorkerData).databaseUrl });
const connected = client.connect();
const source = { rows: fetchRows.bind(null, client), leafHashes: fetchLeafHashes.bind(null, client) };

port.on('message', (message: { id: number; task: ChunkTask } | { stop: true }) => {
  if ('stop' in message) {
    void client.end().finally(() => port.close());
    return;
  }
  void (async () => {
    try {
      await connected;
      const result = await verifyChunk(source, message.task, (rows) => port.postMessage({ id: message.id, rows }));
      port.postMessage({ id: message.id, result });
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
