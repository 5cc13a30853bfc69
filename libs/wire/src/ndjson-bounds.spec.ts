import { NDJSON_CHUNK_BYTES, readNdjson, type NdjsonPiece } from './ndjson.js';

async function pieces(lines: string[]): Promise<NdjsonPiece[]> {
  async function* source(): AsyncGenerator<string> {
    for (const line of lines) yield `${line}\n`;
  }
  const out: NdjsonPiece[] = [];
  for await (const piece of readNdjson(source(), { idleFlushMs: 60_000 })) out.push(piece);
  return out;
}

describe('an NDJSON stream stays bounded', () => {
  it('cuts a chunk once its lines hold NDJSON_CHUNK_BYTES, whatever their number', async () => {
    const line = JSON.stringify({ padding: 'x'.repeat(600 * 1024) });
    const got = await pieces(Array.from({ length: 10 }, () => line));
    const sizes = got.map((p) => (p.kind === 'chunk' ? p.values.length : -1));
    expect(sizes).toEqual([Math.ceil(NDJSON_CHUNK_BYTES / line.length), 10 - Math.ceil(NDJSON_CHUNK_BYTES / line.length)]);
  });

  it('stops at a line nested deeper than the wire contract allows, before parsing it', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const got = await pieces(['{"a":1}', deep, '{"b":2}']);
    expect(got).toEqual([
      { kind: 'chunk', firstIndex: 0, lines: [1], values: [{ a: 1 }] },
      expect.objectContaining({ kind: 'stop', line: 2, problem: expect.objectContaining({ rule: 'maxDepth' }) }),
    ]);
  });
});
