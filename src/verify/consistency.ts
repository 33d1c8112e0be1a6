/**
 * RFC 9162 §2.1.4 consistency proofs: the tree of n leaves extends the tree of m leaves
 * (its first m leaves are the same). This is what makes a log append-only to an outsider —
 * two signed checkpoints that no proof links are evidence of a rewritten history (V4).
 */
import { EMPTY_ROOT, merkleRoot, nodeHash } from './merkle.js';
import { perfectFromLevels, subtreeRoot, type PerfectSubtree } from './subtree.js';
import { splitPoint } from './merkle.js';

/** log₂ of the largest tree we take (2^53); a proof longer than twice that is malformed. */
const MAX_PROOF_HASHES = 2 * 53;

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) over perfect subtrees; [] when m is 0 or m = n. */
export function consistencyProofWith(m: number, n: number, perfect: PerfectSubtree): Uint8Array[] {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) throw new RangeError(`consistencyProof: ${m} and ${n} are not 0 <= m <= n`);
  if (m === 0 || m === n) return [];
  const proof: Uint8Array[] = [];
  // SUBPROOF(m, D[lo:hi], b) iteratively: each step appends one hash after the deeper ones, so collect and reverse.
  let lo = 0;
  let hi = n;
  let rel = m;
  let complete = true; // b: is the old tree's root this subtree itself?
  for (;;) {
    const size = hi - lo;
    if (rel === size) {
      if (!complete) proof.push(subtreeRoot(lo, hi, perfect));
      break;
    }
    const k = splitPoint(size);
    if (rel <= k) {
      proof.push(subtreeRoot(lo + k, hi, perfect));
      hi = lo + k;
    } else {
      proof.push(subtreeRoot(lo, lo + k, perfect));
      lo += k;
      rel -= k;
      complete = false;
    }
  }
  return proof.reverse();
}

/** For tests and small trees: from leaf hashes, or from `merkleLevels` of at least n leaves. */
export function consistencyProof(source: readonly Uint8Array[] | readonly (readonly Uint8Array[])[], m: number, n: number): Uint8Array[] {
  const first = source[0];
  if (first !== undefined && !(first instanceof Uint8Array)) return consistencyProofWith(m, n, perfectFromLevels(source as readonly (readonly Uint8Array[])[]));
  const leaves = source as readonly Uint8Array[];
  if (n > leaves.length) throw new RangeError(`consistencyProof: ${n} > ${leaves.length} leaves`);
  return consistencyProofWith(m, n, (level, index) => merkleRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)));
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const isPowerOfTwo = (x: number): boolean => x > 0 && 2 ** Math.round(Math.log2(x)) === x;

/**
 * RFC 9162 §2.1.4.2: true when `proof` shows the tree of n leaves with root `rootN` extends
 * the tree of m leaves with root `rootM`. m = 0 (the empty tree) and m = n need an empty proof.
 */
export function verifyConsistency(m: number, n: number, proof: readonly Uint8Array[], rootM: Uint8Array, rootN: Uint8Array): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (proof.length > MAX_PROOF_HASHES || proof.some((p) => p.length !== 32)) return false;
  if (m === 0) return proof.length === 0 && equal(rootM, EMPTY_ROOT);
  if (m === n) return proof.length === 0 && equal(rootM, rootN);
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  if (path.length === 0) return false;
  // Step 3: fn, sn as in the RFC; shift out the low set bits of fn.
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, rootM) && equal(sr, rootN);
}
