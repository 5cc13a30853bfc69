/**
 * The valid name a mistyped one most likely meant (`RecordCopyed` → `RecordCopied`), or null when
 * none is close: a case-insensitive edit distance of at most a third of the name's length (at
 * least 2). Used in error messages only; the input is bounded so the table stays small.
 */
export function closestName(given: unknown, names: readonly string[]): string | null {
  if (typeof given !== 'string' || given.length === 0 || given.length > 100) return null;
  const wanted = given.toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = editDistance(wanted, name.toLowerCase());
    if (best === null || distance < best.distance) best = { name, distance };
  }
  return best !== null && best.distance <= Math.max(2, Math.floor(given.length / 3)) ? best.name : null;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
