import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness } from '../registers/harness.js';
import { drawBody, drawToCompletion, openTaskHarness, seedWorld, taskBody, type World } from './fixtures.js';

describe('tasks (T1–T4, PL6, P2)', () => {
  let h: Harness;
  let w: World;
  beforeEach(async () => {
    h = await openTaskHarness();
    w = await seedWorld(h);
  });
  afterEach(async () => {
    await h.close();
  });

  const create = async (over: Record<string, unknown> = {}, who: 'opA' | 'principalA' | 'opB' = 'opA') => h.call(who, 'POST', '/tasks', taskBody(over));
  const created = async (over: Record<string, unknown> = {}): Promise<string> => {
    const r = await create(over);
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { taskId: string }).taskId;
  };
  const notices = async (kind = 'taskNotice') => (await h.call('anonymous', 'GET', `/notices?kind=${kind}`)).json().items as { noticeId: string; body: Record<string, unknown> }[];

  describe('T2: creation by the department that owns the plan', () => {
    it('T2: a task gets a human number — department code, date, sequence — allocated without gaps', async () => {
      const a = await created();
      const b = await created();
      expect(a).toMatch(/^dept-a-\d{8}-001$/);
      expect(b).toBe(a.replace(/001$/, '002'));
      const t = (await h.call('auditor', 'GET', `/tasks/${a}`)).json();
      expect(t).toMatchObject({ taskId: a, departmentId: 'dept-a', status: 'created', planVersion: 1, adHoc: false, year: 2026, executingDepartment: 'dept-a' });
      expect(t.basis).toEqual([{ itemId: 'SW-02', category: 'key', maxRatio: null, planMaxRatio: { numerator: 5, denominator: 100 } }]);
    });

    it('T2: concurrent creations in one department and day never share a number', async () => {
      const rs = await Promise.all([1, 2, 3, 4].map(() => create()));
      for (const r of rs) expect(r.statusCode, r.body).toBe(201);
      const ids = rs.map((r) => (r.json() as { taskId: string }).taskId);
      expect(new Set(ids).size).toBe(4);
      expect(ids.map((id) => id.slice(-3)).sort()).toEqual(['001', '002', '003', '004']);
    });

    it('T2: another department cannot create a task for dept-a (403), and nothing is written', async () => {
      const before = await h.head();
      const r = await create({}, 'opB');
      expect(r.statusCode).toBe(403);
      expect(await h.head()).toEqual(before);
    });

    it('T2: an item outside the plan in force is refused, naming the item', async () => {
      const before = await h.head();
      const r = await create({ items: ['SW-02', 'SW-03'] });
      expect(r.statusCode).toBe(422);
      expect(r.json().details).toMatchObject({ rule: 'G2', field: '/items/1' });
      expect(await h.head()).toEqual(before);
    });

    it('T2/L2: a class ratio above the general item\'s cap is refused (L2), and above the plan\'s ratio (T2)', async () => {
      const over = await create({ items: ['SW-01'], classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 6, denominator: 100 } } }], directional: false });
      expect(over.statusCode).toBe(422);
      expect(over.json().details).toMatchObject({ rule: 'L2', field: '/classes/0/quota/ratio' });
      const plan = await create({ items: ['SW-02'], classes: [{ name: 'all', filter: {}, quota: { ratio: { numerator: 6, denominator: 100 } } }], directional: false });
      expect(plan.statusCode).toBe(422);
      expect(plan.json().details).toMatchObject({ rule: 'T2', field: '/classes/0/quota/ratio' });
    });

    it('T3: a non-directional task takes the whole register — an attribute filter is refused', async () => {
      const r = await create({ directional: false });
      expect(r.statusCode).toBe(400);
      expect(r.json().details).toMatchObject({ rule: 'T3', field: '/classes/0/filter/region' });
    });

    it('T2: without a filed plan, only an ad-hoc task can be created', async () => {
      const r = await h.call('opB', 'POST', '/tasks', taskBody({ departmentId: 'dept-b', items: ['SW-03'] }));
      expect(r.statusCode).toBe(422);
      expect(r.json().details).toMatchObject({ rule: 'T2', field: '/items' });
    });
  });

  describe('PL6: ad-hoc tasks', () => {
    it('PL6: an ad-hoc task needs a reason, follows the same rules, is flagged and published as ad hoc', async () => {
      const noReason = await h.call('opB', 'POST', '/tasks', taskBody({ departmentId: 'dept-b', items: ['SW-03'], adHoc: true, executingUnits: ['dept-b'] }));
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().details).toMatchObject({ rule: 'PL6', field: '/adHocReason' });
      // Same rules: the L2 cap holds for an ad-hoc task too.
      const capped = await h.call('opB', 'POST', '/tasks', taskBody({ departmentId: 'dept-b', items: ['SW-03'], adHoc: true, adHocReason: '群众反映集中', classes: [{ name: 'x', filter: {}, quota: { ratio: { numerator: 1, denominator: 2 } } }] }));
      expect(capped.json().details).toMatchObject({ rule: 'L2' });
      const ok = await h.call('opB', 'POST', '/tasks', taskBody({ departmentId: 'dept-b', items: ['SW-03'], adHoc: true, adHocReason: '群众反映集中', executingUnits: ['dept-b'], classes: [{ name: '全部', filter: {}, quota: { count: 2 } }], directional: false }));
      expect(ok.statusCode, ok.body).toBe(201);
      const taskId = ok.json().taskId as string;
      const t = (await h.call('opB', 'GET', `/tasks/${taskId}`)).json();
      expect(t).toMatchObject({ adHoc: true, adHocReason: '群众反映集中', planVersion: null });
      // Recorded and published like any task: its notice says it is ad hoc.
      const adHoc = await created({ adHoc: true, adHocReason: '上级转办线索' });
      const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(adHoc));
      expect((await h.call('principalA', 'POST', `/tasks/${adHoc}/lock`, { drawId })).statusCode).toBe(201);
      const sent = await h.call('principalA', 'POST', `/tasks/${adHoc}/dispatch`);
      const n = (await h.call('anonymous', 'GET', `/notices/${sent.json().noticeId}`)).json();
      expect(n.body.adHoc).toBe(true);
      expect(n.title).toContain('临时');
    });
  });

  describe('T3: the target draw of a task takes its classes from the task', () => {
    it('T3: a task draw that tries to widen its pool beyond the task is refused', async () => {
      const taskId = await created();
      const before = await h.head();
      const widened = await h.call('opA', 'POST', '/draws/targets', drawBody(taskId, [{ name: '南麻', filter: {}, quota: { count: 3 } }]));
      expect(widened.statusCode).toBe(422);
      expect(widened.json().details).toMatchObject({ rule: 'T3', field: '/classes/0/filter' });
      const more = await h.call('opA', 'POST', '/draws/targets', drawBody(taskId, [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 4 } }]));
      expect(more.json().details).toMatchObject({ rule: 'T3', field: '/classes/0/quota' });
      const extra = await h.call('opA', 'POST', '/draws/targets', drawBody(taskId, [...taskBody().classes, { name: 'b', filter: {}, quota: { count: 1 } }]));
      expect(extra.json().details).toMatchObject({ rule: 'T3', field: '/classes' });
      const otherItem = await h.call('opA', 'POST', '/draws/targets', { ...drawBody(taskId), item: 'SW-01' });
      expect(otherItem.json().details).toMatchObject({ rule: 'T3', field: '/item' });
      expect(await h.head()).toEqual(before);
    });

    it('T2: a task draw by a department that is neither the task\'s nor its delegate is refused', async () => {
      const taskId = await created();
      const r = await h.call('opB', 'POST', '/draws/targets', drawBody(taskId));
      expect(r.statusCode).toBe(422);
      expect(r.json().details).toMatchObject({ rule: 'T2', field: '/task' });
    });

    it('T3: a draw whose task id names no task is refused (404, /task) and writes nothing (issue 9: no draw without a task)', async () => {
      const before = await h.head();
      const r = await h.call('opA', 'POST', '/draws/targets', drawBody('free-task-id', [{ name: 'any', filter: {}, quota: { count: 1 } }]));
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json()).toMatchObject({ error: 'NOT_FOUND', details: { field: '/task', kind: 'task', rule: 'T3' } });
      expect(await h.head()).toEqual(before);
    });
  });

  describe('T4: lock and dispatch', () => {
    it('T4: lock then dispatch publishes exactly one task notice', async () => {
      const taskId = await created();
      const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId));
      // The dispatch needs the lock first.
      expect((await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`)).json().details).toMatchObject({ rule: 'T4' });
      // An operator cannot lock: a principal confirms.
      expect((await h.call('opA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(403);
      const lock = await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId });
      expect(lock.statusCode, lock.body).toBe(201);
      const locked = (await h.call('opA', 'GET', `/tasks/${taskId}`)).json();
      expect(locked.status).toBe('locked');
      expect(locked.locked.targets).toHaveLength(3);
      for (const t of locked.locked.targets) expect(w.targetsA).toContain(t);

      const d = await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`);
      expect(d.statusCode, d.body).toBe(201);
      expect(d.json()).toMatchObject({ events: ['TaskDispatched', 'NoticePublished'], noticeId: `taskNotice-${taskId}` });
      const again = await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`);
      expect(again.statusCode).toBe(200);
      expect(again.json().events).toEqual([]);

      const published = await notices();
      expect(published).toHaveLength(1);
      const n = (await h.call('anonymous', 'GET', `/notices/${d.json().noticeId}`)).json();
      expect(n).toMatchObject({ kind: 'taskNotice', department: 'dept-a', subject: { eventType: 'TaskDispatched' }, body: { taskId, adHoc: false, drawIds: [drawId], delegate: null } });
      // P2: publishList — the drawn list is in the notice, each target with its executing unit (its jurisdiction).
      expect(n.body.targets.map((t: { uscc: string }) => t.uscc).sort()).toEqual([...locked.locked.targets].sort());
      expect(n.body.units).toEqual([{ executingUnit: 'dept-a', count: 3 }]);
      const t = (await h.call('opA', 'GET', `/tasks/${taskId}`)).json();
      expect(t.status).toBe('dispatched');
      expect(t.assignments).toEqual([{ executingUnit: 'dept-a', targets: locked.locked.targets }]);
    });

    it('T4: a locked list never changes — another lock and a new target draw are refused', async () => {
      const taskId = await created({ publishList: false });
      const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId));
      expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
      const same = await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId });
      expect(same.json().events).toEqual([]);
      const before = await h.head();
      const other = await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId: `${taskId}.targets.2` });
      expect(other.statusCode).toBe(422);
      expect(other.json().details).toMatchObject({ rule: 'T4' });
      const redraw = await h.call('opA', 'POST', '/draws/targets', drawBody(taskId));
      expect(redraw.json().details).toMatchObject({ rule: 'T4', field: '/task' });
      expect(await h.head()).toEqual(before);
      // publishList false: the notice tells the counts, not the list.
      const d = await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`);
      const n = (await h.call('anonymous', 'GET', `/notices/${d.json().noticeId}`)).json();
      expect(n.body.targets).toBeNull();
      expect(n.body.units).toEqual([{ executingUnit: 'dept-a', count: 3 }]);
    });

    it('T4: two concurrent dispatches publish exactly one task notice', async () => {
      const taskId = await created();
      const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId));
      await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId });
      const rs = await Promise.all([1, 2, 3].map(() => h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`)));
      expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
      expect(await notices()).toHaveLength(1);
    });

    it('T4: a batch-order task\'s list is locked and dispatched', async () => {
      const taskId = await created();
      const drawId = await drawToCompletion(h, h.bearer('opA'), { ...drawBody(taskId), batchOrder: true });
      expect(drawId).toBe(`${taskId}.batchOrder.1`);
      const order = (await h.call('anonymous', 'GET', `/draws/${drawId}/export`)).json().result.merged as string[];
      // A batch order orders its whole pool: the four 南麻 targets of dept-a.
      expect([...order].sort()).toEqual([...w.targetsA].sort());
      // Before the fix the lock read only the `targets` slot and refused every batch-order task (/drawId).
      const lock = await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId });
      expect(lock.statusCode, lock.body).toBe(201);
      const locked = (await h.call('opA', 'GET', `/tasks/${taskId}`)).json();
      expect(locked.locked).toMatchObject({ drawId, drawIds: [drawId], targets: order, excluded: [] });
      const d = await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`);
      expect(d.statusCode, d.body).toBe(201);
      const n = (await h.call('anonymous', 'GET', `/notices/${d.json().noticeId}`)).json();
      expect(n.body).toMatchObject({ drawIds: [drawId], units: [{ executingUnit: 'dept-a', count: 4 }] });
      // Citing a targets draw id of the task that does not exist is still refused.
      const wrong = await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId: `${taskId}.targets.1` });
      expect(wrong.statusCode).toBe(422);
    });

    it('T4: a lock must cite the task\'s completed target draw', async () => {
      const taskId = await created();
      const r = await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId: `${taskId}.targets.1` });
      expect(r.statusCode).toBe(422);
      expect(r.json().details).toMatchObject({ rule: 'T4', field: '/drawId' });
    });

    it('T4: each target goes to its executing unit by jurisdiction', async () => {
      const taskId = await created({ directional: false, classes: [{ name: '全部', filter: {}, quota: { count: 6 } }] });
      const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId, [{ name: '全部', filter: {}, quota: { count: 6 } }]));
      await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId });
      await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`);
      const t = (await h.call('opA', 'GET', `/tasks/${taskId}`)).json();
      const byUnit = Object.fromEntries(t.assignments.map((a: { executingUnit: string; targets: string[] }) => [a.executingUnit, [...a.targets].sort()]));
      expect(byUnit).toEqual({ 'dept-a': [...w.targetsA].sort(), 'dept-b': [...w.targetsB].sort() });
    });
  });

  describe('T1: delegation', () => {
    it('T1: a delegated task is executed by the lower department', async () => {
      const taskId = await created();
      // Only to a lower department.
      const sideways = await h.call('principalA', 'POST', `/tasks/${taskId}/delegation`, { delegate: 'dept-b', reason: '属地实施' });
      expect(sideways.json().details).toMatchObject({ rule: 'T1', field: '/delegate' });
      const d = await h.call('principalA', 'POST', `/tasks/${taskId}/delegation`, { delegate: 'dept-a1', reason: '属地实施' });
      expect(d.statusCode, d.body).toBe(201);
      // Before acceptance the lower unit cannot draw, and only its principal accepts.
      expect((await h.callWith(w.opA1, 'POST', '/draws/targets', drawBody(taskId))).json().details).toMatchObject({ rule: 'T2' });
      expect((await h.call('principalA', 'POST', `/tasks/${taskId}/delegation/acceptance`)).statusCode).toBe(403);
      expect((await h.callWith(w.opA1, 'POST', `/tasks/${taskId}/delegation/acceptance`)).statusCode).toBe(403);
      const acc = await h.callWith(w.principalA1, 'POST', `/tasks/${taskId}/delegation/acceptance`);
      expect(acc.statusCode, acc.body).toBe(201);
      // The lower unit draws the task's item, of which dept-a is the inspecting body.
      const drawId = await drawToCompletion(h, w.opA1, drawBody(taskId));
      const draw = (await h.call('anonymous', 'GET', `/draws/${drawId}`)).json();
      expect(draw.department).toBe('dept-a1');
      expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
      const sent = await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`);
      expect(sent.statusCode).toBe(201);
      const t = (await h.call('opA', 'GET', `/tasks/${taskId}`)).json();
      expect(t.executingDepartment).toBe('dept-a1');
      expect(t.assignments).toEqual([{ executingUnit: 'dept-a1', targets: t.locked.targets }]);
      const n = (await h.call('anonymous', 'GET', `/notices/${sent.json().noticeId}`)).json();
      expect(n.body.delegate).toBe('dept-a1');
    });
  });

  it('P2: an Idempotency-Key retry of a creation answers the same number and writes nothing', async () => {
    const headers = { 'idempotency-key': 'create-1' };
    const a = await h.call('opA', 'POST', '/tasks', taskBody(), headers);
    const before = await h.head();
    const b = await h.call('opA', 'POST', '/tasks', taskBody(), headers);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({ taskId: a.json().taskId, replayed: true });
    expect(await h.head()).toEqual(before);
  });
});
