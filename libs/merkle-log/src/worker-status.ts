/**
 * The shape apps/ledger-api's BackgroundWorker reports on /health, restated here so the library
 * does not depend on the app (structural typing makes the workers below BackgroundWorkers).
 */
export interface LogWorkerStatus {
  name: string;
  state: 'starting' | 'running' | 'stopped' | 'failed';
  position: number;
  lagEvents: number;
  lagSeconds: number;
  error?: string;
}
