import { exampleEvent } from '@ledger/wire';
import { decodeStoredEvent, encodeStoredEvent } from './stored-event.js';

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
