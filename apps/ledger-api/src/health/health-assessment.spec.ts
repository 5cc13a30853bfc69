import type { WorkerStatus } from '@ledger/runtime';
import { assessHealth, redactAddresses, type HealthInputs } from './health-assessment.js';

const THRESHOLDS = { maxLagEvents: 1_000, maxLagSeconds: 60, crashLoopRestarts: 3 };

function worker(name: string, extra: Partial<WorkerStatus> & Record<string, unknown> = {}): WorkerStatus {
  return { name, state: 'running', position: 10, lagEvents: 0, lagSeconds: 0, ...extra } as WorkerStatus;
}

function inputs(extra: Partial<HealthInputs> = {}): HealthInputs {
  return {
    databaseUp: true,
    workers: [worker('projector'), worker('merkle-integrator')],
    processRestarts: 0,
    served: { mismatches: 0 },
    thresholds: THRESHOLDS,
    ...extra,
  };
}

describe('/health', () => {
  it('is ok and 200 when the database answers and every worker runs caught up', () => {
    expect(assessHealth(inputs())).toMatchObject({ status: 'ok', httpStatus: 200, reasons: [] });
  });

  it('is degraded and 503 while the database is down, without blaming the workers for it', () => {
    const answer = assessHealth(inputs({ databaseUp: false, workers: [worker('projector', { state: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:5432' })] }));
    expect(answer).toMatchObject({ status: 'degraded', httpStatus: 503 });
    expect(answer.reasons.map((r) => r.code)).toEqual(['database_unavailable']);
    expect(JSON.stringify(answer)).not.toContain('127.0.0.1');
  });

  it('is degraded but 200 while the read replica is down (reads go to the primary), and ok when it is up', () => {
    const down = assessHealth(inputs({ replica: { state: 'down', replayedPosition: 7 } }));
    expect(down).toMatchObject({ status: 'degraded', httpStatus: 200 });
    expect(down.reasons.map((r) => r.code)).toEqual(['replica_unavailable']);
    expect(assessHealth(inputs({ replica: { state: 'up', replayedPosition: 7 } }))).toMatchObject({ status: 'ok', reasons: [] });
  });

  it('names a stopped or retrying worker, a crash loop of the worker process or of one worker, and a lag over either threshold', () => {
    const answer = assessHealth(inputs({
      processRestarts: 3,
      workers: [
        worker('projector', { state: 'failed', error: 'out of memory' }),
        worker('merkle-integrator', { lagEvents: 1_001 }),
        worker('checkpoint-signer', { lagSeconds: 61 }),
        worker('looping', { state: 'retrying', failures: 5, error: 'heap out of memory' }),
        worker('witness:city', { state: 'retrying', failures: 1 }),
        worker('quiet', { lagEvents: 1_000, lagSeconds: 60, failures: 0 }),
      ],
    }));
    expect(answer.httpStatus).toBe(200);
    expect(answer.reasons.map((r) => [r.code, r.worker])).toEqual([
      ['worker_crash_loop', 'worker-process'],
      ['worker_failed', 'projector'],
      ['worker_lag', 'merkle-integrator'],
      ['worker_lag', 'checkpoint-signer'],
      ['worker_crash_loop', 'looping'],
      ['worker_retrying', 'witness:city'],
    ]);
  });

  it('names the position of an integrity failure found by a worker or by the API itself', () => {
    const answer = assessHealth(inputs({
      workers: [worker('integrity-scrubber', { integrity: { mismatches: 2, first: { position: 321, reason: 'changed' }, checked: 900, passes: 1 } })],
      served: { mismatches: 1, first: { position: 77, reason: 'changed' } },
    }));
    expect(answer.reasons).toEqual([
      expect.objectContaining({ code: 'integrity_failure', worker: 'integrity-scrubber', position: 321, message: expect.stringContaining('position 321') }),
      expect.objectContaining({ code: 'integrity_failure', worker: 'api', position: 77 }),
    ]);
  });

  it('never shows an internal address, URL or file path that a worker error carried', () => {
    const errors = [
      'connect ECONNREFUSED 127.0.0.1:41853',
      'getaddrinfo ENOTFOUND db.internal.example at postgres://ledger:secret@db.internal.example:5432/ledger',
      'connect ECONNREFUSED [::1]:5432',
      'connect ECONNREFUSED fd00:1:2::17:5432 via localhost:5432',
      "ENOENT: no such file or directory, open '/var/lib/okayama-ledger/3f2a/pg/postmaster.pid'",
    ];
    const answer = assessHealth(inputs({ workers: errors.map((error, i) => worker(`w${i}`, { state: 'failed', error })) }));
    const text = JSON.stringify(answer);
    for (const leaked of ['127.0.0.1', '41853', 'db.internal', 'secret', '::1', 'fd00', 'localhost', '/var/lib']) expect(text).not.toContain(leaked);
    expect(redactAddresses('connect ECONNREFUSED 127.0.0.1:41853')).toBe('connect ECONNREFUSED <address>');
  });
});
