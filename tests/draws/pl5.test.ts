import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuijiError } from '../../src/domain/errors.js';
import { drawCountStreamId, shanghaiYear } from '../../src/domain/draws/index.js';
import { drawCountsOf } from '../../src/projections/draws/index.js';
import { verifyDrawRecord as verifyRecord } from '../../src/verify/index.js';
import { DirectedOrderService } from '../../src/app/draws/orders.js';
import { DEADLINE, SECRETS, actors, generalAllItem, makeUscc, meta, openHarness, rejected, seedItems, seedTargets, target, withTask, witnessPlan, write, type Harness } from './harness.js';

const principalB = { userId: 'pr-b', role: 'principal', department: 'dept-b' } as const;
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

  /** The task's draw request (issue 9: every draw serves a task, created ad hoc per label). */
  const req = (task: string, over: Record<string, unknown> = {}) => withTask(h, request(task, over));
  const commitAndReveal = async (task: string, over: Record<string, unknown> = {}): Promise<string> => {
    const drawId = await h.service.commitTargets(meta(), await req(task, over));
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    return drawId;
  };
  /** Draw, complete and lock (PL5 counts at the lock, issue 9); answers the draw's record. */
  const drawAll = async (task: string, over: Record<string, unknown> = {}) => {
    const drawId = await commitAndReveal(task, over);
    const record = await h.service.complete(meta(), drawId);
    // Only a class sample is locked (docs/workflow.md §10: batch-order tasks are not locked yet).
    if (over.batchOrder !== true) await lock(h, drawId);
    return record;
  };
  const lock = (h2: Harness, drawId: string) => h2.tasks.lock(meta(drawId.startsWith('dept-b') ? principalB : actors.principalA), drawId.split('.')[0]!, drawId);
  const lockedOf = async (drawId: string) => {
    const e = (await h.store.readStream(`task-${drawId.split('.')[0]!}`)).find((r) => r.type === 'TaskListLocked');
    return e?.payload as { targets: string[]; excluded?: { uscc: string; exemptionLapsed: boolean }[] } | undefined;
  };
  const count = async (uscc: string, year = 2026) => (await h.store.streamRevision(drawCountStreamId(uscc, year))) + 1;

  it('PL5: entities at the cap are excluded before the commitment and listed there with the reason; exempt ones stay and are not counted', async () => {
    await drawAll('T1');
    await drawAll('T2');
    expect([await count(A), await count(B), await count(C), await count(D)]).toEqual([2, 2, 0, 0]);
    await h.projections.catchUp();
    expect(drawCountsOf(h.projections.db, [A, B, C, D], 2026)).toEqual(new Map([[A, 2], [B, 2]]));
    const third = await h.service.commitTargets(meta(), await req('T3'));
    const view = await h.service.get(third);
    const pool = (view.commitment as { classes: { pool: { size: number; exclusions: { id: string; reason: string }[] } }[] }).classes[0]!.pool;
    expect(pool.size).toBe(2);
    expect(pool.exclusions.map((e) => e.id)).toEqual([A, B]);
    expect(pool.exclusions[0]!.reason).toMatch(/^PL5：2026年度已被随机抽查2次，达到上限2次/);
    // Each exemption cites the fact it rests on: the reason and the ledger position that set it (C: event 2, D: event 3).
    expect((await h.service.get(third, { detail: true })).counting).toEqual({
      year: 2026,
      cap: 2,
      exempt: [
        { id: C, reasons: ['keyIndustry'], facts: [{ reason: 'keyIndustry', position: '3' }] },
        { id: D, reasons: ['repeatedComplaints', 'dishonest'], facts: [{ reason: 'repeatedComplaints', position: '4' }, { reason: 'dishonest', position: '4' }] },
      ],
    });
    // The public view never shows complaint counts: that reason is published under one neutral code.
    expect(view.counting).toEqual({
      year: 2026,
      cap: 2,
      exempt: [
        { id: C, reasons: ['keyIndustry'], facts: [{ reason: 'keyIndustry', position: '3' }] },
        { id: D, reasons: ['otherStatutoryGround', 'dishonest'], facts: [{ reason: 'dishonest', position: '4' }] },
      ],
    });
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

  /**
   * Both commit while A and B have one draw each, so neither excludes them; each waits for its last
   * witness. The third is dept-b's draw of its own whole-register item: one department holds one
   * pending list per item (V3), so two open lists over the same entities come from two departments.
   */
  const twoOpen = async (): Promise<[string, string]> => {
    await seedItems(h.store, 'dept-b', [{ ...generalAllItem, itemId: 'ITEM-G100B', inspectingBody: 'dept-b' }]);
    const second = await h.service.commitTargets(meta(), await req('T2'));
    const third = await h.service.commitTargets(meta(actors.opB), await withTask(h, request('T3', { item: 'ITEM-G100B' }), { department: 'dept-b' }));
    await h.service.revealWitness(meta(), second, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(actors.opB), third, { witness: 'w1', secret: SECRETS.w1 });
    return [second, third];
  };
  const actorOf = (drawId: string, a: typeof actors.opA, b: typeof actors.opB) => (drawId.startsWith('dept-b') ? b : a);
  const lastReveal = (h2: Harness, drawId: string) => h2.service.revealWitness(meta(actorOf(drawId, actors.opA, actors.opB)), drawId, { witness: 'w2', secret: SECRETS.w2 });

  it('PL5: third random draw of an entity in a year is refused, also when two tasks lock at once over the same entity', async () => {
    await drawAll('T1'); // A and B: 1 draw each
    const [second, third] = await twoOpen();
    await lastReveal(h, second);
    await lastReveal(h, third);
    // Completion counts nothing (issue 9): both complete.
    expect([(await h.service.get(second)).status, (await h.service.get(third)).status]).toEqual(['completed', 'completed']);
    expect([await count(A), await count(B)]).toEqual([1, 1]);
    // Two racing locks: the store commits one counter write; the other re-reads and records A and B excluded.
    await Promise.all([lock(h, second), lock(h, third)]);
    expect([await count(A), await count(B), await count(C)]).toEqual([2, 2, 0]);
    const locks = [await lockedOf(second), await lockedOf(third)];
    const loser = locks.find((l) => l?.excluded !== undefined)!;
    expect(loser.excluded!.map((e) => e.uscc).sort()).toEqual([A, B].sort());
    expect(loser.targets.sort()).toEqual([C, D].sort());
  });

  it('PL5: the cap holds across two store connections on the same ledger file', async () => {
    await drawAll('T1');
    const [second, third] = await twoOpen();
    await lastReveal(h, second);
    await lastReveal(h, third);
    const other = await openHarness(undefined, h.dataDir);
    try {
      await Promise.all([lock(h, second), lock(other, third)]);
      expect([await count(A), await count(B)]).toEqual([2, 2]);
      expect([await lockedOf(second), await lockedOf(third)].filter((l) => l?.excluded !== undefined)).toHaveLength(1);
    } finally {
      await other.projections.stop();
      other.projections.db.close();
      await other.store.close();
    }
  });

  const setFlags = async (uscc: string, flags: Partial<{ keyIndustry: boolean; dishonest: boolean; abnormalOperation: boolean; complaintCount: number }>) => {
    await write(h.store, `target-${uscc}`, 'TargetUpdated', {
      uscc, changes: { flags: { dishonest: false, abnormalOperation: false, keyIndustry: false, complaintCount: 0, ...flags } }, reason: 'test',
    });
  };

  it('PL5 regression (issue 7 §5a): set keyIndustry, commit, clear it, lock — the exemption lapses, the entity counts, and at the cap it is left out of the list', async () => {
    await drawAll('T1');
    await drawAll('T2');
    await setFlags(A, { keyIndustry: true });
    const third = await h.service.commitTargets(meta(), await req('T3'));
    await h.service.revealWitness(meta(), third, { witness: 'w1', secret: SECRETS.w1 });
    const exempt = (await h.service.get(third, { detail: true })).counting!.exempt as { id: string; facts: { reason: string; position: string }[] }[];
    const head = (await h.store.head()).size;
    expect(exempt.find((e) => e.id === A)?.facts).toEqual([{ reason: 'keyIndustry', position: expect.stringMatching(/^\d+$/) }]);
    expect(Number(exempt.find((e) => e.id === A)!.facts[0]!.position)).toBeLessThan(head);
    await setFlags(A, { keyIndustry: false });
    // The last reveal completes the draw (PL5 is not judged at completion); V3: it cannot be abandoned.
    await h.service.revealWitness(meta(), third, { witness: 'w2', secret: SECRETS.w2 });
    expect((await h.service.get(third)).status).toBe('completed');
    expect((await rejected(h.service.abandon(meta(), third, { reason: '重新抽取' }))).details).toMatchObject({ rule: 'V3' });
    // At the lock the lapsed exemption counts A: at its cap, A is left out and recorded as lapsed.
    await lock(h, third);
    expect(await count(A)).toBe(2);
    expect((await lockedOf(third))!.excluded).toEqual([expect.objectContaining({ uscc: A, rule: 'PL5', count: 2, cap: 2, exemptionLapsed: true })]);
  });

  it('PL5: a flag cleared and set again after the commit does not revive the exemption (the cited fact is gone)', async () => {
    await drawAll('T1');
    await drawAll('T2');
    await setFlags(A, { keyIndustry: true });
    const third = await h.service.commitTargets(meta(), await req('T3'));
    await h.service.revealWitness(meta(), third, { witness: 'w1', secret: SECRETS.w1 });
    await setFlags(A, { keyIndustry: false });
    await setFlags(A, { keyIndustry: true });
    await h.service.revealWitness(meta(), third, { witness: 'w2', secret: SECRETS.w2 });
    await lock(h, third);
    expect((await lockedOf(third))!.excluded?.map((e) => e.uscc)).toEqual([A]);
  });

  it('PL5: an exemption whose fact still holds at the lock keeps the entity uncounted', async () => {
    await drawAll('T1');
    await drawAll('T2');
    await setFlags(A, { keyIndustry: true });
    await drawAll('T3');
    expect([await count(A), await count(B)]).toEqual([2, 2]);
  });

  it('PL5 regression (issue 7 §5b): the bare directedSpecial boolean is gone; a draw cites an approved order, whose named entities alone are exempt', async () => {
    await drawAll('T1');
    await drawAll('T2');
    const orders = new DirectedOrderService(h.store);
    const order = { orderId: 'ORD-1', documentNumber: '鲁市监函〔2026〕12号', issuingAuthority: '山东省市场监督管理局', issuedOn: '2026-02-20', scope: [A], reason: '成品油专项整治' };
    await orders.record(meta(actors.opA), order);
    // Not approved yet: the order cannot exempt anything.
    expect((await rejected(h.service.commitTargets(meta(), await req('T3', { directedOrder: 'ORD-1' })))).details).toMatchObject({ rule: 'PL5', field: '/directedOrder' });
    // The recorder may not approve, nor an operator, nor another department's principal.
    expect((await rejected(orders.approve(meta(actors.opA), 'ORD-1'))).code).toBe('FORBIDDEN');
    expect((await rejected(orders.approve(meta({ ...actors.principalA, department: 'dept-b' }), 'ORD-1'))).code).toBe('FORBIDDEN');
    expect((await rejected(orders.approve(meta({ ...actors.principalA, userId: 'op-a' }), 'ORD-1'))).details).toMatchObject({ reason: 'SELF_APPROVAL' });
    const approved = await orders.approve(meta(actors.principalA), 'ORD-1');
    expect(approved.approvedBy).toBe('pr-a');
    const third = await commitAndReveal('T3', { directedOrder: 'ORD-1' });
    const view = await h.service.get(third);
    const pool = (view.commitment as { classes: { pool: { exclusions: { id: string }[] } }[] }).classes[0]!.pool;
    expect(pool.exclusions.map((x) => x.id)).toEqual([B]); // B is not named by the order: still capped
    expect((view.commitment as { source: { filter: { directedOrder: string } } }).source.filter.directedOrder).toBe('ORD-1');
    expect((view.counting!.exempt as { id: string; facts: unknown[] }[]).find((x) => x.id === A)?.facts).toEqual([
      { reason: 'directedSpecial', position: approved.approvedAt, order: 'ORD-1' },
    ]);
    const r = await h.service.complete(meta(), third);
    await lock(h, third);
    expect('merged' in r.result && r.result.merged).toContain(A);
    expect([await count(A), await count(B)]).toEqual([2, 2]);
  });

  it("PL5: an order of another department cannot be cited", async () => {
    const orders = new DirectedOrderService(h.store);
    await orders.record(meta(actors.opB), { orderId: 'ORD-B', documentNumber: 'X-1', issuingAuthority: '上级', issuedOn: '2026-02-20', scope: [A], reason: '专项' });
    await orders.approve(meta({ ...actors.principalA, userId: 'pr-b', department: 'dept-b' }), 'ORD-B');
    expect((await rejected(h.service.commitTargets(meta(), await req('T3', { directedOrder: 'ORD-B' })))).details).toMatchObject({ rule: 'PL5', field: '/directedOrder' });
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

describe('G2/A4: a random class whose quota takes its whole pool is a targeted inspection, refused for general items', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
    await seedItems(h.store);
    await seedTargets(h.store, [
      ...Array.from({ length: 6 }, (_, i) => target(i + 1)),
      target(7, { industry: 'C1761' }),
      ...[8, 9, 10].map((n) => target(n, { industry: 'C1762' })),
    ]);
  });
  afterEach(async () => h.close());

  const one = (industry: string, quota: unknown, item = 'ITEM-G100') => ({
    task: 'T-P', item, classes: [{ name: 'narrow', filter: { industry: [industry] }, quota }], entropy: witnessPlan(), revealDeadline: DEADLINE,
  });

  it('G2/A4 regression (issue 7 §5c): a ratio rounded up over a class filtered down to one entity is refused (WHOLE_POOL_QUOTA), nothing written', async () => {
    const req = await withTask(h, one('C1761', { ratio: { numerator: 1, denominator: 10 } }));
    const before = (await h.store.head()).size;
    const e = await rejected(h.service.commitTargets(meta(), req as never));
    expect(e.details).toMatchObject({ rule: 'G2', rules: ['G2', 'A4'], reason: 'WHOLE_POOL_QUOTA', field: '/classes/0/quota', poolSize: 1, quota: 1 });
    expect(e.messageZh).toMatch(/非随机检查/);
    expect((await h.store.head()).size).toBe(before);
  });

  it('G2/A4: a pool below the configured minimum is refused (POOL_TOO_SMALL); the minimum is configuration', async () => {
    const req = await withTask(h, one('C1762', { count: 1 }));
    const e = await rejected(h.service.commitTargets(meta(), req as never));
    expect(e.details).toMatchObject({ rule: 'G2', reason: 'POOL_TOO_SMALL', poolSize: 3, minPoolSize: 5 });
    const lenient = await openHarness({ minRandomPoolSize: 3 }, h.dataDir);
    try {
      expect(await lenient.service.commitTargets(meta(), req as never)).toBe(`${req.task}.targets.1`);
    } finally {
      await lenient.projections.stop();
      lenient.projections.db.close();
      await lenient.store.close();
    }
  });

  it('G2/A4: the whole register may be drawn in full, and key items are not limited', async () => {
    const whole = { task: 'T-W', item: 'ITEM-G100', classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 1 } } }], entropy: witnessPlan(), revealDeadline: DEADLINE };
    const w = await withTask(h, whole);
    expect(await h.service.commitTargets(meta(), w)).toBe(`${w.task}.targets.1`);
    const k = await withTask(h, one('C1761', { count: 1 }, 'ITEM-K1'));
    expect(await h.service.commitTargets(meta(), k as never)).toBe(`${k.task}.targets.1`);
  });
});
