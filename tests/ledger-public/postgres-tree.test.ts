/**
 * The LedgerTree port on a real PostgreSQL 15 (tests/helpers/postgres.ts): proofs and roots
 * from the block cache equal the naive computation over every stored leaf, the V4 refusals hold
 * there, two signers on separate pools never sign inconsistent checkpoints, and EventStoreDB
 * gets a coded refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { LedgerPublic, initLogKey, loadLogKey, openLedgerPublicOn } from '../../src/app/ledger/index.js';
import { openStore, PostgresLedgerTree, type EventStore } from '../../src/store/index.js';
import { auditPath, consistencyProof, merkleLevels, merkleRoot, verifyConsistency } from '../../src/verify/index.js';
import { newEvents } from '../helpers/events.js';
import { freshSchema, usePostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';

const pg = usePostgres();
const hex = (ps: readonly Uint8Array[]): string[] => ps.map(bytesToHex);

describe('LedgerTree on PostgreSQL', () => {
  let dir: ReturnType<typeof tempDir>;
  let url: string;
  let schema: string;
  let store: EventStore;
  const leavesOf = async (): Promise<Uint8Array[]> =>
    (await pg().sql<{ hash: string }>(`SELECT hash FROM ${schema}.events ORDER BY position`)).map((r) => hexToBytes(r.hash));

  beforeAll(async () => {
    dir = tempDir('suiji-pgtree-');
    schema = freshSchema('tree');
    url = pg().url(schema);
    store = await openStore({ dataDir: dir.path, store: url });
    for (let i = 0; i < 300; i += 30) await store.append(`s-${i}`, newEvents(30, (k) => ({ payload: { i: i + k } })), 'noStream');
    initLogKey(dir.path, { origin: 'pg.suiji.example/ledger' });
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('V4: inclusion and consistency proofs and roots from the block cache equal the naive computation over every stored leaf', async () => {
    const opened = await openLedgerPublicOn(dir.path, url, { minIntervalMs: 0 });
    try {
      const leaves = await leavesOf();
      expect(leaves).toHaveLength(300);
      const levels = merkleLevels(leaves);
      expect(bytesToHex(merkleRoot(leaves))).toBe((await store.head()).root);
      for (const size of [1, 15, 16, 17, 64, 129, 256, 299, 300]) {
        const sub = merkleLevels(leaves.slice(0, size));
        const idx = Math.floor(size / 2);
        expect((await opened.ledger.inclusion(idx, size)).proof).toEqual(hex(auditPath(idx, size, (l, i) => sub[l]![i]!)));
        expect((await opened.ledger.consistency(17, Math.max(17, size))).proof).toEqual(hex(consistencyProof(levels, 17, Math.max(17, size))));
      }
      const cp = await opened.ledger.checkpoint();
      expect(cp.size).toBe(300);
      expect(cp.root).toBe(bytesToHex(merkleRoot(leaves)));
    } finally {
      await opened.close();
    }
  });

  it('V4: two signers on separate connection pools sign concurrently, and every stored checkpoint extends every earlier one', async () => {
    const a = await openLedgerPublicOn(dir.path, url, { minIntervalMs: 0 });
    const b = await openLedgerPublicOn(dir.path, url, { minIntervalMs: 0 });
    try {
      for (let round = 0; round < 5; round++) {
        await store.append(`race-${round}`, newEvents(3), 'noStream');
        await Promise.all([a.ledger.checkpoint(), b.ledger.checkpoint()]);
      }
      const rows = await pg().sql<{ size: number; root: string }>(`SELECT size::int AS size, root FROM ${schema}.signed_checkpoints ORDER BY size`);
      expect(rows.length).toBeGreaterThanOrEqual(6);
      const leaves = await leavesOf();
      for (let i = 1; i < rows.length; i++) {
        const from = rows[i - 1]!;
        const to = rows[i]!;
        const proof = consistencyProof(merkleLevels(leaves.slice(0, to.size)), from.size, to.size);
        expect(verifyConsistency(from.size, to.size, proof, hexToBytes(from.root), hexToBytes(to.root))).toBe(true);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('V4: a leaf hash rewritten in PostgreSQL after signing is refused (CHECKPOINT_REFUSED) and nothing is signed', async () => {
    const tree = await PostgresLedgerTree.open(url);
    const warnings: Record<string, unknown>[] = [];
    const ledger = new LedgerPublic({ tree, loadKey: () => loadLogKey(dir.path), minIntervalMs: 0, warn: (_m, d) => void warnings.push(d) });
    try {
      await ledger.checkpoint();
      const before = await pg().sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.signed_checkpoints`);
      await store.append('after-tamper', newEvents(1), 'noStream');
      await pg().sql(`UPDATE ${schema}.events SET hash = repeat('ab', 32) WHERE position = 5`);
      await expect(ledger.checkpoint()).rejects.toMatchObject({ code: 'CHECKPOINT_REFUSED' });
      expect(warnings[0]).toMatchObject({ reason: expect.stringMatching(/leaf-rewritten|leaves-disagree-with-head/) });
      const after = await pg().sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.signed_checkpoints`);
      expect(after[0]!.n).toBe(before[0]!.n);
    } finally {
      await tree.close();
    }
  });

  it('on an EventStoreDB ledger, checkpoints and proofs are refused with the coded STORE_FEATURE_UNSUPPORTED (no server contacted)', async () => {
    const opened = await openLedgerPublicOn(dir.path, 'esdb://127.0.0.1:1?tls=false&ledger=x', { minIntervalMs: 0 });
    await expect(opened.ledger.checkpoint()).rejects.toMatchObject({ code: 'STORE_FEATURE_UNSUPPORTED', details: { field: '--store' } });
    await expect(opened.ledger.consistency(0, 0)).rejects.toMatchObject({ code: 'STORE_FEATURE_UNSUPPORTED' });
    await opened.close();
  });
});
