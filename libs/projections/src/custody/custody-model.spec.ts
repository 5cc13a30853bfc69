import { instant, isoUtc, type Actor, type LedgerEvent, type RecordedEvent } from '@ledger/domain';
import {
  contractCustodyOf,
  custodyView,
  emptyRecordCustody,
  evolve,
  foldsInOrder,
  recordCustodyOf,
  type CustodyView,
  type RecordCustody,
} from './custody-model.js';

const C = 'okayama-kaigo-2025';
const R = 'R-1';
const W1: Actor = { org: 'contractor', workerId: 'W-1' };
const CITY: Actor = { org: 'city', workerId: 'S-010' };

/** '2026-04-01T09:00' is JST. */
const t = (text: string): string => `${text}:00+09:00`;
const ms = (text: string): number => instant(t(text));
const utc = (text: string): string => isoUtc(ms(text));

let serial = 0;
/** Events get positions in the order given and a recordedAt equal to their occurredAt. */
function stream(...events: Array<Omit<LedgerEvent, 'eventId' | 'contractId'> & { recordedAt?: string }>): RecordedEvent[] {
  return events.map((draft, i) => {
    serial += 1;
    const { recordedAt, ...rest } = draft as typeof draft & { recordedAt?: string };
    const event = { eventId: `00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`, contractId: C, ...rest } as LedgerEvent;
    return {
      event,
      streamId: 'recordId' in event && event.recordId ? `record-${C}-${event.recordId}` : `contract-${C}`,
      streamVersion: i,
      position: serial,
      recordedAt: recordedAt ?? isoUtc(instant(event.occurredAt)),
      prevHash: null,
      hash: '0'.repeat(64),
    };
  });
}

const rec = (type: string, at: string, data: Record<string, unknown>, actor: Actor = W1, recordId = R) =>
  ({ type, recordId, occurredAt: t(at), actor, data }) as unknown as Omit<LedgerEvent, 'eventId' | 'contractId'>;
const con = (type: string, at: string, data: Record<string, unknown>, actor: Actor = CITY) =>
  ({ type, occurredAt: t(at), actor, data }) as unknown as Omit<LedgerEvent, 'eventId' | 'contractId'>;

const collected = (at = '2026-04-01T09:00', location: string | null = 'DC-1') =>
  rec('RecordCollected', at, { purpose: 'p', dataCategories: ['c'], medium: 'electronic', containsMyNumber: false, ...(location ? { location } : {}) });
const copied = (at: string, copyId: string, fromCopyId?: string, location = 'DC-2') =>
  rec('RecordCopied', at, { copyId, medium: 'electronic', location, ...(fromCopyId ? { fromCopyId } : {}) });
const started = (at: string, transportId: string, copyId?: string, extra: Record<string, unknown> = {}) =>
  rec('TransportStarted', at, {
    transportId, ...(copyId ? { copyId } : {}), from: 'DC-1', to: 'CITY-HALL', carrierId: 'CARRIER-1', medium: 'electronic',
    safeguards: ['encrypted'], ...extra,
  });
const completed = (at: string, transportId: string, actor: Actor = CITY, receivedBy = 'S-010') =>
  rec('TransportCompleted', at, { transportId, receivedBy }, actor);
const returned = (at: string, copyId?: string) => rec('RecordReturned', at, { receivedBy: 'S-020', ...(copyId ? { copyId } : {}) });
const disposed = (at: string, copyId?: string) =>
  rec('RecordDisposed', at, { method: 'crypto_erase', witnessedBy: 'S-011', ...(copyId ? { copyId } : {}) });
const registered = (policy?: Record<string, string>) =>
  con('ContractRegistered', '2026-03-01T09:00', {
    title: 't', contractorId: 'okayama-systems', purposes: ['p'], dataCategories: ['c'], permitsSubcontracting: false,
    term: { start: t('2026-03-01T00:00'), end: t('2030-03-31T00:00') }, ...(policy ? { policy } : {}),
  });

function fold(events: readonly RecordedEvent[]): RecordCustody {
  return events.reduce((c, e) => evolve(c, e), emptyRecordCustody(C, R));
}

/** Contract and record events, answered at `now`. */
function answer(contractEvents: readonly RecordedEvent[], recordEvents: readonly RecordedEvent[], now: string): CustodyView {
  return custodyView(recordCustodyOf(C, R, recordEvents), contractCustodyOf(C, contractEvents), ms(now));
}

const holding = (view: CustodyView, copyId: string | null) => view.holdings.find((h) => h.copyId === copyId)!;

describe('custody: what each record event does to the holdings', () => {
  const contract = stream(registered());

  it('RecordCollected creates the original, held where and by whom the event says, since its occurredAt', () => {
    const view = answer(contract, stream(collected('2026-04-01T09:00')), '2026-05-01T00:00');
    expect(view.holdings).toEqual([
      expect.objectContaining({
        copyId: null, copiedFrom: null, medium: 'electronic', state: 'held', location: 'DC-1',
        holder: { org: 'contractor', workerId: 'W-1', carrierId: null }, since: utc('2026-04-01T09:00'),
        from: null, to: null, transport: null, disposal: null, overdue: false, overdueReasons: [],
      }),
    ]);
    expect(view.holdings[0]!.history).toEqual([
      expect.objectContaining({ type: 'RecordCollected', occurredAt: t('2026-04-01T09:00'), state: 'held', location: 'DC-1' }),
    ]);
  });

  it('leaves a location that was never reported null, and an unnamed worker null', () => {
    const view = answer(contract, stream({ ...collected('2026-04-01T09:00', null), actor: { org: 'city' } } as never), '2026-05-01T00:00');
    expect(holding(view, null)).toMatchObject({ location: null, holder: { org: 'city', workerId: null, carrierId: null } });
  });

  it('RecordUsed and RecordProvided change no holding and no history', () => {
    const [c, used, provided] = stream(
      collected('2026-04-01T09:00'),
      rec('RecordUsed', '2026-04-02T09:00', { purpose: 'p' }),
      rec('RecordProvided', '2026-04-03T09:00', { recipientId: 'X', purpose: 'p' }),
    );
    const after = evolve(emptyRecordCustody(C, R), c!);
    expect(evolve(after, used!)).toBe(after);
    expect(evolve(after, provided!)).toBe(after);
  });

  it('RecordCopied creates a copy held at its location, copied from the original, and notes it in the original\'s history', () => {
    const view = answer(contract, stream(collected(), copied('2026-04-02T09:00', 'C-1')), '2026-05-01T00:00');
    expect(holding(view, 'C-1')).toMatchObject({
      copiedFrom: { copyId: null }, state: 'held', location: 'DC-2', since: utc('2026-04-02T09:00'),
      holder: { org: 'contractor', workerId: 'W-1', carrierId: null },
    });
    expect(holding(view, null).history.map((s) => [s.type, s.newCopyId])).toEqual([
      ['RecordCollected', undefined],
      ['RecordCopied', 'C-1'],
    ]);
    expect(holding(view, null).state).toBe('held');
  });

  it('follows copies of copies: each names its source, and closing a source closes none of its copies', () => {
    const view = answer(
      contract,
      stream(
        collected(),
        copied('2026-04-02T09:00', 'C-1'),
        copied('2026-04-03T09:00', 'C-2', 'C-1', 'DEV-ROOM'),
        copied('2026-04-04T09:00', 'C-3', 'C-2', 'DEV-ROOM'),
        disposed('2026-04-05T09:00', 'C-1'),
        disposed('2026-04-05T10:00'),
      ),
      '2026-05-01T00:00',
    );
    expect(view.holdings.map((h) => [h.copyId, h.copiedFrom, h.state])).toEqual([
      [null, null, 'disposed'],
      ['C-1', { copyId: null }, 'disposed'],
      ['C-2', { copyId: 'C-1' }, 'held'],
      ['C-3', { copyId: 'C-2' }, 'held'],
    ]);
    expect(holding(view, 'C-2').history.map((s) => s.newCopyId ?? null)).toEqual([null, 'C-3']);
  });

  it('RecordAnonymized enters the history of the holding it names and changes nothing else', () => {
    const view = answer(
      contract,
      stream(collected(), copied('2026-04-02T09:00', 'C-1'), rec('RecordAnonymized', '2026-04-03T09:00', { copyId: 'C-1', method: 'm' })),
      '2026-05-01T00:00',
    );
    expect(holding(view, 'C-1')).toMatchObject({ state: 'held', location: 'DC-2', since: utc('2026-04-02T09:00') });
    expect(holding(view, 'C-1').history.map((s) => s.type)).toEqual(['RecordCopied', 'RecordAnonymized']);
    expect(holding(view, null).history.map((s) => s.type)).toEqual(['RecordCollected', 'RecordCopied']);
  });

  it('TransportStarted puts the holding in transit with the carrier; the location is not guessed', () => {
    const view = answer(
      contract,
      stream(collected(), copied('2026-04-02T09:00', 'C-1'), started('2026-04-03T09:00', 'T-1', 'C-1', { expectedArrivalAt: t('2026-04-03T17:00') })),
      '2026-04-03T10:00',
    );
    expect(holding(view, 'C-1')).toMatchObject({
      state: 'in_transit', location: null, holder: { org: null, workerId: null, carrierId: 'CARRIER-1' },
      since: utc('2026-04-03T09:00'), from: 'DC-1', to: 'CITY-HALL', overdue: false,
      transport: expect.objectContaining({ transportId: 'T-1', state: 'in_transit', safeguards: ['encrypted'], dueAt: utc('2026-04-03T17:00') }),
    });
    expect(holding(view, null).state).toBe('held');
    expect(view.transports).toEqual([
      expect.objectContaining({ transportId: 'T-1', copyId: 'C-1', carrierId: 'CARRIER-1', startedAt: utc('2026-04-03T09:00'), completedAt: null }),
    ]);
  });

  it('TransportCompleted puts it down at the destination with the receiver; their org only when they recorded it', () => {
    const byReceiver = answer(
      contract,
      stream(collected(), started('2026-04-03T09:00', 'T-1'), completed('2026-04-03T15:00', 'T-1', CITY, 'S-010')),
      '2026-05-01T00:00',
    );
    expect(holding(byReceiver, null)).toMatchObject({
      state: 'held', location: 'CITY-HALL', holder: { org: 'city', workerId: 'S-010', carrierId: null }, since: utc('2026-04-03T15:00'),
      transport: null, from: null, to: null,
    });
    expect(byReceiver.transports[0]).toMatchObject({ state: 'completed', completedAt: utc('2026-04-03T15:00'), receivedBy: 'S-010', overdue: false });
    const byOther = answer(
      contract,
      stream(collected(), started('2026-04-03T09:00', 'T-1'), completed('2026-04-03T15:00', 'T-1', W1, 'S-010')),
      '2026-05-01T00:00',
    );
    expect(holding(byOther, null).holder).toEqual({ org: null, workerId: 'S-010', carrierId: null });
  });

  it('a transport started but never completed stays in transit, and turns overdue once its due time passes with no new event', () => {
    const events = stream(collected(), started('2026-04-03T09:00', 'T-1', undefined, { expectedArrivalAt: t('2026-04-03T17:00') }));
    expect(holding(answer(contract, events, '2026-04-03T17:00'), null)).toMatchObject({ state: 'in_transit', overdue: false });
    const late = answer(contract, events, '2026-04-03T17:01');
    expect(holding(late, null)).toMatchObject({ state: 'in_transit', overdue: true, overdueReasons: ['transport'] });
    expect(late.transports[0]!.overdue).toBe(true);
  });

  it('without expectedArrivalAt a transport is due after transportWithin: PT72H by default, else the policy in force at its start', () => {
    const events = stream(collected(), started('2026-04-03T09:00', 'T-1'));
    expect(answer(contract, events, '2026-05-01T00:00').transports[0]!.dueAt).toBe(utc('2026-04-06T09:00'));
    const strict = stream(registered({ transportWithin: 'PT24H' }));
    expect(answer(strict, events, '2026-05-01T00:00').transports[0]!.dueAt).toBe(utc('2026-04-04T09:00'));
    const amendedBefore = stream(registered(), con('ContractAmended', '2026-04-01T00:00', { policy: { transportWithin: 'PT12H' } }));
    expect(answer(amendedBefore, events, '2026-05-01T00:00').transports[0]!.dueAt).toBe(utc('2026-04-03T21:00'));
    const amendedAfter = stream(registered(), con('ContractAmended', '2026-04-04T00:00', { policy: { transportWithin: 'PT12H' } }));
    expect(answer(amendedAfter, events, '2026-05-01T00:00').transports[0]!.dueAt).toBe(utc('2026-04-06T09:00'));
  });

  it('a return hands the holding to the city staff who received it; a disposal leaves no holder; both close it', () => {
    const view = answer(
      contract,
      stream(collected(), copied('2026-04-02T09:00', 'C-1'), returned('2026-04-04T09:00'), disposed('2026-04-05T09:00', 'C-1')),
      '2026-05-01T00:00',
    );
    expect(holding(view, null)).toMatchObject({ state: 'returned', location: null, holder: { org: 'city', workerId: 'S-020', carrierId: null }, since: utc('2026-04-04T09:00') });
    expect(holding(view, 'C-1')).toMatchObject({ state: 'disposed', location: null, holder: null, since: utc('2026-04-05T09:00') });
    expect(recordCustodyOf(C, R, stream(collected(), returned('2026-04-04T09:00'))).openSince).toBeNull();
  });

  it('a closed holding stays closed: a later transport, return or disposal naming it only enters its history', () => {
    const view = answer(
      contract,
      stream(collected(), returned('2026-04-04T09:00'), disposed('2026-04-05T09:00'), started('2026-04-06T09:00', 'T-9')),
      '2026-05-01T00:00',
    );
    expect(holding(view, null)).toMatchObject({ state: 'returned', since: utc('2026-04-04T09:00'), transport: null });
    expect(holding(view, null).history.map((s) => [s.type, s.state])).toEqual([
      ['RecordCollected', 'held'], ['RecordReturned', 'returned'], ['RecordDisposed', 'returned'], ['TransportStarted', 'returned'],
    ]);
    expect(view.transports).toEqual([expect.objectContaining({ transportId: 'T-9', state: 'in_transit' })]);
  });

  it('a collection after the original was closed opens it again', () => {
    const view = answer(contract, stream(collected(), disposed('2026-04-05T09:00'), collected('2026-04-07T09:00', 'DC-9')), '2026-05-01T00:00');
    expect(holding(view, null)).toMatchObject({ state: 'held', location: 'DC-9', since: utc('2026-04-07T09:00') });
  });

  it('guesses nothing about holdings that no event created: the transport is listed, no holding appears', () => {
    const view = answer(contract, stream(collected(), started('2026-04-03T09:00', 'T-1', 'C-9'), disposed('2026-04-04T09:00', 'C-8')), '2026-05-01T00:00');
    expect(view.holdings.map((h) => h.copyId)).toEqual([null]);
    expect(view.transports).toEqual([expect.objectContaining({ transportId: 'T-1', copyId: 'C-9', state: 'in_transit' })]);
  });

  it('lists a completion whose start never came with what is unknown left null', () => {
    const view = answer(contract, stream(collected(), completed('2026-04-03T15:00', 'T-7')), '2026-05-01T00:00');
    expect(view.transports).toEqual([
      {
        transportId: 'T-7', copyId: null, state: 'completed', from: null, to: null, carrierId: null, medium: null, safeguards: null,
        startedAt: null, expectedArrivalAt: null, dueAt: null, completedAt: utc('2026-04-03T15:00'), receivedBy: 'S-010', overdue: false,
      },
    ]);
    expect(holding(view, null).state).toBe('held');
  });
});

describe('custody: events out of order', () => {
  it('places a late event by its occurredAt: any arrival order gives the custody of the occurredAt order', () => {
    const inOrder = stream(
      collected('2026-04-01T09:00'),
      copied('2026-04-02T09:00', 'C-1'),
      started('2026-04-03T09:00', 'T-1', 'C-1'),
      completed('2026-04-03T15:00', 'T-1'),
      disposed('2026-04-05T09:00', 'C-1'),
    );
    // The same facts, the transport's completion and the copy arriving last.
    const arrival = [inOrder[0]!, inOrder[2]!, inOrder[4]!, inOrder[3]!, inOrder[1]!].map((e, i) => ({ ...e, position: 1000 + i }));
    const refolded = recordCustodyOf(C, R, arrival);
    const expected = recordCustodyOf(C, R, inOrder);
    const strip = (c: RecordCustody) => ({
      ...c,
      last: null,
      holdings: c.holdings.map((h) => ({ ...h, history: h.history.map((s) => ({ ...s, position: 0 })) })),
      transports: c.transports.map((x) => ({ ...x, openedPosition: 0 })),
    });
    expect(strip(refolded)).toEqual(strip(expected));
    expect(refolded.holdings.find((h) => h.copyId === 'C-1')!.state).toBe('disposed');
  });

  it('tells the projector when an event cannot be folded on top and the record must be refolded', () => {
    const [a, b, c] = stream(collected('2026-04-01T09:00'), copied('2026-04-03T09:00', 'C-1'), copied('2026-04-02T09:00', 'C-2'));
    const custody = fold([a!, b!]);
    expect(foldsInOrder(custody, c!)).toBe(false);
    const [used] = stream(rec('RecordUsed', '2026-03-01T09:00', { purpose: 'p' }));
    expect(foldsInOrder(custody, used!)).toBe(true);
    const [later] = stream(copied('2026-04-03T09:00', 'C-3'));
    expect(foldsInOrder(custody, later!)).toBe(true);
  });

  it('cuts by asOf (occurredAt) and knownAt (recordedAt)', () => {
    const events = stream(
      collected('2026-04-01T09:00'),
      { ...copied('2026-04-02T09:00', 'C-1'), recordedAt: utc('2026-04-10T09:00') } as never,
      disposed('2026-04-05T09:00'),
    );
    const at = (asOf: string, knownAt: string) =>
      recordCustodyOf(C, R, events, { asOf: ms(asOf), knownAt: ms(knownAt) }).holdings.map((h) => [h.copyId, h.state]);
    expect(at('2026-04-03T00:00', '2026-04-03T00:00')).toEqual([[null, 'held']]);
    expect(at('2026-04-03T00:00', '2026-04-11T00:00')).toEqual([[null, 'held'], ['C-1', 'held']]);
    expect(at('2026-04-06T00:00', '2026-04-06T00:00')).toEqual([[null, 'disposed']]);
  });
});

describe('custody: holdings still open after a disposal instruction or the contract end', () => {
  const record = stream(collected('2026-04-01T09:00'), copied('2026-04-02T09:00', 'C-1'));

  it('an instruction with dueAt binds every open holding of the records it names, overdue after dueAt', () => {
    const contract = stream(registered(), con('DisposalInstructed', '2026-05-01T09:00', { recordIds: [R, 'R-2'], dueAt: t('2026-05-10T17:00') }));
    const before = answer(contract, record, '2026-05-10T17:00');
    expect(before.holdings.map((h) => [h.disposal?.dueAt, h.overdue])).toEqual([
      [utc('2026-05-10T17:00'), false],
      [utc('2026-05-10T17:00'), false],
    ]);
    expect(before.holdings[0]!.disposal!.orderedBy).toEqual({ eventId: contract[1]!.event.eventId, type: 'DisposalInstructed', occurredAt: t('2026-05-01T09:00') });
    const after = answer(contract, record, '2026-05-10T17:01');
    expect(after.holdings.map((h) => h.overdueReasons)).toEqual([['disposal'], ['disposal']]);
  });

  it('without dueAt it is due disposalWithin (P30D) after the instruction; the contract end likewise', () => {
    const instructed = stream(registered(), con('DisposalInstructed', '2026-05-01T09:00', {}));
    expect(holding(answer(instructed, record, '2026-05-02T00:00'), null).disposal!.dueAt).toBe(utc('2026-05-31T09:00'));
    const ended = stream(registered({ disposalWithin: 'P7D' }), con('ContractEnded', '2026-06-01T09:00', { reason: 'expired' }));
    const view = answer(ended, record, '2026-06-09T00:00');
    expect(holding(view, 'C-1')).toMatchObject({
      disposal: { dueAt: utc('2026-06-08T09:00'), orderedBy: expect.objectContaining({ type: 'ContractEnded' }) },
      overdue: true,
    });
  });

  it('binds neither other records, nor closed holdings, nor a record whose holdings were all closed since', () => {
    const contract = stream(registered(), con('DisposalInstructed', '2026-05-01T09:00', { recordIds: ['R-2'], dueAt: t('2026-05-10T17:00') }));
    expect(answer(contract, record, '2026-06-01T00:00').holdings.map((h) => h.disposal)).toEqual([null, null]);
    const all = stream(registered(), con('DisposalInstructed', '2026-05-01T09:00', { dueAt: t('2026-05-10T17:00') }));
    const partly = answer(all, [...record, ...stream(disposed('2026-05-03T09:00', 'C-1'))], '2026-06-01T00:00');
    expect(partly.holdings.map((h) => [h.copyId, h.overdue])).toEqual([[null, true], ['C-1', false]]);
    const reopened = stream(collected('2026-04-01T09:00'), disposed('2026-05-03T09:00'), collected('2026-05-20T09:00'));
    expect(holding(answer(all, reopened, '2026-06-01T00:00'), null)).toMatchObject({ state: 'held', disposal: null, overdue: false });
  });

  it('an instruction that came when no holding was open binds nothing', () => {
    const contract = stream(registered(), con('DisposalInstructed', '2026-03-15T09:00', { dueAt: t('2026-03-20T17:00') }));
    expect(holding(answer(contract, record, '2026-06-01T00:00'), null).disposal).toBeNull();
  });
});
