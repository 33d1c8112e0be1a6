import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeVisits, type VisitAssignment } from '../../../src/domain/visits/index.js';
import { type Harness } from '../registers/harness.js';
import { drawBody, drawOn, drawToCompletion, openTaskHarness, seedWorld, taskBody, type World } from './fixtures.js';

/** Every one of dept-a's four 南麻 targets: a key item has no cap, so the pool is drawn whole. */
const wholePool = [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 4 } }];

describe('visits (T5, T6)', () => {
  let h: Harness;
  let w: World;
  beforeEach(async () => {
    h = await openTaskHarness();
    w = await seedWorld(h);
  });
  afterEach(async () => {
    await h.close();
  });

  /** Create, draw, lock and dispatch a task through the HTTP routes; returns its number. */
  const dispatched = async (over: Record<string, unknown>): Promise<string> => {
    const c = await h.call('opA', 'POST', '/tasks', taskBody({ classes: wholePool, ...over }));
    expect(c.statusCode, c.body).toBe(201);
    const taskId = (c.json() as { taskId: string }).taskId;
    // T2: drawn on the first day of the task's window (windows here do not all share a day).
    drawOn((over.window as { from: string } | undefined)?.from ?? taskBody().window.from);
    const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId, wholePool));
    expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
    const d = await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`);
    expect(d.statusCode, d.body).toBe(201);
    return taskId;
  };
  type Visit = { visitId: string; executingUnit: string; uscc: string; window: { from: string; to: string }; items: string[]; tasks: { taskId: string; items: string[] }[] };
  const queue = async (query: string): Promise<Visit[]> => {
    const r = await h.call('opA', 'GET', `/visits?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { items: Visit[] }).items;
  };

  it('T5: two overlapping tasks produce one visit with both items', async () => {
    const t1 = await dispatched({ items: ['SW-02'], window: { from: '2026-03-01', to: '2026-06-30' } });
    const t2 = await dispatched({ name: '2026年加油站综合抽查', items: ['SW-01', 'SW-02'], window: { from: '2026-06-01', to: '2026-09-30' } });
    const visits = await queue('unit=dept-a');
    // One visit per target, not one per task and target.
    expect(visits.map((v) => v.uscc).sort()).toEqual([...w.targetsA].sort());
    for (const v of visits) {
      expect(v.executingUnit).toBe('dept-a');
      expect(v.items).toEqual(['SW-01', 'SW-02']);
      expect(v.tasks.map((t) => t.taskId)).toEqual([t1, t2].sort());
      expect(v.window).toEqual({ from: '2026-03-01', to: '2026-09-30' });
      expect(v.visitId).toBe(`dept-a-20260301-${v.uscc}`);
      const one = await h.call('auditor', 'GET', `/visits/${v.visitId}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toEqual(v);
    }
  });

  it('T5: an auditor recomputes the visits from the ledger payloads alone, and a rebuild gives the same rows', async () => {
    await dispatched({ items: ['SW-02'], window: { from: '2026-01-01', to: '2026-03-31' } });
    await dispatched({ items: ['SW-01', 'SW-02'], window: { from: '2026-05-01', to: '2026-07-31' } });
    await dispatched({ window: { from: '2026-03-15', to: '2026-05-15' } }); // bridges the two
    const served = await queue('');
    const events = await h.rt.store.readAll();
    const created = new Map<string, { items: string[]; window: { from: string; to: string } }>();
    const assignments: VisitAssignment[] = [];
    for (const e of events) {
      const p = e.payload as { taskId: string; items: string[]; window: { from: string; to: string }; assignments: { executingUnit: string; targets: string[] }[] };
      if (e.type === 'TaskCreated') created.set(p.taskId, { items: p.items, window: p.window });
      if (e.type === 'TaskDispatched')
        for (const a of p.assignments) for (const uscc of a.targets) assignments.push({ taskId: p.taskId, uscc, executingUnit: a.executingUnit, ...created.get(p.taskId)! });
    }
    // The merge fields of each served visit (matching adds status, group … beside them).
    const merged = served.map(({ visitId, executingUnit, uscc, window, items, tasks }) => ({ visitId, executingUnit, uscc, window, items, tasks }));
    expect(JSON.parse(JSON.stringify(mergeVisits(assignments)))).toEqual(merged);
    expect(served).toHaveLength(w.targetsA.length);
    expect(served.every((v) => v.tasks.length === 3 && v.window.from === '2026-01-01' && v.window.to === '2026-07-31')).toBe(true);
    await h.rt.projections.rebuild();
    expect(await queue('')).toEqual(served);
  });

  it('T5: a task whose window does not overlap is a visit of its own for the same target', async () => {
    await dispatched({ window: { from: '2026-01-01', to: '2026-02-28' } });
    await dispatched({ window: { from: '2026-03-01', to: '2026-06-30' } });
    const visits = await queue('unit=dept-a');
    expect(visits).toHaveLength(2 * w.targetsA.length);
    for (const t of w.targetsA) expect(visits.filter((v) => v.uscc === t).map((v) => v.window.from)).toEqual(['2026-01-01', '2026-03-01']);
  });

  it('T6: the work queue lists only the unit\'s visits, in pages by visit id', async () => {
    await dispatched({ window: { from: '2026-03-01', to: '2026-06-30' } });
    expect(await queue('unit=dept-b')).toEqual([]);
    const all = await queue('unit=dept-a');
    const first = await queue('unit=dept-a&limit=3');
    const rest = await queue(`unit=dept-a&after=${first[2]!.visitId}`);
    expect([...first, ...rest]).toEqual(all);
    expect(all.map((v) => v.visitId)).toEqual([...all.map((v) => v.visitId)].sort());
  });

  it('T6: visits need a token; an unknown visit is a coded 404; a malformed query is a coded 400 naming the field', async () => {
    expect((await h.call('anonymous', 'GET', '/visits')).statusCode).toBe(401);
    const missing = await h.call('opA', 'GET', `/visits/dept-a-20260301-${w.targetsA[0]}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('NOT_FOUND');
    const bad = await h.call('opA', 'GET', '/visits?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('limit');
  });
});
