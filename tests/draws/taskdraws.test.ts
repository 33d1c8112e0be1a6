/**
 * Issue 9: every draw belongs to a task that exists (T2/T3), a task holds one kind of target
 * draw, and PL5 is counted when the task's list is locked — on the real stack (SQLite ledger,
 * projections, draw and task services).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drawCountStreamId } from '../../src/domain/draws/index.js';
import { taskStreamId } from '../../src/domain/tasks/index.js';
import { DEADLINE, SECRETS, actors, generalAllItem, makeUscc, meta, openHarness, rejected, seedInspectors, seedItems, seedTargets, target, withTask, witnessPlan, type Harness } from './harness.js';

const A = makeUscc(1);
const principalB = { userId: 'pr-b', role: 'principal', department: 'dept-b' } as const;
const B = makeUscc(2);

const wholePool = (task: string, over: Record<string, unknown> = {}) => ({
  task,
  item: 'ITEM-G100',
  classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 1, denominator: 1 } } }],
  entropy: witnessPlan(),
  revealDeadline: DEADLINE,
  ...over,
});

describe('issue 9: draws belong to tasks; PL5 counted at the lock', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
    await seedItems(h.store);
    await seedTargets(h.store, [target(1), target(2)]);
    await seedInspectors(h.store, ['i1', 'i2', 'i3']);
  });
  afterEach(async () => h.close());

  const reveal = async (drawId: string, actor = actors.opA) => {
    await h.service.revealWitness(meta(actor), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(actor), drawId, { witness: 'w2', secret: SECRETS.w2 });
  };
  const count = async (uscc: string) => (await h.store.streamRevision(drawCountStreamId(uscc, 2026))) + 1;
  const head = async () => (await h.store.head()).size;

  it('T3: a draw naming no task is refused and writes nothing (targets, batch order, experts, inspector groups, replacements)', async () => {
    const before = await head();
    // Thunks, run one at a time: promises made up front reject while an earlier one is still
    // awaited, unhandled for a moment — an unhandled-rejection error on PostgreSQL, whose I/O
    // lets the later ones finish first.
    const attempts = [
      () => h.service.commitTargets(meta(), wholePool('NO-SUCH-TASK')),
      () => h.service.commitTargets(meta(), { task: 'NO-SUCH-TASK', item: 'ITEM-K1', batchOrder: true, classes: [{ name: 'all', filter: {} }], entropy: witnessPlan(), revealDeadline: DEADLINE }),
      () => h.service.commitExperts(meta(), { task: 'NO-SUCH-TASK', classes: [{ name: 'oil', filter: {}, quota: { count: 1 } }], entropy: witnessPlan(), revealDeadline: DEADLINE }),
      () => h.service.commitInspectorGroups(meta(), { task: 'NO-SUCH-TASK', inspectors: { department: ['dept-a'] }, groupSize: 2, maxLoad: 2, entropy: witnessPlan(), revealDeadline: DEADLINE }),
      () => h.service.commitReplacement(meta(actors.principalA), { task: 'NO-SUCH-TASK', purpose: 'inspectorGroups', replacements: [{ target: A, member: 'i1', reason: 'health' }] }),
    ];
    for (const attempt of attempts) {
      const e = await rejected(attempt());
      expect(e.code).toBe('NOT_FOUND');
      expect(e.details).toMatchObject({ field: '/task', kind: 'task', rule: 'T3' });
      expect(e.message).toMatch(/T3/);
    }
    expect(await head()).toBe(before);
  });

  it('T2: a draw after the task window is refused', async () => {
    const req = await withTask(h, wholePool('T-LATE'), { window: { from: '2026-01-01', to: '2026-03-01' } });
    const before = await head();
    // NOW is 2026-03-02 10:00 in Shanghai: the day after the window's last day.
    const e = await rejected(h.service.commitTargets(meta(), req));
    expect(e.details).toMatchObject({ rule: 'T2', field: '/task', windowTo: '2026-03-01' });
    expect((await rejected(h.service.commitExperts(meta(), { task: req.task, classes: [{ name: 'x', filter: {}, quota: { count: 1 } }], entropy: witnessPlan(), revealDeadline: DEADLINE }))).details).toMatchObject({ rule: 'T2' });
    expect(await head()).toBe(before);
    // On the last day of the window (Shanghai), the draw is accepted.
    expect(await h.service.commitTargets(meta(actors.opA, '2026-03-01T15:59:00.000Z'), req)).toBe(`${req.task}.targets.1`);
  });

  it('T1: experts and inspector groups are drawn only by the task\'s department, delegate or executing units', async () => {
    const req = await withTask(h, wholePool('T-OWN'));
    const e = await rejected(h.service.commitExperts(meta(actors.opB), { task: req.task, classes: [{ name: 'x', filter: {}, quota: { count: 1 } }], entropy: witnessPlan(), revealDeadline: DEADLINE }));
    expect(e.details).toMatchObject({ rule: 'T1', field: '/task' });
  });

  it('T3: a task holds one kind of target draw (targets or batch order)', async () => {
    const sample = await withTask(h, { task: 'T-ONE', item: 'ITEM-K1', classes: [{ name: 'all', filter: {}, quota: { count: 1 } }], entropy: witnessPlan(), revealDeadline: DEADLINE });
    const batch = { ...sample, batchOrder: true };
    const first = await h.service.commitTargets(meta(), sample);
    const e = await rejected(h.service.commitTargets(meta(), batch));
    expect(e.details).toMatchObject({ rule: 'T3', field: '/batchOrder', drawId: first });
    await reveal(first);
    expect((await h.service.get(first)).status).toBe('completed');
    expect((await rejected(h.service.commitTargets(meta(), batch))).details).toMatchObject({ rule: 'T3' });

    // The other way round (after the first list is locked: one pending list per item, V3), and an
    // abandoned draw (V3: before any entropy) frees the task for the other kind.
    await h.tasks.lock(meta(actors.principalA), sample.task, first);
    const other = await withTask(h, { ...sample, task: 'T-TWO' });
    const order = await h.service.commitTargets(meta(), { ...other, batchOrder: true });
    expect((await rejected(h.service.commitTargets(meta(), other))).details).toMatchObject({ rule: 'T3', drawId: order });
    await h.service.abandon(meta(), order, { reason: '改为抽样 / switch to a sample' });
    expect(await h.service.commitTargets(meta(), other)).toBe(`${other.task}.targets.1`);
  });

  it('PL5: the counters move at the lock, not at completion', async () => {
    const req = await withTask(h, wholePool('T-LOCK'));
    const drawId = await h.service.commitTargets(meta(), req);
    await reveal(drawId);
    expect((await h.service.get(drawId)).status).toBe('completed');
    expect([await count(A), await count(B)]).toEqual([0, 0]);
    const locked = await h.tasks.lock(meta(actors.principalA), req.task, drawId);
    expect(locked.events).toEqual(['TaskListLocked', 'DrawCounted', 'DrawCounted']);
    expect([await count(A), await count(B)]).toEqual([1, 1]);
    // Locking again is a no-op and counts nothing twice.
    expect((await h.tasks.lock(meta(actors.principalA), req.task, drawId)).events).toEqual([]);
    expect([await count(A), await count(B)]).toEqual([1, 1]);
  });

  it('PL5: two tasks locking the same entity\'s last place concurrently: one counts it, the other records it excluded', async () => {
    // One place left for A and B: a first task takes one of the two.
    const first = await withTask(h, wholePool('T-FIRST'));
    const d0 = await h.service.commitTargets(meta(), first);
    await reveal(d0);
    await h.tasks.lock(meta(actors.principalA), first.task, d0);
    // Two tasks — of two departments, since one department holds one pending list per item (V3) —
    // commit and complete while both A and B are at 1 of 2: neither excludes them.
    await seedItems(h.store, 'dept-b', [{ ...generalAllItem, itemId: 'ITEM-G100B', inspectingBody: 'dept-b' }]);
    const x = await withTask(h, wholePool('T-X'));
    const y = await withTask(h, wholePool('T-Y', { item: 'ITEM-G100B' }), { department: 'dept-b' });
    const dx = await h.service.commitTargets(meta(), x);
    const dy = await h.service.commitTargets(meta(actors.opB), y);
    await reveal(dx);
    await reveal(dy, actors.opB);
    const [lx, ly] = await Promise.all([h.tasks.lock(meta(actors.principalA), x.task, dx), h.tasks.lock(meta(principalB), y.task, dy)]);
    expect([lx.events.length, ly.events.length].sort()).toEqual([1, 3]);
    expect([await count(A), await count(B)]).toEqual([2, 2]);
    const lockOf = async (task: string) => {
      const e = (await h.store.readStream(taskStreamId(task))).find((r) => r.type === 'TaskListLocked')!;
      return e.payload as { targets: string[]; excluded?: { uscc: string; rule: string; count: number; cap: number; exemptionLapsed: boolean }[] };
    };
    const [px, py] = [await lockOf(x.task), await lockOf(y.task)];
    const [winner, loser] = px.excluded === undefined ? [px, py] : [py, px];
    expect(winner.targets.sort()).toEqual([A, B].sort());
    expect(loser.targets).toEqual([]);
    expect(loser.excluded!.map((e) => e.uscc).sort()).toEqual([A, B].sort());
    expect(loser.excluded![0]).toMatchObject({ rule: 'PL5', count: 2, cap: 2, exemptionLapsed: false });
  });

  it('V3: one pending list per department and item — no second task draws the item while another\'s draw is open or its list unlocked', async () => {
    const first = await withTask(h, wholePool('T-PEND-1'));
    const second = await withTask(h, wholePool('T-PEND-2'));
    const open = await h.service.commitTargets(meta(), first);
    const refusedWith = async () => {
      const before = await head();
      const e = await rejected(h.service.commitTargets(meta(), second));
      expect(e.details).toMatchObject({ rule: 'V3', field: '/item', task: first.task, drawId: open });
      expect(await head()).toBe(before);
      return e;
    };
    // Open (committed, entropy pending): refused.
    expect((await refusedWith()).details).toMatchObject({ status: 'committed' });
    // Completed but not locked: still refused — a drawn list binds and cannot be set aside for another draw.
    await reveal(open);
    expect((await h.service.get(open)).status).toBe('completed');
    expect((await refusedWith()).details).toMatchObject({ status: 'completed' });
    // Another item of the same department, and another department, are not held up.
    const other = await withTask(h, { ...wholePool('T-PEND-G1'), item: 'ITEM-K1', classes: [{ name: 'all', filter: {}, quota: { count: 1 } }] });
    expect(await h.service.commitTargets(meta(), other)).toMatch(/targets/);
    // Once the first list is locked, the item may be drawn again.
    await h.tasks.lock(meta(actors.principalA), first.task, open);
    expect(await h.service.commitTargets(meta(), second)).toMatch(/targets/);
  });

  it('V3: an abandoned draw (before any entropy) does not hold the item', async () => {
    const first = await withTask(h, wholePool('T-AB-1'));
    const second = await withTask(h, wholePool('T-AB-2'));
    const d = await h.service.commitTargets(meta(), first);
    await h.service.abandon(meta(), d, { reason: '任务调整 / task changed' });
    expect(await h.service.commitTargets(meta(), second)).toMatch(/targets/);
  });
});
