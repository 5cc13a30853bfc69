import { instant, isoUtc, recordStreamId, contractStreamId, type LedgerEvent } from '@ledger/domain';
import { openHarness, type Harness } from '../testing/harness.js';
import {
  anonymized,
  briefed,
  collected,
  completed,
  CONTRACT,
  copied,
  disposed,
  amended,
  instructed,
  jst,
  provided,
  registered,
  returned,
  started,
  used,
} from '../testing/events.js';
import { readActiveGeneration } from '../runner/read-active.js';
import { rebuildReadModels } from '../runner/rebuild.js';
import { contractCustodyOf, custodyView, holdingOverdueAt, recordCustodyOf } from './custody-model.js';
import { listHoldings, readRecordCustody, readRecordCustodyView } from './custody-read-model.js';
import { CustodyProjection } from './custody.projection.js';
import { CUSTODY_TABLES, decodeHistory } from './custody-rows.js';
import { CustodyHoldingEntity } from './custody.entities.js';

const utc = (text: string): string => isoUtc(instant(jst(text)));
const NOW = instant(jst('2026-05-01T00:00'));

/** Holding and transport rows of a record, as stored (times in ISO UTC). */
async function rows(h: Harness, recordId: string): Promise<{ holdings: any[]; transports: any[]; record: any }> {
  return readActiveGeneration(h.dataSource, async (q) => {
    const holdings = await q.query<any>(
      `SELECT holding_key, copy_id, copied_from, state, location, holder, since, transport_key, history
         FROM custody_holdings WHERE contract_id = $1 AND record_id = $2 ORDER BY holding_key`,
      [CONTRACT, recordId],
    );
    const transports = await q.query<any>(
      `SELECT transport_id, copy_id, state, from_location, to_location, carrier_id, safeguards, started_at, due_at, completed_at, received_by
         FROM custody_transports WHERE contract_id = $1 AND record_id = $2 ORDER BY opened_at, opened_position`,
      [CONTRACT, recordId],
    );
    const [record] = await q.query<any>(`SELECT * FROM custody_records WHERE contract_id = $1 AND record_id = $2`, [CONTRACT, recordId]);
    const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
    const clean = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, iso(v)]));
    const decoded = holdings.map((h) => ({ ...clean(h), history: decodeHistory(h.history) }));
    return { holdings: decoded, transports: transports.map(clean), record: record ? clean(record) : undefined };
  });
}

/** The read model's answer for a record equals the fold of its streams. */
async function expectReadModelMatchesStreams(h: Harness, recordId: string, now = NOW): Promise<void> {
  const fromRows = await readActiveGeneration(h.dataSource, (q) => readRecordCustodyView(q, CONTRACT, recordId, now));
  const recordEvents = await h.store.readStream(recordStreamId(CONTRACT, recordId));
  const contractEvents = await h.store.readStream(contractStreamId(CONTRACT));
  const fromStreams = custodyView(recordCustodyOf(CONTRACT, recordId, recordEvents), contractCustodyOf(CONTRACT, contractEvents), now);
  expect(fromRows).toEqual(fromStreams);
}

describe('custody projection: given events, then rows', () => {
  let h: Harness;
  const projection = new CustodyProjection();

  beforeAll(async () => {
    h = await openHarness('custody_rows');
    await h.append([registered(), briefed('2026-03-02T09:00')]);
  });

  afterAll(async () => {
    await h.close();
  });

  async function given(...events: LedgerEvent[]): Promise<void> {
    await h.append(events);
    const projector = await h.catchUp([projection]);
    await projector.stop();
  }

  it('RecordCollected: the original is held where and by whom the event says; unknown facts stay null', async () => {
    await given(collected('R-COL', '2026-04-01T09:00'), collected('R-NOLOC', '2026-04-01T09:00', null));
    expect((await rows(h, 'R-COL')).holdings).toEqual([
      expect.objectContaining({
        holding_key: '', copy_id: null, copied_from: null, state: 'held', location: 'DC-1',
        holder: { org: 'contractor', workerId: 'W-1', carrierId: null }, since: utc('2026-04-01T09:00'), transport_key: null,
      }),
    ]);
    expect((await rows(h, 'R-NOLOC')).holdings[0]).toMatchObject({ state: 'held', location: null });
    expect((await rows(h, 'R-COL')).record).toMatchObject({ open_since: utc('2026-04-01T09:00') });
  });

  it('RecordUsed and RecordProvided write nothing; a record with only those has no rows', async () => {
    await given(collected('R-USE', '2026-04-01T09:00'));
    const before = await rows(h, 'R-USE');
    await given(used('R-USE', '2026-04-02T09:00'), provided('R-USE', '2026-04-03T09:00'), used('R-ONLY-USED', '2026-04-02T09:00'));
    expect(await rows(h, 'R-USE')).toEqual(before);
    expect(await rows(h, 'R-ONLY-USED')).toEqual({ holdings: [], transports: [], record: undefined });
  });

  it('RecordCopied and copies of copies: one row per holding, each naming its source; the source\'s history notes the copy', async () => {
    await given(
      collected('R-COPY', '2026-04-01T09:00'),
      copied('R-COPY', '2026-04-02T09:00', 'C-1'),
      copied('R-COPY', '2026-04-03T09:00', 'C-2', 'C-1', 'DEV-ROOM'),
      anonymized('R-COPY', '2026-04-04T09:00', 'C-2'),
    );
    const { holdings } = await rows(h, 'R-COPY');
    expect(holdings.map((x) => [x.holding_key, x.copied_from, x.state, x.location])).toEqual([
      ['', null, 'held', 'DC-1'],
      ['C-1', { copyId: null }, 'held', 'DC-2'],
      ['C-2', { copyId: 'C-1' }, 'held', 'DEV-ROOM'],
    ]);
    expect(holdings[1].history.map((s: any) => [s.type, s.newCopyId ?? null])).toEqual([['RecordCopied', null], ['RecordCopied', 'C-2']]);
    expect(holdings[2].history.map((s: any) => s.type)).toEqual(['RecordCopied', 'RecordAnonymized']);
    await expectReadModelMatchesStreams(h, 'R-COPY');
  });

  it('TransportStarted then TransportCompleted: in transit with the carrier, then held at the destination by the receiver', async () => {
    await given(collected('R-TR', '2026-04-01T09:00'), copied('R-TR', '2026-04-02T09:00', 'C-1'), started('R-TR', '2026-04-03T09:00', 'T-1', 'C-1', '2026-04-03T17:00'));
    const moving = await rows(h, 'R-TR');
    expect(moving.holdings[1]).toMatchObject({ state: 'in_transit', location: null, holder: { org: null, workerId: null, carrierId: 'CARRIER-1' } });
    expect(moving.transports).toEqual([
      expect.objectContaining({ transport_id: 'T-1', copy_id: 'C-1', state: 'in_transit', safeguards: ['encrypted', 'tracked'], due_at: utc('2026-04-03T17:00'), completed_at: null }),
    ]);
    await given(completed('R-TR', '2026-04-03T15:00', 'T-1'));
    const arrived = await rows(h, 'R-TR');
    expect(arrived.holdings[1]).toMatchObject({
      state: 'held', location: 'CITY-HALL', holder: { org: 'city', workerId: 'S-010', carrierId: null }, since: utc('2026-04-03T15:00'), transport_key: null,
    });
    expect(arrived.transports[0]).toMatchObject({ state: 'completed', completed_at: utc('2026-04-03T15:00'), received_by: 'S-010' });
    await expectReadModelMatchesStreams(h, 'R-TR');
  });

  it('a transport started but not completed stays in transit, due after transportWithin, and is listed overdue only once that passes', async () => {
    await given(collected('R-LOST', '2026-04-01T09:00'), started('R-LOST', '2026-04-10T09:00', 'T-9'));
    expect((await rows(h, 'R-LOST')).transports[0]).toMatchObject({ state: 'in_transit', due_at: utc('2026-04-13T09:00') });
    const overdueAt = (now: string) =>
      readActiveGeneration(h.dataSource, (q) => listHoldings(q, { contractId: CONTRACT, overdue: true, now: instant(jst(now)), limit: 100 }));
    expect((await overdueAt('2026-04-13T09:00')).holdings.map((x) => x.recordId)).not.toContain('R-LOST');
    const late = await overdueAt('2026-04-13T09:01');
    expect(late.holdings).toContainEqual(
      expect.objectContaining({ recordId: 'R-LOST', copyId: null, state: 'in_transit', overdue: true, overdueReasons: ['transport'], from: 'DC-1', to: 'CITY-HALL' }),
    );
  });

  it('return versus disposal: both close the holding; the return names the city staff who received it, the disposal no holder', async () => {
    await given(
      collected('R-END', '2026-04-01T09:00'),
      copied('R-END', '2026-04-02T09:00', 'C-1'),
      returned('R-END', '2026-04-05T09:00'),
      disposed('R-END', '2026-04-06T09:00', 'C-1'),
    );
    const { holdings, record } = await rows(h, 'R-END');
    expect(holdings.map((x) => [x.holding_key, x.state, x.holder, x.location, x.since])).toEqual([
      ['', 'returned', { org: 'city', workerId: 'S-020', carrierId: null }, null, utc('2026-04-05T09:00')],
      ['C-1', 'disposed', null, null, utc('2026-04-06T09:00')],
    ]);
    expect(record.open_since).toBeNull();
  });

  it('places events arriving out of occurredAt order where they occurred (the record is refolded from its stream)', async () => {
    await given(collected('R-LATE', '2026-04-01T09:00'), copied('R-LATE', '2026-04-02T09:00', 'C-1'), disposed('R-LATE', '2026-04-09T09:00', 'C-1'));
    // Reported late: the copy was carried to the city hall before it was disposed of.
    await given(started('R-LATE', '2026-04-03T09:00', 'T-1', 'C-1'), completed('R-LATE', '2026-04-03T15:00', 'T-1'));
    const { holdings, transports } = await rows(h, 'R-LATE');
    expect(holdings[1].state).toBe('disposed');
    expect(holdings[1].history.map((s: any) => [s.type, s.state, s.location])).toEqual([
      ['RecordCopied', 'held', 'DC-2'],
      ['TransportStarted', 'in_transit', null],
      ['TransportCompleted', 'held', 'CITY-HALL'],
      ['RecordDisposed', 'disposed', null],
    ]);
    expect(transports).toEqual([expect.objectContaining({ transport_id: 'T-1', state: 'completed' })]);
    await expectReadModelMatchesStreams(h, 'R-LATE');
  });

  it('a start arriving after its completion (earlier occurredAt) is matched with it', async () => {
    const start = started('R-SWAP', '2026-04-03T09:00', 'T-5');
    const done = completed('R-SWAP', '2026-04-03T12:00', 'T-5');
    await given(collected('R-SWAP', '2026-04-01T09:00'), done);
    expect((await rows(h, 'R-SWAP')).transports).toEqual([expect.objectContaining({ transport_id: 'T-5', started_at: null, state: 'completed' })]);
    await given(start);
    const { holdings, transports } = await rows(h, 'R-SWAP');
    expect(transports).toEqual([expect.objectContaining({ transport_id: 'T-5', started_at: utc('2026-04-03T09:00'), completed_at: utc('2026-04-03T12:00') })]);
    expect(holdings[0]).toMatchObject({ state: 'held', location: 'CITY-HALL' });
  });

  it('a contract amendment arriving later moves the due time of the transports it governs', async () => {
    await given(collected('R-POL', '2026-04-01T09:00'), started('R-POL', '2026-04-20T09:00', 'T-P'));
    expect((await rows(h, 'R-POL')).transports[0].due_at).toBe(utc('2026-04-23T09:00'));
    await given(amended('2026-04-15T00:00', { transportWithin: 'PT24H' }));
    expect((await rows(h, 'R-POL')).transports[0].due_at).toBe(utc('2026-04-21T09:00'));
    await expectReadModelMatchesStreams(h, 'R-POL');
  });

  it('lists the holdings still open after a disposal instruction\'s due time, and the entities read the same rows', async () => {
    await given(
      collected('R-DISP', '2026-04-01T09:00'),
      copied('R-DISP', '2026-04-02T09:00', 'C-1'),
      instructed('2026-04-20T09:00', { recordIds: ['R-DISP'], dueAt: '2026-04-25T17:00' }),
      disposed('R-DISP', '2026-04-24T09:00'),
    );
    const page = await readActiveGeneration(h.dataSource, (q) =>
      listHoldings(q, { contractId: CONTRACT, overdue: true, now: instant(jst('2026-04-26T00:00')), limit: 100 }),
    );
    const mine = page.holdings.filter((x) => x.recordId === 'R-DISP');
    expect(mine).toEqual([
      expect.objectContaining({
        copyId: 'C-1', state: 'held', overdue: true, overdueReasons: ['disposal'],
        disposal: { dueAt: utc('2026-04-25T17:00'), orderedBy: expect.objectContaining({ type: 'DisposalInstructed' }) },
      }),
    ]);
    const entities = await readActiveGeneration(h.dataSource, (q) =>
      q.manager.find(CustodyHoldingEntity, { where: { contractId: CONTRACT, recordId: 'R-DISP' }, order: { holdingKey: 'ASC' } }),
    );
    expect(entities.map((e) => [e.holdingKey, e.state, e.location])).toEqual([['', 'disposed', null], ['C-1', 'held', 'DC-2']]);
    const state = await readActiveGeneration(h.dataSource, (q) => readRecordCustody(q, CONTRACT, 'R-DISP'));
    expect(state.contract.instructions).toHaveLength(1);
  });

  it('pages holdings by a cursor and filters them by state', async () => {
    const all = await readActiveGeneration(h.dataSource, (q) => listHoldings(q, { contractId: CONTRACT, now: NOW, limit: 1000 }));
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = await readActiveGeneration(h.dataSource, (q) => listHoldings(q, { contractId: CONTRACT, now: NOW, limit: 3, after }));
      paged.push(...page.holdings.map((x) => `${x.recordId}/${x.copyId}`));
      after = page.next ?? undefined;
    } while (after);
    expect(paged).toEqual(all.holdings.map((x) => `${x.recordId}/${x.copyId}`));
    const moving = await readActiveGeneration(h.dataSource, (q) => listHoldings(q, { contractId: CONTRACT, state: 'in_transit', now: NOW, limit: 1000 }));
    expect(moving.holdings.length).toBeGreaterThan(0);
    expect(moving.holdings.every((x) => x.state === 'in_transit')).toBe(true);
  });

  it('stores each holding\'s overdue_at by the rule of the answer, also after contract events that came later', async () => {
    await given(instructed('2026-04-21T09:00', { dueAt: '2026-04-22T17:00' }), amended('2026-04-01T00:00', { transportWithin: 'PT6H' }));
    const stored = await readActiveGeneration(h.dataSource, async (q) => {
      const holdings = await q.query<{ record_id: string; holding_key: string; overdue_at: Date | null }>(
        `SELECT record_id, holding_key, overdue_at FROM custody_holdings WHERE contract_id = $1 ORDER BY record_id, holding_key`,
        [CONTRACT],
      );
      const contract = (await readRecordCustody(q, CONTRACT, holdings[0]!.record_id)).contract;
      const expected: Array<[string, string, number | null]> = [];
      for (const recordId of [...new Set(holdings.map((x) => x.record_id))]) {
        const { record } = await readRecordCustody(q, CONTRACT, recordId);
        for (const holding of record!.holdings) expected.push([recordId, holding.copyId ?? '', holdingOverdueAt(record!, holding, contract)]);
      }
      return { actual: holdings.map((x) => [x.record_id, x.holding_key, x.overdue_at?.getTime() ?? null]), expected };
    });
    expect(stored.actual).toEqual(stored.expected);
    expect(stored.actual.filter((x) => x[2] !== null).length).toBeGreaterThan(3);
  });

  it('gives the same rows whatever the batch boundaries: a rebuild one event per transaction equals the live tables', async () => {
    const live = await h.active();
    const rebuilt = await rebuildReadModels(h.set([projection]), { batchSize: 1 });
    expect(rebuilt.switched).toBe(true);
    expect(await h.dump(CUSTODY_TABLES, rebuilt.generation)).toEqual(await h.dump(CUSTODY_TABLES, live));
  });
});
