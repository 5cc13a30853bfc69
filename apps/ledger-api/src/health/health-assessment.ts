import type { IntegrityFinding, IntegrityStatus } from '@ledger/merkle-log';
import type { HealthThresholds, ReplicaStatus, WorkerStatus } from '@ledger/runtime';

/** Why /health is not `ok`; `code` is stable, `message` is for a person. */
export interface HealthReason {
  code: 'database_unavailable' | 'replica_unavailable' | 'worker_failed' | 'worker_retrying' | 'worker_crash_loop' | 'worker_lag' | 'integrity_failure';
  message: string;
  worker?: string;
  position?: number;
}

export interface HealthInputs {
  databaseUp: boolean;
  workers: readonly WorkerStatus[];
  /** Restarts in a row of the worker process (its supervisor), when the workers run in one. */
  processRestarts: number;
  /** The first event this API process refused to serve because it did not match its hash, and how many. */
  served: { mismatches: number; first?: IntegrityFinding };
  thresholds: HealthThresholds;
  /** The read replica (DATABASE_READ_URL) as last seen; undefined when none is configured. */
  replica?: ReplicaStatus;
}

export interface HealthAssessment {
  status: 'ok' | 'degraded';
  /** 503 when the service can neither append nor read (the database is down), else 200. */
  httpStatus: 200 | 503;
  reasons: HealthReason[];
  workers: WorkerStatus[];
}

/**
 * What /health says, from what the process and its workers report (docs/operations.md "Health").
 * Pure: the controller gathers the inputs. Worker errors pass through `redactAddresses`, so no
 * host, port, URL or file path of the deployment leaves through an unauthenticated endpoint.
 */
export function assessHealth(inputs: HealthInputs): HealthAssessment {
  const reasons: HealthReason[] = [];
  const { thresholds } = inputs;
  if (!inputs.databaseUp) {
    reasons.push({ code: 'database_unavailable', message: 'the database cannot be reached: appends and reads answer 503 until it is back' });
  }
  if (inputs.replica?.state === 'down') {
    // Reads fall back to the primary: degraded capacity, not an outage (still 200).
    reasons.push({ code: 'replica_unavailable', message: 'the read replica cannot be reached: reads are answered by the primary until it is back' });
  }
  if (inputs.processRestarts >= thresholds.crashLoopRestarts) {
    reasons.push({
      code: 'worker_crash_loop',
      worker: 'worker-process',
      message: `the background worker process was restarted ${inputs.processRestarts} times in a row`,
    });
  }
  const workers = inputs.workers.map((w) => (w.error === undefined ? { ...w } : { ...w, error: redactAddresses(w.error) }));
  for (const worker of workers) {
    // The follower runtime counts failures since a worker last made progress; the database's own
    // outage is reported once above, not once per worker waiting for it.
    const failures = worker.failures ?? 0;
    const because = worker.error ? `: ${worker.error}` : '';
    if (failures >= thresholds.crashLoopRestarts) {
      reasons.push({ code: 'worker_crash_loop', worker: worker.name, message: `${worker.name} failed ${failures} times in a row without progress${because}` });
    } else if (worker.state === 'failed' && inputs.databaseUp) {
      reasons.push({ code: 'worker_failed', worker: worker.name, message: `${worker.name} has stopped${because}` });
    } else if (worker.state === 'retrying' && inputs.databaseUp) {
      reasons.push({ code: 'worker_retrying', worker: worker.name, message: `${worker.name} is retrying after a failure${because}` });
    }
    if (worker.lagEvents > thresholds.maxLagEvents || worker.lagSeconds > thresholds.maxLagSeconds) {
      reasons.push({
        code: 'worker_lag',
        worker: worker.name,
        message: `${worker.name} is ${worker.lagEvents} events (${Math.round(worker.lagSeconds)} s) behind the log ` +
          `(thresholds ${thresholds.maxLagEvents} events, ${thresholds.maxLagSeconds} s)`,
      });
    }
    const integrity = (worker as IntegrityStatus).integrity;
    if (integrity && integrity.mismatches > 0 && integrity.first) {
      reasons.push(integrityReason(worker.name, integrity.mismatches, integrity.first));
    }
  }
  if (inputs.served.mismatches > 0 && inputs.served.first) {
    reasons.push(integrityReason('api', inputs.served.mismatches, inputs.served.first));
  }
  return { status: reasons.length === 0 ? 'ok' : 'degraded', httpStatus: inputs.databaseUp ? 200 : 503, reasons, workers };
}

function integrityReason(by: string, mismatches: number, first: IntegrityFinding): HealthReason {
  return {
    code: 'integrity_failure',
    worker: by,
    position: first.position,
    message: `the stored event at position ${first.position} does not match the log's proofs (${redactAddresses(first.reason)})` +
      `${mismatches > 1 ? `; ${mismatches} positions in all` : ''}: run \`npm run cli -- verify\``,
  };
}

/** Hosts, ports, URLs and absolute paths replaced by placeholders (worker errors are for the operator's log). */
export function redactAddresses(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, '<address>')
    .replace(/\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\s+[^\s,;)]+/g, '$1 <address>')
    .replace(/\[[0-9a-f:.]+\](?::\d+)?/gi, '<address>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<address>')
    .replace(/(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi, '<address>')
    .replace(/\blocalhost(?::\d+)?\b/gi, '<address>')
    .replace(/\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?\b/gi, '<address>')
    .replace(/\b[\w-]+:\d{2,5}\b/g, '<address>')
    .replace(/(^|[\s'"(=])\/(?:[\w.@-]+\/)*[\w.@-]+/g, '$1<path>');
}
