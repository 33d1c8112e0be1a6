/** RFC 6962 §2.1 Merkle Tree Hash: reference vectors and the incremental frontier. */
import { describe, it, expect } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { EMPTY_ROOT, leafHash, merkleRoot, MerkleFrontier, nodeHash, splitPoint } from '../../src/verify/merkle.js';

// Certificate Transparency's reference tree (certificate-transparency merkle_tree_test.cc,
// kInputs / kSHA256Roots): the root after each of the first 1..8 leaves.
const ctInputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ctRoots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const ctLeaves = ctInputs.map((h) => leafHash(hexToBytes(h)));

describe('RFC 6962 Merkle tree', () => {
  it('the empty tree hash is SHA-256 of the empty string (§2.1)', () => {
    expect(bytesToHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(bytesToHex(merkleRoot([]))).toBe(bytesToHex(EMPTY_ROOT));
    expect(bytesToHex(MerkleFrontier.empty().root())).toBe(bytesToHex(EMPTY_ROOT));
  });

  it('leaf and node hashes carry the 0x00 / 0x01 domain-separation prefixes (§2.1)', () => {
    const data = utf8ToBytes('abc');
    expect(bytesToHex(leafHash(data))).toBe(bytesToHex(sha256(Uint8Array.from([0, ...data]))));
    const [l, r] = [sha256(utf8ToBytes('l')), sha256(utf8ToBytes('r'))];
    expect(bytesToHex(nodeHash(l, r))).toBe(bytesToHex(sha256(Uint8Array.from([1, ...l, ...r]))));
    // A one-leaf tree's root is the leaf hash, never the raw data's hash (second-preimage defence).
    expect(bytesToHex(merkleRoot([leafHash(data)]))).not.toBe(bytesToHex(sha256(data)));
  });

  it.each(ctRoots.map((root, i) => [i + 1, root] as const))('CT reference tree: root over the first %i leaves', (n, root) => {
    expect(bytesToHex(merkleRoot(ctLeaves.slice(0, n)))).toBe(root);
  });

  it('the frontier reproduces the CT reference roots leaf by leaf', () => {
    const f = MerkleFrontier.empty();
    ctLeaves.forEach((leaf, i) => {
      f.push(leaf);
      expect(bytesToHex(f.root())).toBe(ctRoots[i]);
    });
  });

  it('the frontier root equals the recursive MTH for every size 0..100', () => {
    const leaves = Array.from({ length: 100 }, (_, i) => leafHash(utf8ToBytes(`leaf-${i}`)));
    const f = MerkleFrontier.empty();
    for (let n = 0; n <= 100; n++) {
      expect(f.size).toBe(n);
      expect(bytesToHex(f.root())).toBe(bytesToHex(merkleRoot(leaves.slice(0, n))));
      expect(f.subtreeRoots).toHaveLength(n.toString(2).replace(/0/g, '').length);
      if (n < 100) f.push(leaves[n]!);
    }
  });

  it('a restored frontier continues exactly like the original; a wrong node count is refused', () => {
    const leaves = Array.from({ length: 23 }, (_, i) => leafHash(utf8ToBytes(`x${i}`)));
    const f = MerkleFrontier.empty();
    leaves.slice(0, 13).forEach((l) => f.push(l));
    const at13 = [...f.subtreeRoots];
    const g = MerkleFrontier.restore(13, at13);
    leaves.slice(13).forEach((l) => {
      f.push(l);
      g.push(l);
    });
    expect(bytesToHex(g.root())).toBe(bytesToHex(f.root()));
    expect(() => MerkleFrontier.restore(13, at13.slice(1))).toThrow(RangeError);
    const c = f.clone();
    c.push(leaves[0]!);
    expect(f.size).toBe(23);
  });

  it('splitPoint is the largest power of two strictly below n (§2.1)', () => {
    expect([2, 3, 4, 5, 8, 9, 100].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 64]);
  });
});
