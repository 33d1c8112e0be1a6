/**
 * RFC 9162 §2.1 proofs over any source of subtree hashes. The tree over n leaves splits at
 * k = the largest power of two below n, so every subtree a proof names is either a perfect,
 * aligned one (2^level leaves from index·2^level) or the right edge of a tree; the latter is
 * rebuilt from perfect ones. A source that keeps perfect subtrees (the store's node cache,
 * or `merkleLevels`) thus answers a proof with O(log n) lookups.
 */
import { EMPTY_ROOT, nodeHash, splitPoint } from './merkle.js';

/** The root of the perfect subtree of 2^level leaves starting at leaf index·2^level. */
export type PerfectSubtree = (level: number, index: number) => Uint8Array;

function perfectLevel(width: number, lo: number): number {
  // A power of two, and lo a multiple of it: the subtree is one node of `merkleLevels`.
  let level = 0;
  for (let w = width; w > 1; w /= 2) {
    if (w % 2 !== 0) return -1;
    level += 1;
  }
  return lo % width === 0 ? level : -1;
}

/** MTH(D[lo:hi]) by RFC 6962 §2.1, from perfect subtrees. */
export function subtreeRoot(lo: number, hi: number, perfect: PerfectSubtree): Uint8Array {
  const n = hi - lo;
  if (n <= 0) return EMPTY_ROOT;
  const level = perfectLevel(n, lo);
  if (level >= 0) return perfect(level, lo / n);
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(lo, lo + k, perfect), subtreeRoot(lo + k, hi, perfect));
}

/** RFC 9162 §2.1.3.1 PATH(index, D[0:size]), leaf sibling first. */
export function auditPath(index: number, size: number, perfect: PerfectSubtree): Uint8Array[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`auditPath: index ${index} outside a tree of ${size}`);
  }
  const path: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  // Walk down from the root, collecting the sibling at each split; reversed at the end.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      path.push(subtreeRoot(lo + k, hi, perfect));
      hi = lo + k;
    } else {
      path.push(subtreeRoot(lo, lo + k, perfect));
      lo += k;
    }
  }
  return path.reverse();
}

/** Perfect subtrees read from `merkleLevels` output (levels over at least the leaves asked for). */
export const perfectFromLevels =
  (levels: readonly (readonly Uint8Array[])[]): PerfectSubtree =>
  (level, index) => {
    const node = levels[level]?.[index];
    if (!node) throw new RangeError(`no node at level ${level} index ${index}`);
    return node;
  };
