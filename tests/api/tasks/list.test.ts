/** GET /tasks over the tasks read model (src/projections/tasks): filters, paging, statuses, rebuild. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../registers/harness.js';
import { drawBody, drawToCompletion, openTaskHarness, seedWorld, taskBody, type World } from './fixtures.js';

interface Summary {
  taskId: string;
  departmentId: string;
  year: number;
  adHoc: boolean;
  status: string;
  delegation: { delegate: string; accepted: boolean } | null;
  locked: { drawId: string; count: number } | null;
  dispatched: { executingUnit: string; targets: number }[] | null;
  positions: { created: number; locked: number | null; dispatched: number | null };
}

describe('GET /tasks (tasks read model)', () => {
  let h: Harness;
  let w: World;
  /** created (planned), created (ad hoc), delegated to dept-a1 and accepted, locked, dispatched. */
  let ids: { planned: string; adHoc: string; delegated: string; locked: string; dispatched: string };
  let lockedDraw: string;

  const created = async (over: Record<string, unknown> = {}): Promise<string> => {
    const c = await h.call('opA', 'POST', '/tasks', taskBody(over));
    expect(c.statusCode, c.body).toBe(201);
    return (c.json() as { taskId: string }).taskId;
  };
  const list = async (query = ''): Promise<Summary[]> => {
    const r = await h.call('auditor', 'GET', `/tasks${query === '' ? '' : `?${query}`}`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { items: Summary[] }).items;
  };
  const idsOf = (items: Summary[]): string[] => items.map((t) => t.taskId);

  beforeEach(async () => {
    // T2: a draw after its task's window is refused; the draw routes run on a fixed day inside the 2026 windows.
    h = await openTaskHarness();
    w = await seedWorld(h);
    const planned = await created();
    const adHoc = await created({ adHoc: true, adHocReason: '上级转办线索' });
    const delegated = await created({ name: '委托任务' });
    expect((await h.call('principalA', 'POST', `/tasks/${delegated}/delegation`, { delegate: 'dept-a1', reason: '属地实施' })).statusCode).toBe(201);
    expect((await h.callWith(w.principalA1, 'POST', `/tasks/${delegated}/delegation/acceptance`)).statusCode).toBe(201);
    const locked = await created({ name: '锁定任务' });
    lockedDraw = await drawToCompletion(h, h.bearer('opA'), drawBody(locked));
    expect((await h.call('principalA', 'POST', `/tasks/${locked}/lock`, { drawId: lockedDraw })).statusCode).toBe(201);
    const dispatched = await created({ name: '下发任务' });
    const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(dispatched));
    expect((await h.call('principalA', 'POST', `/tasks/${dispatched}/lock`, { drawId })).statusCode).toBe(201);
    expect((await h.call('principalA', 'POST', `/tasks/${dispatched}/dispatch`)).statusCode).toBe(201);
    ids = { planned, adHoc, delegated, locked, dispatched };
  });
  afterEach(async () => {
    await h.close();
  });

  it('T4: each task is listed once in task-number order, with its status after lock and dispatch, the locked list size and targets per unit as the task stream has them', async () => {
    const all = await list();
    expect(idsOf(all)).toEqual(Object.values(ids).sort());
    const byId = new Map(all.map((t) => [t.taskId, t]));
    expect(byId.get(ids.planned)).toMatchObject({ status: 'created', locked: null, dispatched: null, delegation: null, departmentId: 'dept-a', year: 2026 });
    expect(byId.get(ids.planned)!.positions).toMatchObject({ locked: null, dispatched: null });

    const full = async (id: string) => (await h.call('auditor', 'GET', `/tasks/${id}`)).json() as { locked: { targets: string[] }; assignments: { executingUnit: string; targets: string[] }[] };
    const locked = byId.get(ids.locked)!;
    expect(locked).toMatchObject({ status: 'locked', locked: { drawId: lockedDraw, count: (await full(ids.locked)).locked.targets.length }, dispatched: null });
    expect(locked.positions.locked!).toBeGreaterThan(locked.positions.created);

    const sent = byId.get(ids.dispatched)!;
    const stream = await full(ids.dispatched);
    expect(sent.status).toBe('dispatched');
    expect(sent.dispatched).toEqual(stream.assignments.map((a) => ({ executingUnit: a.executingUnit, targets: a.targets.length })));
    expect(sent.locked!.count).toBe(stream.locked.targets.length);
    expect(sent.positions.dispatched!).toBeGreaterThan(sent.positions.locked!);
    // The positions are the ledger's own: the events at them are this task's.
    const events = await h.rt.store.readAll();
    expect(events[sent.positions.created]).toMatchObject({ type: 'TaskCreated', streamId: `task-${ids.dispatched}` });
    expect(events[sent.positions.locked!]).toMatchObject({ type: 'TaskListLocked', streamId: `task-${ids.dispatched}` });
    expect(events[sent.positions.dispatched!]).toMatchObject({ type: 'TaskDispatched', streamId: `task-${ids.dispatched}` });

    expect(idsOf(await list('status=locked'))).toEqual([ids.locked]);
    expect(idsOf(await list('status=dispatched'))).toEqual([ids.dispatched]);
    expect(idsOf(await list('status=created'))).toEqual([ids.planned, ids.adHoc, ids.delegated].sort());
  });

  it('PL6: adHoc=true lists only ad-hoc tasks and adHoc=false only planned ones', async () => {
    expect(idsOf(await list('adHoc=true'))).toEqual([ids.adHoc]);
    expect(idsOf(await list('adHoc=false'))).toEqual(Object.values(ids).filter((id) => id !== ids.adHoc).sort());
  });

  it('T1: executingUnit finds the tasks an accepted delegate executes, and the tasks naming the unit among their executing units', async () => {
    expect(idsOf(await list('executingUnit=dept-a1'))).toEqual([ids.delegated]);
    expect((await list('executingUnit=dept-a1'))[0]!.delegation).toEqual({ delegate: 'dept-a1', accepted: true });
    // Every task names dept-a and dept-b as executing units (taskBody).
    expect(idsOf(await list('executingUnit=dept-b'))).toEqual(Object.values(ids).sort());
    expect(await list('executingUnit=dept-c')).toEqual([]);
  });

  it('T1: a delegation not yet accepted does not put the task in the delegate\'s list', async () => {
    const pending = await created({ name: '待接受' });
    expect((await h.call('principalA', 'POST', `/tasks/${pending}/delegation`, { delegate: 'dept-a1', reason: '属地实施' })).statusCode).toBe(201);
    expect(idsOf(await list('executingUnit=dept-a1'))).toEqual([ids.delegated]);
    expect((await list()).find((t) => t.taskId === pending)!.delegation).toEqual({ delegate: 'dept-a1', accepted: false });
  });

  it('filters by department and year; pages by task id without gaps or repeats', async () => {
    expect(idsOf(await list('department=dept-a&year=2026'))).toEqual(Object.values(ids).sort());
    expect(await list('department=dept-b')).toEqual([]);
    expect(await list('year=2027')).toEqual([]);
    const all = await list();
    const first = await list('limit=2');
    const second = await list(`limit=2&after=${first[1]!.taskId}`);
    const rest = await list(`after=${second[1]!.taskId}`);
    expect([...first, ...second, ...rest]).toEqual(all);
  });

  it('a rebuild of the read models gives the same rows', async () => {
    const before = await list();
    await h.rt.projections.rebuild();
    expect(await list()).toEqual(before);
  });

  it('needs a token; a bad query is a coded 400 naming the field and changes nothing', async () => {
    expect((await h.call('anonymous', 'GET', '/tasks')).statusCode).toBe(401);
    const head = await h.head();
    for (const [query, field] of [['limit=0', 'limit'], ['limit=1001', 'limit'], ['status=open', 'status'], ['adHoc=yes', 'adHoc'], ['year=26', 'year'], ['executingUnit=%20', 'executingUnit'], ['colour=red', 'colour']] as const) {
      const bad = await h.call('auditor', 'GET', `/tasks?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json().error, query).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(bad.json()), query).toContain(field);
    }
    expect(await h.head()).toEqual(head);
  });
});
