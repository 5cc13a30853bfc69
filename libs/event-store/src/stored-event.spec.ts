import { EVENT_TYPES } from '@ledger/domain';
import { exampleEvent } from '@ledger/wire';
import { generateHistory } from '../../../test/generators/care-insurance-history.js';
import { decodeStoredEvent, encodePreparedEvent, encodeStoredEvent, prepareEvent } from './stored-event.js';

describe('the stored event', () => {
  const meta = (i: number) => ({
    streamId: `record-c-R-${i}`,
    streamVersion: i % 7,
    position: i + 1,
    recordedAt: '2026-11-25T01:02:03.004Z',
    prevHash: i % 3 ? 'ab'.repeat(32) : null,
  });

  it('prepared ahead of the append lock, encodes to exactly the canonical bytes and hash of the whole', () => {
    const events = [
      ...EVENT_TYPES.map((t, i) => exampleEvent(t, `5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a${String(i).padStart(2, '0')}`)),
      ...[...generateHistory({ seed: 3, contracts: 1, recordsPerContract: 40, violationRate: 0.3 })].flat(),
    ];
    events.forEach((event, i) => {
      const whole = encodeStoredEvent(event, meta(i));
      const prepared = encodePreparedEvent(prepareEvent(event), meta(i));
      expect(prepared.canonical).toBe(whole.canonical);
      expect(prepared.hash.equals(whole.hash)).toBe(true);
    });
  });

  it('decodes back to the producer event and the ledger metadata', () => {
    const event = exampleEvent('RecordCopied', '5b0c7c1e-8a39-4d2e-9a51-0f3c1f1f6a10');
    const { canonical, hash } = encodeStoredEvent(event, meta(4));
    expect(decodeStoredEvent(canonical, hash.toString('hex'))).toEqual({ event, ...meta(4), hash: hash.toString('hex') });
  });
});
