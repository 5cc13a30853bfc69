/**
 * How every message names a checkpoint: by its tree size (what a client asks for, ?treeSize=N, and
 * what a bundle is proven against), with its sequence number where the order of the signed
 * checkpoints matters: `checkpoint 359`, `checkpoint 359 (#2)`.
 */
export function checkpointName(treeSize: number, seq?: number): string {
  return seq === undefined ? `checkpoint ${treeSize}` : `checkpoint ${treeSize} (#${seq})`;
}
