import { randomUUID } from 'node:crypto';
import { InvalidEventsError } from '@ledger/domain';
import { EXAMPLE_EVENTS } from './examples.js';
import { parseNdjsonChunk, readNdjson, type NdjsonPiece } from './ndjson.js';

async function pieces(parts: Array<string | Buffer>, options = {}): Promise<NdjsonPiece[]> {
  async function* source() {
    for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
  }
  const out: NdjsonPiece[] = [];
  for await (const piece of readNdjson(source(), options)) out.push(piece);
  return out;
}

const line = (n: number): string => `${JSON.stringify({ n })}\n`;

describe('NDJSON streams', () => {
  it('cuts lines into chunks whatever the network cut, with their line numbers; blank lines and CRLF are fine', async () => {
    const text = `\ufeff${line(1)}\r\n${line(2).replace('\n', '\r\n')}${line(3)}${line(4)}${line(5).trimEnd()}`;
    const bytes = Buffer.from(text);
    const split = [bytes.subarray(0, 7), bytes.subarray(7, 8), bytes.subarray(8, 30), bytes.subarray(30)];
    const result = await pieces(split, { chunkEvents: 2 });
    expect(result).toEqual([
      { kind: 'chunk', firstIndex: 0, lines: [1, 3], values: [{ n: 1 }, { n: 2 }] },
      { kind: 'chunk', firstIndex: 2, lines: [4, 5], values: [{ n: 3 }, { n: 4 }] },
      { kind: 'chunk', firstIndex: 4, lines: [6], values: [{ n: 5 }] },
    ]);
  });

  it('stops at a line that is not JSON, after the chunk of the lines before it', async () => {
    const result = await pieces([line(1) + line(2) + '{"n":\n' + line(4)], { chunkEvents: 10 });
    expect(result).toEqual([
      { kind: 'chunk', firstIndex: 0, lines: [1, 2], values: [{ n: 1 }, { n: 2 }] },
      { kind: 'stop', index: 2, line: 3, problem: expect.objectContaining({ index: 2, line: 3, rule: 'json' }) },
    ]);
  });

  it('stops at a line longer than the limit without holding more of it', async () => {
    const long = `{"pad":"${'x'.repeat(5000)}"}\n`;
    const result = await pieces([line(1), long.slice(0, 2000), long.slice(2000)], { maxLineBytes: 1024 });
    expect(result.at(-1)).toEqual({ kind: 'stop', index: 1, line: 2, problem: expect.objectContaining({ rule: 'lineTooLong' }) });
  });

  it('stops at bytes that are not UTF-8', async () => {
    const result = await pieces([Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0x82, 0xa0]), Buffer.from('"}\n')])]);
    expect(result).toEqual([{ kind: 'stop', index: 0, line: 1, problem: expect.objectContaining({ rule: 'utf8' }) }]);
  });

  it('hands over a chunk that is not full once the sender pauses', async () => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    async function* source() {
      yield Buffer.from(line(1));
      await paused;
      yield Buffer.from(line(2));
    }
    const iterator = readNdjson(source(), { idleFlushMs: 10 });
    const first = await iterator.next();
    expect(first.value).toEqual({ kind: 'chunk', firstIndex: 0, lines: [1], values: [{ n: 1 }] });
    release();
    expect((await iterator.next()).value).toEqual({ kind: 'chunk', firstIndex: 1, lines: [2], values: [{ n: 2 }] });
  });

  it('checks a chunk with the batch rules, naming the stream index and line of each problem', () => {
    const good = { ...EXAMPLE_EVENTS.RecordUsed, eventId: randomUUID() };
    const bad = { ...EXAMPLE_EVENTS.RecordUsed, eventId: randomUUID(), data: { purpose: 'x', name: '岡山 太郎' } };
    let error: InvalidEventsError | null = null;
    try {
      parseNdjsonChunk({ kind: 'chunk', firstIndex: 1000, lines: [1001, 1003], values: [good, bad] }, Date.now());
    } catch (e) {
      error = e as InvalidEventsError;
    }
    expect(error!.problems).toEqual([expect.objectContaining({ index: 1001, line: 1003, field: 'data.name', rule: 'unknownField' })]);
  });
});
