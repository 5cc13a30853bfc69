import type { LedgerEvent } from '@ledger/domain';
import { canonicalize } from '@ledger/integrity';
import { exampleEvent } from '@ledger/wire';
import { recordUsed, workerBriefed } from './contract/test-events.js';
import fc from 'fast-check';
import { spliceMetadata } from '@ledger/integrity';
import { decodeStoredEvent, encodePrepared, encodeStoredEvent, prepareEvent, storedText } from './stored-event.js';

describe('the stored event', () => {
  const meta = (i: number) => ({
    streamId: `record-c-R-${i}`,
    streamVersion: i % 7,
    position: i + 1,
    recordedAt: '2026-11-25T01:02:03.004Z',
    prevHash: i % 3 ? 'ab'.repeat(32) : null,
  });

  it('decodes back to the producer event and the ledger metadata, from the full form (its own members) and from the compact one (the columns)', () => {
    const event = exampleEvent('RecordCopied', '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10');
    const { canonical, hash } = encodeStoredEvent(event, meta(4));
    const columnsElsewhere = { ...meta(5), recordedAt: '2030-01-01T00:00:00.000Z' };
    expect(decodeStoredEvent(canonical, hash.toString('hex'), columnsElsewhere)).toEqual({ event, ...meta(4), hash: hash.toString('hex') });
    const compact = storedText(prepareEvent(event), meta(4), canonical);
    expect(compact).toBe(canonicalize(event));
    expect(decodeStoredEvent(compact, hash.toString('hex'), meta(4))).toEqual({ event, ...meta(4), hash: hash.toString('hex') });
  });
});

describe('storedText: what the PostgreSQL store keeps of a stored event', () => {
  const event = recordUsed('c-1', 'R-1');
  const base = { streamId: 'record-c-1-R-1', streamVersion: 3, position: 12, recordedAt: '2026-04-01T00:00:00.123Z', prevHash: 'ab'.repeat(32) };

  it('given metadata each column gives back as the same text, when stored, then the producer event alone is kept and splices back to the hashed text byte for byte', () => {
    const { canonical } = encodeStoredEvent(event, base);
    const kept = storedText(prepareEvent(event), base, canonical);
    expect(kept).toBe(canonicalize(event));
    expect(Buffer.byteLength(canonical) - Buffer.byteLength(kept)).toBeGreaterThan(140);
    expect(spliceMetadata(kept, base)).toBe(canonical);
  });

  it.each([
    ['a recordedAt with microseconds', { recordedAt: '2026-04-01T00:00:00.123456Z' }],
    ['a recordedAt with an offset', { recordedAt: '2026-04-01T09:00:00.000+09:00' }],
    ['a recordedAt without its fraction', { recordedAt: '2026-04-01T00:00:00Z' }],
    ['a prevHash in capitals', { prevHash: 'AB'.repeat(32) }],
    ['a stream name JSON escapes', { streamId: 'record-c-1-R"1' }],
    ['a stream version beyond int4', { streamVersion: 2 ** 31 }],
  ])('given %s (its column would not give the same text back), when stored, then the full form is kept', (_, change) => {
    const m = { ...base, ...change };
    const { canonical } = encodeStoredEvent(event, m);
    expect(storedText(prepareEvent(event), m, canonical)).toBe(canonical);
  });

  it('given an event the pieces cannot hold (a toJSON), when stored, then the full form is kept', () => {
    const odd = { ...event, toJSON: () => event } as unknown as LedgerEvent;
    const { canonical } = encodeStoredEvent(odd, base);
    expect(storedText(prepareEvent(odd), base, canonical)).toBe(canonical);
  });

  it('property: for any producer members and metadata, the spliced compact text is exactly the whole-object canonical JSON', () => {
    const key = fc.string({ minLength: 1, maxLength: 12 });
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (extra, position, streamVersion, first) => {
        const producer = { ...extra, ...event } as unknown as LedgerEvent;
        const m = { ...base, position, streamVersion, prevHash: first ? null : base.prevHash };
        const { canonical } = encodeStoredEvent(producer, m);
        const kept = storedText(prepareEvent(producer), m, canonical);
        expect(spliceMetadata(kept, m)).toBe(canonical);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['not an object', '[1]'],
    ['an unbalanced value', '{"a":[1}'],
    ['an unclosed string', '{"a":"b}'],
    ['a space between members', '{"a":1, "b":2}'],
    ['a metadata member already (a full form)', '{"a":1,"position":3}'],
  ])('spliceMetadata refuses %s', (_, text) => {
    expect(spliceMetadata(text, base)).toBeNull();
  });
});

describe('encodePrepared: the stored form spliced from members canonicalized before the lock', () => {
  const meta = (prevHash: string | null, position = 7) => ({ streamId: 's-1', streamVersion: 3, position, recordedAt: '2026-04-01T00:00:00.000Z', prevHash });
  const events: Array<[string, LedgerEvent]> = [
    ['a record event', recordUsed('c-1', 'R-1', '運用 "q" \\ \u2028')],
    ['a contract event', workerBriefed('c-1', 'W-1')],
    ['members sorting between every metadata key, and one a producer set itself', {
      ...recordUsed('c-1', 'R-1'),
      a: 1, pos: [1, { z: 1, a: 2 }], positionX: 'x', prevHasg: null, prevHashZ: true, recordedA: 'r', s: 's', streamIdx: 1, streamVersions: 2, z: 'last', position: 999, é: 'non-ASCII key',
    } as unknown as LedgerEvent],
    ['an undefined member and a Date', { ...workerBriefed('c-1', 'W-2'), skipped: undefined, when: new Date(0) } as unknown as LedgerEvent],
  ];

  it.each(events)('matches the whole-object canonical JSON and hash for %s', (_, event) => {
    for (const m of [meta(null), meta('ab'.repeat(32), 2 ** 40)]) {
      const whole = canonicalize({ ...event, ...m });
      const spliced = encodePrepared(prepareEvent(event), m);
      expect(spliced.canonical).toBe(whole);
      expect(spliced.hash.equals(encodeStoredEvent(event, m).hash)).toBe(true);
    }
  });

  it('leaves an event it cannot canonicalize to the whole-object path, which names where', () => {
    const event = { ...workerBriefed('c-1', 'W-1'), data: { n: Number.NaN } } as unknown as LedgerEvent;
    expect(prepareEvent(event).pieces).toBeNull();
    expect(() => encodePrepared(prepareEvent(event), meta(null))).toThrow(/\$\.data\.n/);
  });
});
