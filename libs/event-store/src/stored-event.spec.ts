import type { LedgerEvent } from '@ledger/domain';
import { canonicalize } from '@ledger/integrity';
import { exampleEvent } from '@ledger/wire';
import { recordUsed, workerBriefed } from './contract/test-events.js';
import { decodeStoredEvent, encodePrepared, encodeStoredEvent, prepareEvent } from './stored-event.js';

describe('the stored event', () => {
  const meta = (i: number) => ({
    streamId: `record-c-R-${i}`,
    streamVersion: i % 7,
    position: i + 1,
    recordedAt: '2026-11-25T01:02:03.004Z',
    prevHash: i % 3 ? 'ab'.repeat(32) : null,
  });

  it('decodes back to the producer event and the ledger metadata', () => {
    const event = exampleEvent('RecordCopied', '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10');
    const { canonical, hash } = encodeStoredEvent(event, meta(4));
    expect(decodeStoredEvent(canonical, hash.toString('hex'))).toEqual({ event, ...meta(4), hash: hash.toString('hex') });
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
