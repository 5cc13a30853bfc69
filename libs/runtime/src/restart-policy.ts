/**
 * How supervised processes come back (the API under `npm start`, the worker process under the
 * API): after 1 s, then twice as long after each quick death in a row, up to 30 s. A process that
 * ran longer than STABLE_RUN_MS before dying starts the count again.
 */
export const STABLE_RUN_MS = 60_000;

export function restartDelayMs(restartsInARow: number): number {
  return Math.min(30_000, 1_000 * 2 ** restartsInARow);
}
