import { CompactRange, type TreeNode } from './compact-range.js';
import { EMPTY_ROOT, leafHash, nodeHash } from './hashing.js';
import { merkleRoot } from './merkle.js';

const leaves = (n: number, tag = 'leaf'): Buffer[] => Array.from({ length: n }, (_, i) => leafHash(`${tag} ${i}`));

/** Hash of node (level, index) computed from the leaves by the reference implementation. */
const referenceNode = (all: Buffer[], level: number, index: number): Buffer => merkleRoot(all.slice(index * 2 ** level, (index + 1) * 2 ** level));

describe('CompactRange', () => {
  it('starts empty, with the empty root', () => {
    const range = CompactRange.empty();
    expect(range.size).toBe(0);
    expect(range.root()).toEqual(EMPTY_ROOT);
  });

  it('gives the reference root after every append, for sizes 1..300', () => {
    const all = leaves(300);
    const range = CompactRange.empty();
    all.forEach((leaf, i) => {
      range.append(leaf);
      expect(range.size).toBe(i + 1);
      expect(range.root()).toEqual(merkleRoot(all.slice(0, i + 1)));
      expect(range.hashes()).toHaveLength(popCount(i + 1));
    });
  });

  it('reports every completed node exactly once, with its correct hash', () => {
    // Given 100 leaves appended one by one
    const all = leaves(100);
    const range = CompactRange.empty();
    const reported: TreeNode[] = all.flatMap((leaf) => range.append(leaf));

    // Then each complete subtree of the 100-leaf tree was reported once, as the reference computes it
    const expected: string[] = [];
    for (let level = 0; 2 ** level <= 100; level++) {
      for (let index = 0; (index + 1) * 2 ** level <= 100; index++) expected.push(`${level}/${index}`);
    }
    expect(reported.map((node) => `${node.level}/${node.index}`).sort()).toEqual(expected.sort());
    for (const node of reported) expect(node.hash).toEqual(referenceNode(all, node.level, node.index));
  });

  it('reports the leaf first, then the nodes it completes, bottom up', () => {
    const range = CompactRange.empty();
    range.appendAll(leaves(7));
    const completed = range.append(leafHash('eighth'));
    expect(completed.map(({ level, index }) => [level, index])).toEqual([
      [0, 7],
      [1, 3],
      [2, 1],
      [3, 0],
    ]);
    expect(completed[3]!.hash).toEqual(range.root());
  });

  it('resumes from its JSON state as if it had never stopped', () => {
    // Given a range that stored its state after 37 leaves
    const all = leaves(50);
    const original = CompactRange.empty();
    original.appendAll(all.slice(0, 37));
    const stored = JSON.parse(JSON.stringify(original)) as ReturnType<CompactRange['toJSON']>;

    // When a new process resumes from it and appends the rest
    const resumed = CompactRange.fromJSON(stored);
    const completedAfterResume = resumed.appendAll(all.slice(37));
    const completedByOriginal = original.appendAll(all.slice(37));

    // Then it reaches the same root and reports the same nodes
    expect(resumed.root()).toEqual(merkleRoot(all));
    expect(completedAfterResume).toEqual(completedByOriginal);
  });

  it('refuses inconsistent stored state', () => {
    const hex = leafHash('x').toString('hex');
    expect(() => CompactRange.fromJSON({ size: 3, hashes: [hex] })).toThrow('a compact range of size 3 has 2 hashes, got 1');
    expect(() => CompactRange.fromJSON({ size: 1, hashes: ['zz'] })).toThrow('64 hex digits');
    expect(() => CompactRange.fromJSON({ size: -1, hashes: [] })).toThrow('size must be a non-negative safe integer');
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(() => CompactRange.empty().append(Buffer.from('short'))).toThrow('expected a 32-byte hash');
  });

  it('clones independently', () => {
    const range = CompactRange.empty();
    range.appendAll(leaves(3));
    const copy = range.clone();
    copy.append(leafHash('more'));
    expect(range.size).toBe(3);
    expect(copy.size).toBe(4);
  });

  it('folds the right edge from the right', () => {
    const [a, b, c] = leaves(3) as [Buffer, Buffer, Buffer];
    const range = CompactRange.fromFrontier(3, [nodeHash(a, b), c]);
    expect(range.root()).toEqual(nodeHash(nodeHash(a, b), c));
  });
});

function popCount(n: number): number {
  return n.toString(2).replaceAll('0', '').length;
}
