import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CACHE_LEVEL, SqliteLedgerTree, type SqliteEventStore } from '../../src/store/index.js';
import { auditPath, consistencyProof, consistencyProofWith, inclusionProof, merkleLevels, merkleRoot } from '../../src/verify/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { appendN, ledgerOf, rawDb, storedLeaves } from './fixtures.js';

const hex = (ps: readonly Uint8Array[]): string[] => ps.map(bytesToHex);

describe('store-side proofs over the node cache', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  let tree: SqliteLedgerTree;
  beforeEach(async () => {
    dir = tempDir('suiji-tree-');
    store = await ledgerOf(dir.path, 1300, 130);
    tree = new SqliteLedgerTree(dir.path);
  });
  afterEach(async () => {
    tree.close();
    await store.close();
    dir.remove();
  });

  it('V4: inclusion and consistency proofs and roots from the cache equal the naive computation over every stored leaf', () => {
    const leaves = storedLeaves(dir.path);
    expect(leaves).toHaveLength(1300);
    expect(bytesToHex(tree.rootAt(1300))).toBe(tree.head().root);
    const sizes = [1, 2, 15, 16, 17, 33, 255, 256, 257, 511, 512, 513, 768, 1024, 1025, 1299, 1300];
    for (const size of sizes) {
      const levels = merkleLevels(leaves.slice(0, size));
      expect(bytesToHex(tree.rootAt(size)), `root ${size}`).toBe(bytesToHex(merkleRoot(leaves.slice(0, size))));
      for (const index of new Set([0, 1, Math.floor(size / 2), size - 2, size - 1].filter((i) => i >= 0 && i < size))) {
        expect(hex(auditPath(index, size, tree.perfect)), `inclusion ${index}/${size}`).toEqual(hex(inclusionProof(levels, index)));
      }
      for (const m of new Set([0, 1, 3, 256, 300, 512, 1000, size - 1, size].filter((x) => x >= 0 && x <= size))) {
        expect(hex(consistencyProofWithTree(tree, m, size)), `consistency ${m}→${size}`).toEqual(hex(consistencyProof(leaves, m, size)));
      }
    }
    // Every complete aligned subtree of 2^CACHE_LEVEL leaves or more below 1300 is cached, and nothing else.
    expect(tree.cachedBlocks()).toBe(Math.floor(1300 / 2 ** CACHE_LEVEL));
    const rows = rawDb(dir.path).prepare('SELECT level, count(*) AS n FROM merkle_nodes GROUP BY level ORDER BY level').all();
    const expected = [];
    for (let level = CACHE_LEVEL; 2 ** level <= 1300; level++) expected.push({ level, n: Math.floor(1300 / 2 ** level) });
    expect(rows).toEqual(expected);
  });

  it('the cache grows with the ledger and two handles filling it at once agree', async () => {
    tree.fill(1300);
    await appendN(store, 900, 150, 't');
    const other = new SqliteLedgerTree(dir.path);
    try {
      other.fill(2200);
      tree.fill(2200);
      expect(tree.cachedBlocks()).toBe(Math.floor(2200 / 2 ** CACHE_LEVEL));
      const leaves = storedLeaves(dir.path);
      expect(bytesToHex(other.rootAt(2200))).toBe(bytesToHex(merkleRoot(leaves)));
      expect(bytesToHex(tree.rootAt(2048))).toBe(bytesToHex(merkleRoot(leaves.slice(0, 2048))));
    } finally {
      other.close();
    }
  });
});

function consistencyProofWithTree(tree: SqliteLedgerTree, m: number, n: number): Uint8Array[] {
  return consistencyProofWith(m, n, tree.perfect);
}
