import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { inclusionProof, leafHash, merkleLevels, merkleRoot, verifyInclusion } from '../../src/verify/index.js';

const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`leaf-${i}`)));

describe('RFC 6962 inclusion proofs', () => {
  it('the levels give the RFC 6962 root, and every leaf of trees of 1..70 leaves proves against it', () => {
    for (let n = 1; n <= 70; n++) {
      const ls = leaves(n);
      const levels = merkleLevels(ls);
      const root = merkleRoot(ls);
      expect(levels[levels.length - 1]![0]).toEqual(root);
      for (let i = 0; i < n; i++) expect(verifyInclusion(ls[i]!, i, n, inclusionProof(levels, i), root), `n=${n} i=${i}`).toBe(true);
    }
  });

  it('an altered leaf, index, size, path hash, or a path with a hash added or removed fails', () => {
    const ls = leaves(13);
    const levels = merkleLevels(ls);
    const root = merkleRoot(ls);
    const proof = inclusionProof(levels, 6);
    expect(verifyInclusion(ls[6]!, 6, 13, proof, root)).toBe(true);
    expect(verifyInclusion(ls[5]!, 6, 13, proof, root)).toBe(false);
    expect(verifyInclusion(ls[6]!, 7, 13, proof, root)).toBe(false);
    expect(verifyInclusion(ls[6]!, 6, 8, proof, root)).toBe(false);
    expect(verifyInclusion(ls[6]!, 6, 13, [sha256(new Uint8Array(1)), ...proof.slice(1)], root)).toBe(false);
    expect(verifyInclusion(ls[6]!, 6, 13, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(ls[6]!, 6, 13, [...proof, proof[0]!], root)).toBe(false);
    expect(verifyInclusion(ls[6]!, 13, 13, proof, root)).toBe(false);
  });
});
