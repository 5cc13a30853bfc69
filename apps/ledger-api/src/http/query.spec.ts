import { InvalidRequestError } from '@ledger/domain';
import { QueryReader } from './query.js';

function problems(read: () => void): string[] {
  try {
    read();
    return [];
  } catch (error) {
    return (error as InvalidRequestError).problems.map((p) => p.message);
  }
}

describe('QueryReader.time', () => {
  it('given an offset whose + arrived as a space (pasted unencoded into a URL), then it reads it as +', () => {
    const q = new QueryReader({ asOf: '2026-03-10T12:00:00 09:00' }, ['asOf']);
    expect(q.time('asOf', 0)).toEqual({ ms: Date.parse('2026-03-10T03:00:00Z'), text: '2026-03-10T12:00:00+09:00' });
    q.done();
  });

  it('given a value that is no timestamp, then the problem shows the value received and, for a space, how to encode +', () => {
    const q = new QueryReader({ asOf: '2026-03-10 12:00' }, ['asOf']);
    q.time('asOf', 0);
    expect(problems(() => q.done())).toEqual([expect.stringContaining('(received "2026-03-10 12:00"; a + in a URL must be encoded as %2B)')]);
  });
});
