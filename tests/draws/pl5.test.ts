import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuijiError } from '../../src/domain/errors.js';
import { drawCountStreamId, shanghaiYear } from '../../src/domain/draws/index.js';
import { drawCountsOf } from '../../src/projections/draws/index.js';
import { verifyDrawRecord as verifyRecord } from '../../src/verify/index.js';
import { DEADLINE, SECRETS, makeUscc, meta, openHarness, seedItems, seedTargets, target, witnessPlan, type Harness } from './harness.js';

const A = makeUscc(1);
const B = makeUscc(2);
const C = makeUscc(3); // key industry: exempt
const D = makeUscc(4); // dishonest, with repeated complaints: exempt

const request = (task: string, over: Record<string, unknown> = {}) => ({
  task,
  item: 'ITEM-G100', // general item configured with a 100 % cap, so a draw may take the whole pool
  classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 1 } } }],
  entropy: witnessPlan(),
  revealDeadline: DEADLINE,
  ...over,
});

describe('PL5: at most two random draws per entity per calendar year', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
    await seedItems(h.store);
    await seedTargets(h.store, [
      target(1),
      target(2),
      target(3, { flags: { dishonest: false, abnormalOperation: false, keyIndustry: true, complaintCount: 0 } }),
      target(4, { flags: { dishonest: true, abnormalOperation: false, keyIndustry: false, complaintCount: 3 } }),
    ]);
  });
  afterEach(async () => h.close());

  const commitAndReveal = async (task: string, over: Record<string, unknown> = {}): Promise<string> => {
    const drawId = await h.service.commitTargets(meta(), request(task, over));
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    return drawId;
  };
  const drawAll = async (task: string, over: Record<string, unknown> = {}) => h.service.complete(meta(), await commitAndReveal(task, over));
  const count = async (uscc: string, year = 2026) => (await h.store.streamRevision(drawCountStreamId(uscc, year))) + 1;

  it('PL5: entities at the cap are excluded before the commitment and listed there with the reason; exempt ones stay and are not counted', async () => {
    await drawAll('T1');
    await drawAll('T2');
    expect([await count(A), await count(B), await count(C), await count(D)]).toEqual([2, 2, 0, 0]);
    await h.projections.catchUp();
    expect(drawCountsOf(h.projections.db, [A, B, C, D], 2026)).toEqual(new Map([[A, 2], [B, 2]]));
    const third = await h.service.commitTargets(meta(), request('T3'));
    const view = await h.service.get(third);
    const pool = (view.commitment as { classes: { pool: { size: number; exclusions: { id: string; reason: string }[] } }[] }).classes[0]!.pool;
    expect(pool.size).toBe(2);
    expect(pool.exclusions.map((e) => e.id)).toEqual([A, B]);
    expect(pool.exclusions[0]!.reason).toMatch(/^PL5：2026年度已被随机抽查2次，达到上限2次/);
    expect(view.counting).toEqual({ year: 2026, cap: 2, exempt: [{ id: C, reasons: ['keyIndustry'] }, { id: D, reasons: ['repeatedComplaints', 'dishonest'] }] });
    const exported = await (async () => {
      await h.service.revealWitness(meta(), third, { witness: 'w1', secret: SECRETS.w1 });
      await h.service.revealWitness(meta(), third, { witness: 'w2', secret: SECRETS.w2 });
      await h.service.complete(meta(), third);
      return h.service.exportRecord(third);
    })();
    // The exclusions are part of the public, verifiable record (V2).
    expect(verifyRecord(JSON.parse(JSON.stringify(exported)))).toEqual({ ok: true });
    expect('merged' in exported.result && [...exported.result.merged].sort()).toEqual([C, D]);
  });

  /** Both commit while A and B have one draw each, so neither excludes them; each waits for its last witness. */
  const twoOpen = async (): Promise<[string, string]> => {
    const second = await h.service.commitTargets(meta(), request('T2'));
    const third = await h.service.commitTargets(meta(), request('T3'));
    for (const d of [second, third]) await h.service.revealWitness(meta(), d, { witness: 'w1', secret: SECRETS.w1 });
    return [second, third];
  };
  const lastReveal = (h2: Harness, drawId: string) => h2.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });

  it('PL5: third random draw of an entity in a year is refused, also when two draws complete at once over the same entity', async () => {
    await drawAll('T1'); // A and B: 1 draw each
    const [second, third] = await twoOpen();
    // The last reveal completes its draw in the same append (V3); two racing completions: the store commits one.
    await Promise.all([lastReveal(h, second), lastReveal(h, third)]);
    const statuses = [(await h.service.get(second)).status, (await h.service.get(third)).status];
    expect([...statuses].sort()).toEqual(['committed', 'completed']);
    const loser = statuses[0] === 'committed' ? second : third;
    // The loser's reveal is recorded; it is determined, but PL5 refuses its completion.
    expect((await h.service.get(loser)).determination).toBe('determined');
    const e = await h.service.complete(meta(), loser).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(SuijiError);
    expect((e as SuijiError).details).toMatchObject({ rule: 'PL5', reason: 'YEARLY_CAP_REACHED', year: 2026, cap: 2 });
    expect(((e as SuijiError).details.entities as string[]).sort()).toEqual([A, B]);
    expect([await count(A), await count(B), await count(C)]).toEqual([2, 2, 0]);
    // It can only be abandoned, publicly (V3), and its would-be result is published, not taken.
    await h.service.abandon(meta(), loser, { reason: 'PL5 名额已被并发摇号占用 / cap taken by a concurrent draw' });
    const view = await h.service.get(loser);
    expect(view).toMatchObject({ status: 'abandoned', abandonGrounds: 'yearlyCapReached', seed: null, wouldHaveBeen: { taken: false } });
  });

  it('PL5: the cap holds across two store connections on the same ledger file', async () => {
    await drawAll('T1');
    const [second, third] = await twoOpen();
    const other = await openHarness(undefined, h.dataDir);
    try {
      await Promise.all([lastReveal(h, second), lastReveal(other, third)]);
      const statuses = [(await h.service.get(second)).status, (await h.service.get(third)).status];
      expect(statuses.sort()).toEqual(['committed', 'completed']);
      expect([await count(A), await count(B)]).toEqual([2, 2]);
    } finally {
      await other.projections.stop();
      other.projections.db.close();
      await other.store.close();
    }
  });

  it('PL5: a directed special inspection neither excludes nor counts', async () => {
    await drawAll('T1');
    await drawAll('T2');
    const r = await drawAll('T3', { directedSpecial: true });
    expect('merged' in r.result && [...r.result.merged].sort()).toEqual([A, B, C, D].sort());
    expect([await count(A), await count(B)]).toEqual([2, 2]);
    expect((await h.service.get(r.commitment.drawId)).counting).toBeNull();
  });

  it('PL5: draws for key items (重点检查事项: key fields) neither exclude nor count (十三)', async () => {
    await drawAll('T1');
    await drawAll('T2');
    const r = await drawAll('T3', { item: 'ITEM-K1' });
    expect('merged' in r.result && [...r.result.merged].sort()).toEqual([A, B, C, D].sort());
    expect([await count(A), await count(B)]).toEqual([2, 2]);
    const batch = await drawAll('T4', { item: 'ITEM-K1', batchOrder: true, classes: [{ name: 'all', filter: {} }] });
    expect((await h.service.get(batch.commitment.drawId)).counting).toBeNull();
  });

  it('PL5: the year is the calendar year in Asia/Shanghai (UTC+8)', () => {
    expect(shanghaiYear('2025-12-31T15:59:59.999Z')).toBe(2025);
    expect(shanghaiYear('2025-12-31T16:00:00.000Z')).toBe(2026);
  });
});
