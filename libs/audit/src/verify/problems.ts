/** What the full-log verifier can find wrong, each anchored at a position of the log. */
export type LogProblemKind =
  | 'missing-position'
  | 'hash-mismatch'
  | 'unreadable-event'
  | 'moved-event'
  | 'column-mismatch'
  | 'stream-chain'
  | 'leaf-mismatch'
  | 'root-mismatch'
  | 'root-unverifiable'
  | 'log-cut'
  | 'checkpoint-signature'
  | 'checkpoint-columns'
  | 'checkpoint-order'
  | 'checkpoint-consistency'
  | 'witness-quorum'
  | 'event-signature';

export interface LogProblem {
  /** The first position the problem concerns; for a checkpoint, the tree size it signs. */
  readonly position: number;
  /** For a problem located only to a range of positions (a root mismatch): its last position. */
  readonly through?: number;
  readonly kind: LogProblemKind;
  readonly message: string;
}

/**
 * Problems in position order; for one position, in the order they were found. A problem located
 * only to a range (a root that differs from its checkpoint) sorts after the concrete problems
 * inside that range, which explain it; alone in its range, it names the range's first position.
 */
export function byPosition(problems: readonly LogProblem[]): LogProblem[] {
  const concrete = problems.filter((p) => p.through === undefined).map((p) => p.position);
  const key = (p: LogProblem): number =>
    p.through !== undefined && concrete.some((c) => c >= p.position && c <= p.through!) ? p.through : p.position;
  return problems
    .map((p, i) => [p, key(p), i] as const)
    .sort((a, b) => a[1] - b[1] || a[2] - b[2])
    .map(([p]) => p);
}
