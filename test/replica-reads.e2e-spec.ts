import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CONTRACT, registration, used } from './support/ledger-log.js';
import { postJson, startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { findPostgresBinaries, startPrimaryAndStandby, type PrimaryAndStandby, type PostgresBinaries } from './support/streaming-standby.js';
import { TEST_KEYS } from './support/test-app.js';

const binaries = findPostgresBinaries();
const runnable = 'dir' in binaries;
const title = 'reads on a streaming hot standby (DATABASE_READ_URL)';

async function read(url: string, pathname: string, minPosition?: number | string): Promise<{ status: number; from: string | null; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${TEST_KEYS.auditor}` };
  if (minPosition !== undefined) headers['x-ledger-min-position'] = String(minPosition);
  const response = await fetch(`${url}${pathname}`, { headers });
  return { status: response.status, from: response.headers.get('x-ledger-read-from'), body: await response.json() };
}

async function healthOf(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: await response.json() };
}

const eventIds = (page: { body: { events: { event: { eventId: string } }[] } }): string[] => page.body.events.map((e) => e.event.eventId);

/**
 * A primary, its streaming standby made with pg_basebackup, and the service (its own process)
 * writing to the one and reading from the other, set up and torn down around the calling describe.
 */
function serviceOnStandby(label: string, env: Record<string, string>): () => { servers: PrimaryAndStandby; service: ServiceProcess } {
  let servers: PrimaryAndStandby | undefined;
  let service: ServiceProcess | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    servers = await startPrimaryAndStandby(binaries as PostgresBinaries);
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), label));
    service = await startServiceProcess(dataDir, { DATABASE_URL: servers.primary.url, DATABASE_READ_URL: servers.standby.url, ...env });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await servers?.destroy();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });
  return () => ({ servers: servers!, service: service! });
}

/** A describe that needs PostgreSQL's binaries on the machine; without them it is listed as skipped, its name saying why. */
function describeWithStandby(name: string, body: () => void): void {
  if (runnable) describe(name, body);
  else describe.skip(`${name} — skipped: ${(binaries as { reason: string }).reason}`, body);
}

describeWithStandby(title, () => {
  const history = `/v1/contracts/${CONTRACT}/events?limit=1000`;
  const setUp = serviceOnStandby('ledger-replica-service-', { LEDGER_WORKERS: 'off', LEDGER_REPLICA_WAIT_MS: '3000' });
  let servers: PrimaryAndStandby;
  let service: ServiceProcess;
  beforeAll(() => ({ servers, service } = setUp()));

  it('Given a standby made with pg_basebackup, it is in recovery and /health reports it up', async () => {
    const standby = new pg.Client({ connectionString: servers.standby.url });
    await standby.connect();
    const { rows } = await standby.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering');
    await standby.end();
    expect(rows[0]!.recovering).toBe(true);
    const health = await healthOf(service.url);
    expect(health.status).toBe(200);
    expect(health.body.readReplica).toMatchObject({ state: 'up' });
  });

  it('When a client reads with the position its append was answered with, the standby answers with that event (read-your-writes)', async () => {
    expect((await postJson(service.url, '/v1/events', registration())).status).toBe(201);
    const appended = await postJson(service.url, '/v1/events', { events: [used('R-1'), used('R-2')] });
    expect(appended.status).toBe(201);
    const last = appended.body.events[1];

    const page = await read(service.url, history, last.position);
    expect(page).toMatchObject({ status: 200, from: 'replica' });
    expect(eventIds(page).slice(-1)).toEqual([last.eventId]);
    expect(page.body.events.map((e: { position: number }) => e.position)).toEqual([1, 2, 3]);

    // An answer of the read model (custody), folded on the standby from its own copy of the log.
    const custody = await read(service.url, `/v1/contracts/${CONTRACT}/records/R-2/custody`, last.position);
    expect(custody).toMatchObject({ status: 200, from: 'replica' });

    // Without a position the standby answers what it has; once it caught up, the same as the primary.
    const plain = await read(service.url, history);
    expect(plain).toMatchObject({ status: 200, from: 'replica' });
    expect(eventIds(plain)).toEqual(eventIds(page).slice(0, plain.body.events.length));
  });

  it('Given replay paused on the standby, a read without a position gets its older answer, a read with the new position waits, then gets the primary\'s', async () => {
    const standby = new pg.Client({ connectionString: servers.standby.url });
    await standby.connect();
    try {
      await standby.query('SELECT pg_wal_replay_pause()');
      const appended = await postJson(service.url, '/v1/events', used('R-1'));
      expect(appended.status).toBe(201);
      const { position, eventId } = appended.body.events[0];

      // The standby's own copy: proof that the answer was read there, not on the primary.
      const stale = await read(service.url, history);
      expect(stale).toMatchObject({ status: 200, from: 'replica' });
      expect(eventIds(stale)).not.toContain(eventId);

      const fresh = await read(service.url, history, position);
      expect(fresh).toMatchObject({ status: 200, from: 'primary' });
      expect(eventIds(fresh).slice(-1)).toEqual([eventId]);

      await standby.query('SELECT pg_wal_replay_resume()');
      const caughtUp = await read(service.url, history, position);
      expect(caughtUp).toMatchObject({ status: 200, from: 'replica' });
      expect(eventIds(caughtUp)).toEqual(eventIds(fresh));
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
      await standby.end();
    }

    const bad = await read(service.url, history, 'soon');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'X-Ledger-Min-Position', rule: 'integerRange' });
  });

  it('When the standby stops, reads fall back to the primary (200, never a 500) and /health names the replica down', async () => {
    await servers.standby.stop();
    // The first read after the stop starts on the standby (it was up a moment ago) and is answered
    // again, whole, by the primary; the access log records it once.
    const custody = await read(service.url, `/v1/contracts/${CONTRACT}/records/R-1/custody`);
    expect(custody).toMatchObject({ status: 200, from: 'primary' });
    const logged = await read(service.url, `/v1/access-log?contractId=${CONTRACT}&recordId=R-1`);
    expect(logged.body.entries.filter((e: { route: string }) => e.route.endsWith('/custody')).map((e: { status: number }) => e.status)).toEqual([200]);

    const appended = await postJson(service.url, '/v1/events', used('R-3'));
    expect(appended.status).toBe(201);

    const page = await read(service.url, history, appended.body.events[0].position);
    expect(page).toMatchObject({ status: 200, from: 'primary' });
    expect(eventIds(page)).toHaveLength(5);
    expect(eventIds(page)[4]).toBe(appended.body.events[0].eventId);
    expect(await read(service.url, `/v1/contracts/${CONTRACT}/records/R-3/custody`)).toMatchObject({ status: 200, from: 'primary' });

    const health = await healthOf(service.url);
    expect(health.status).toBe(200);
    expect(health.body.readReplica).toMatchObject({ state: 'down' });
    expect(health.body.reasons.map((r: { code: string }) => r.code)).toContain('replica_unavailable');
    expect(service.output()).not.toMatch(/\bERROR\b/);
  });
});

describeWithStandby(
  `${title}, with the projector running on the primary`,
  () => {
    const setUp = serviceOnStandby('ledger-replica-projector-', { LEDGER_REPLICA_WAIT_MS: '1000' });
    let servers: PrimaryAndStandby;
    let service: ServiceProcess;
    beforeAll(() => ({ servers, service } = setUp()));
    const view = `/v1/contracts/${CONTRACT}/compliance`;
    /** A contract-level incident the contractor detected (Art. 15 then asks for its report; overdue by now). */
    const incident = {
      eventId: '7e57ab1e-0000-4000-8000-0000000eb1c0', type: 'IncidentDetected', contractId: CONTRACT, occurredAt: '2026-04-02T10:00:00+09:00',
      actor: { org: 'contractor', workerId: 'W-MGR-1' }, data: { incidentId: 'INC-REPLICA', kind: 'leak', affectedRecordIds: ['R-1'], affectedPersonCount: 1 },
    };
    const naming = (body: { findings: Array<{ eventIds: string[]; recordId: string | null; rule: string }> }) =>
      body.findings.filter((f) => f.eventIds.includes(incident.eventId)).map((f) => `${f.recordId ?? '-'} ${f.rule}`);

    it('Given the contract kept by the service ahead of a paused standby, a contract view read there judges the contract as the standby has it (checked in the standby\'s snapshot), and the incident once it has replayed it', async () => {
      expect((await postJson(service.url, '/v1/events', registration())).status).toBe(201);
      const first = await postJson(service.url, '/v1/events', used('R-1'));
      expect(first.status).toBe(201);
      const before = first.body.events[0].position as number;
      // The projector has applied the log and the standby replayed it: the view is answered there from the read model.
      const deadline = Date.now() + 30_000;
      let ready = await read(service.url, view, before);
      while (!(ready.from === 'replica' && ready.body.source?.kind === 'read-model' && ready.body.source.position >= before) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ready = await read(service.url, view, before);
      }
      expect(ready).toMatchObject({ status: 200, from: 'replica', body: { source: { kind: 'read-model' } } });

      const standby = new pg.Client({ connectionString: servers.standby.url });
      await standby.connect();
      try {
        await standby.query('SELECT pg_wal_replay_pause()');
        const appended = await postJson(service.url, '/v1/events', incident);
        expect(appended.status).toBe(201);
        const position = appended.body.events[0].position as number;
        // Answered by the primary (the standby cannot reach the position): the service now keeps the contract with the incident.
        const primary = await read(service.url, view, position);
        expect(primary).toMatchObject({ status: 200, from: 'primary' });
        expect(naming(primary.body)).toContain('- art15.report-overdue');

        // On the standby the contract stream is one event shorter than the kept one: the view judges
        // the contract as the standby's snapshot has it, without the incident.
        const stale = await read(service.url, view);
        expect(stale).toMatchObject({ status: 200, from: 'replica' });
        expect(stale.body.source.position).toBeLessThan(position);
        expect(naming(stale.body)).toEqual([]);

        await standby.query('SELECT pg_wal_replay_resume()');
        let caughtUp = await read(service.url, view, position);
        while (!(caughtUp.from === 'replica' && naming(caughtUp.body).length > 0) && Date.now() < deadline + 30_000) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          caughtUp = await read(service.url, view, position);
        }
        expect(caughtUp).toMatchObject({ status: 200, from: 'replica' });
        expect(naming(caughtUp.body)).toContain('- art15.report-overdue');
      } finally {
        await standby.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
        await standby.end();
      }
      expect(service.output()).not.toMatch(/\bERROR\b/);
    });
  },
);
