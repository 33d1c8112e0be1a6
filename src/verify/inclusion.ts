/**
 * RFC 6962 §2.1.1 audit paths (inclusion proofs) and their verification (RFC 9162 §2.1.3.2):
 * a leaf at `index` of a tree of `size` leaves is shown to be under `root` with ⌈log₂ size⌉
 * hashes or fewer, without the other leaves. An archive (E10) carries one per event, so an
 * auditor checks an entry offline against a published checkpoint root.
 */
import { nodeHash, type NodeHasher } from './merkle.js';

/**
 * Every level of the tree over `leaves`, bottom up. A level's lone last node is carried up
 * unchanged, which yields the same tree as RFC 6962's split at the largest power of two below
 * n (tests/verify/inclusion.test.ts checks it against `merkleRoot`). O(n) hashes, built once for
 * as many proofs as wanted.
 */
export function merkleLevels(leaves: readonly Uint8Array[], hashNode: NodeHasher = nodeHash): Uint8Array[][] {
  const levels: Uint8Array[][] = [[...leaves]];
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!;
    const up: Uint8Array[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) up.push(hashNode(below[i]!, below[i + 1]!));
    if (below.length % 2 === 1) up.push(below[below.length - 1]!);
    levels.push(up);
  }
  return levels;
}

/** The audit path of leaf `index` in the tree whose levels are given, from the leaf's sibling up. */
export function inclusionProof(levels: readonly (readonly Uint8Array[])[], index: number): Uint8Array[] {
  const size = levels[0]?.length ?? 0;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`inclusionProof: index ${index} outside a tree of ${size}`);
  const path: Uint8Array[] = [];
  let i = index;
  for (let l = 0; l < levels.length - 1; l++) {
    const sibling = i ^ 1;
    if (sibling < levels[l]!.length) path.push(levels[l]![sibling]!);
    i = Math.floor(i / 2);
  }
  return path;
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * RFC 9162 §2.1.3.2: true when `leaf` (a leaf hash) at `index` of a tree of `size` leaves, with
 * the audit path `proof`, hashes up to `root`. Any extra, missing or altered hash fails.
 */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}
