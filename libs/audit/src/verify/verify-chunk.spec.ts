import { encodeStoredEvent, streamIdOf } from '@ledger/event-store';
import { generateHistory } from '../../../../test/generators/care-insurance-history.js';
import { parseStored, scanStored } from './verify-chunk.js';

describe("the verifier's fast reading of stored events", () => {
  const stored = (): string[] => {
    const texts: string[] = [];
    const versions = new Map<string, number>();
    let position = 0;
    for (const batch of generateHistory({ seed: 7, contracts: 2, recordsPerContract: 150, batchSize: 1000 })) {
      for (const event of batch) {
        const streamId = streamIdOf(event);
        const streamVersion = (versions.get(streamId) ?? -1) + 1;
        versions.set(streamId, streamVersion);
        position++;
        const prevHash = streamVersion === 0 ? null : 'ab'.repeat(32);
        texts.push(encodeStoredEvent(event, { streamId, streamVersion, position, recordedAt: '2026-05-01T00:00:00.000Z', prevHash }).canonical);
      }
    }
    return texts;
  };

  it('reads exactly what a full JSON parse reads, for every event type the ledger stores', () => {
    const texts = stored();
    const types = new Set<string>();
    for (const text of texts) {
      const scanned = scanStored(text);
      const full = JSON.parse(text) as Record<string, unknown>;
      types.add(full.type as string);
      expect(scanned).toEqual({
        eventId: full.eventId,
        contractId: full.contractId,
        occurredAt: full.occurredAt,
        position: full.position,
        prevHash: full.prevHash,
        recordedAt: full.recordedAt,
        streamId: full.streamId,
        streamVersion: full.streamVersion,
        type: full.type,
        ...(full.recordId === undefined ? {} : { recordId: full.recordId }),
      });
    }
    expect(types.size).toBeGreaterThan(20);
  });

  it('declines what is not laid out as the ledger writes it, leaving it to the full parse', () => {
    const [text] = stored();
    expect(scanStored(text!.replace(',"type":"', ',"kind":"'))).toBeNull();
    expect(scanStored(`${text!} `)).toBeNull();
    expect(scanStored('{"a":1}')).toBeNull();
    expect(parseStored('not json')).toBeNull();
    expect(parseStored('[1]')).toBeNull();
    expect(parseStored(text!)).toMatchObject({ position: 1, streamVersion: 0 });
  });
});
