// Tree sizes and indices go up to 2^53 - 1, beyond the 32 bits JavaScript's bitwise operators
// handle, so these helpers use arithmetic instead of `>>`, `&` and `|`.

/** Largest power of two strictly smaller than n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Number of set bits of a non-negative safe integer. */
export function popCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** Whether n is a positive safe integer that is a power of two. */
export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  let rest = n;
  while (rest % 2 === 0) rest /= 2;
  return rest === 1;
}

/**
 * The perfect subtrees that make up leaves [start, end), largest first, as (level, index) pairs.
 * `start` must be aligned so that every chunk is a complete node, which holds for [0, n) and for
 * every range RFC 9162's recursive definitions produce.
 */
export function perfectSubtrees(start: number, end: number): Array<{ level: number; index: number }> {
  const nodes: Array<{ level: number; index: number }> = [];
  let position = start;
  let width = 1;
  let level = 0;
  while (width * 2 <= end - start) {
    width *= 2;
    level++;
  }
  for (; position < end; width /= 2, level--) {
    if (position + width > end) continue;
    if (position % width !== 0) throw new Error(`range [${start}, ${end}) is not aligned to subtree boundaries`);
    nodes.push({ level, index: position / width });
    position += width;
  }
  return nodes;
}

export function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
  }
}
