import { importedEventId, IMPORT_NAMESPACE, uuidV5 } from './uuid-v5.js';

describe('UUIDv5 eventIds', () => {
  it('matches the RFC 9562 construction (python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com"))', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives a row the same ID every time, another for another contract or identity', () => {
    const id = importedEventId('okayama-kaigo-demo', ['OPL-0000001']);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(importedEventId('okayama-kaigo-demo', ['OPL-0000001'])).toBe(id);
    expect(importedEventId('other-contract', ['OPL-0000001'])).not.toBe(id);
    expect(importedEventId('okayama-kaigo-demo', ['OPL-000000', '1'])).not.toBe(importedEventId('okayama-kaigo-demo', ['OPL-0000001']));
  });

  it('keeps its namespace: another one would make every re-import a new set of events', () => {
    expect(IMPORT_NAMESPACE).toBe('e78c2beb-7aa7-5673-9ccd-be54985805bf');
    expect(importedEventId('okayama-kaigo-demo', ['OPL-0000001'])).toBe('3a682a5d-c847-5319-907f-7de1a486ccbe');
  });
});
