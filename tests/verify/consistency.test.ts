import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  EMPTY_ROOT,
  auditPath,
  consistencyProof,
  inclusionProof,
  leafHash,
  merkleLevels,
  merkleRoot,
  perfectFromLevels,
  verifyConsistency,
} from '../../src/verify/index.js';

const leaves = (n: number, tag = 'leaf'): Uint8Array[] => Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`${tag}-${i}`)));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('RFC 9162 consistency proofs', () => {
  it('V4: every pair 0 <= m <= n <= 40 proves from leaves and from levels, and matches merkleRoot', () => {
    const all = leaves(40);
    const levels = merkleLevels(all);
    for (let n = 1; n <= 40; n++) {
      const rootN = merkleRoot(all.slice(0, n));
      for (let m = 0; m <= n; m++) {
        const rootM = merkleRoot(all.slice(0, m));
        const proof = consistencyProof(all, m, n);
        expect(proof.map(hex)).toEqual(consistencyProof(levels, m, n).map(hex));
        expect(verifyConsistency(m, n, proof, rootM, rootN), `m=${m} n=${n}`).toBe(true);
      }
    }
  });

  it('RFC 6962 §2.1.3 example: the proof from 3 to 7 leaves is [c, d, g, l]', () => {
    const d = leaves(7);
    const c = d[2]!;
    const dNode = d[3]!;
    const g = merkleRoot(d.slice(0, 2));
    const l = merkleRoot(d.slice(4, 7));
    expect(consistencyProof(d, 3, 7).map(hex)).toEqual([c, dNode, g, l].map(hex));
    // And 4 → 7 is [l] (the old root is a whole subtree).
    expect(consistencyProof(d, 4, 7).map(hex)).toEqual([l].map(hex));
  });

  it('V4: property — for random m <= n, the proof verifies; a tampered hash, a dropped or an added hash, or another history fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.nat(), (n, m0, pick) => {
        const m = m0 % (n + 1);
        const ls = leaves(n);
        const rootM = merkleRoot(ls.slice(0, m));
        const rootN = merkleRoot(ls);
        const proof = consistencyProof(ls, m, n);
        expect(verifyConsistency(m, n, proof, rootM, rootN)).toBe(true);
        if (proof.length > 0) {
          const i = pick % proof.length;
          const tampered = proof.map((p, j) => (j === i ? sha256(p) : p));
          expect(verifyConsistency(m, n, tampered, rootM, rootN)).toBe(false);
          expect(verifyConsistency(m, n, proof.slice(0, -1), rootM, rootN)).toBe(false);
        }
        expect(verifyConsistency(m, n, [...proof, rootN], rootM, rootN)).toBe(false);
        if (m > 0) {
          // A history whose leaf pick % m was rewritten: the old root no longer matches.
          const other = [...ls];
          other[pick % m] = sha256(other[pick % m]!);
          expect(verifyConsistency(m, n, proof, merkleRoot(other.slice(0, m)), rootN)).toBe(false);
          expect(verifyConsistency(m, n, consistencyProof(other, m, n), rootM, merkleRoot(other))).toBe(false);
        }
        if (m < n) expect(verifyConsistency(m + 1, n, proof, rootM, rootN)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses sizes that are negative, non-integer, or m > n, and a non-32-byte hash', () => {
    const ls = leaves(5);
    const r5 = merkleRoot(ls);
    const r3 = merkleRoot(ls.slice(0, 3));
    const proof = consistencyProof(ls, 3, 5);
    expect(verifyConsistency(-1, 5, proof, r3, r5)).toBe(false);
    expect(verifyConsistency(3.5, 5, proof, r3, r5)).toBe(false);
    expect(verifyConsistency(5, 3, proof, r3, r5)).toBe(false);
    expect(verifyConsistency(3, 5, [...proof.slice(0, -1), new Uint8Array(31)], r3, r5)).toBe(false);
    expect(verifyConsistency(0, 5, [], EMPTY_ROOT, r5)).toBe(true);
    expect(verifyConsistency(0, 5, [], r3, r5)).toBe(false);
    expect(verifyConsistency(5, 5, [], r5, r5)).toBe(true);
    expect(verifyConsistency(5, 5, [r5], r5, r5)).toBe(false);
    expect(() => consistencyProof(ls, 4, 6)).toThrow(RangeError);
    expect(() => consistencyProof(ls, -1, 3)).toThrow(RangeError);
  });

  it('auditPath over perfect subtrees equals the levels-based inclusion proof for every leaf of 1..70', () => {
    for (let n = 1; n <= 70; n++) {
      const ls = leaves(n);
      const levels = merkleLevels(ls);
      for (let i = 0; i < n; i++) expect(auditPath(i, n, perfectFromLevels(levels)).map(hex)).toEqual(inclusionProof(levels, i).map(hex));
    }
  });
});
