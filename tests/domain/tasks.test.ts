import { describe, expect, it } from 'vitest';
import type { CommandMetadata } from '../../src/domain/decider.js';
import { assign, decideTask, evolveTask, initialTaskState, shanghaiDay, taskNumber, type TaskState, type TaskStreamEvent } from '../../src/domain/tasks/index.js';

const meta = (role: 'operator' | 'principal', department: string): CommandMetadata => ({ actor: { userId: `${role}-${department}`, role, department }, now: '2026-03-01T01:00:00.000Z', commandId: 'c1' });

const created: TaskStreamEvent = {
  type: 'TaskCreated',
  payload: {
    taskId: 'dept-a-20260301-001', departmentId: 'dept-a', name: '任务', year: 2026, items: ['SW-02'], directional: false,
    classes: [{ name: 'all', filter: {}, quota: { count: 3 } }], window: { from: '2026-03-01', to: '2026-06-30' }, executingUnits: ['dept-a', 'dept-b'],
    publishList: false, adHoc: false, adHocReason: null, planVersion: 1, basis: [{ itemId: 'SW-02', category: 'key', maxRatio: null, planMaxRatio: null }],
  },
};
const given = (...events: TaskStreamEvent[]): TaskState => events.reduce(evolveTask, initialTaskState);
const locked: TaskStreamEvent = { type: 'TaskListLocked', payload: { taskId: 'dept-a-20260301-001', drawId: 'd.targets.1', drawIds: ['d.targets.1'], targets: ['T1', 'T2', 'T3'] } };

describe('task numbers (T2)', () => {
  it('T2: the date of a number is the day in China (UTC+8), the sequence three digits', () => {
    expect(shanghaiDay('2026-02-28T16:00:00.000Z')).toBe('20260301');
    expect(shanghaiDay('2026-02-28T15:59:59.999Z')).toBe('20260228');
    expect(taskNumber('yy-swj-scyx', '20260301', 1)).toBe('yy-swj-scyx-20260301-001');
  });
});

describe('when a task is dispatched (T4)', () => {
  it('T4: targets go to their jurisdiction when it is an executing unit, else to the task\'s department', () => {
    const s = given(created, locked);
    if (!s.exists) throw new Error('no task');
    expect(assign(s, { T1: 'dept-b', T2: 'dept-a', T3: 'dept-x' })).toEqual([
      { executingUnit: 'dept-a', targets: ['T2', 'T3'] },
      { executingUnit: 'dept-b', targets: ['T1'] },
    ]);
  });

  it('T1: with an accepted delegation every target goes to the delegate', () => {
    const s = given(created, { type: 'TaskDelegated', payload: { taskId: 'x', delegate: 'dept-a1', reason: 'r' } }, { type: 'TaskDelegationAccepted', payload: { taskId: 'x', delegate: 'dept-a1' } }, locked);
    if (!s.exists) throw new Error('no task');
    expect(assign(s, { T1: 'dept-b', T2: 'dept-a', T3: null })).toEqual([{ executingUnit: 'dept-a1', targets: ['T1', 'T2', 'T3'] }]);
  });

  it('T4: dispatching before the lock is refused; an operator may not dispatch', () => {
    const s = given(created);
    const refused = decideTask({ type: 'DispatchTask', data: { taskId: 'dept-a-20260301-001', noticeId: 'n', jurisdictions: {} }, metadata: meta('principal', 'dept-a') }, s);
    expect(refused).toMatchObject({ code: 'RULE_VIOLATION', details: { rule: 'T4' } });
    const op = decideTask({ type: 'DispatchTask', data: { taskId: 'dept-a-20260301-001', noticeId: 'n', jurisdictions: {} }, metadata: meta('operator', 'dept-a') }, given(created, locked));
    expect(op).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('when a task is delegated (T1)', () => {
  it('T1: only to a department below the task\'s', () => {
    const cmd = (ancestors: string[]) => decideTask({ type: 'DelegateTask', data: { taskId: 'x', delegate: 'dept-a1', reason: 'r', delegateAncestors: ancestors }, metadata: meta('principal', 'dept-a') }, given(created));
    expect(cmd(['bureau'])).toMatchObject({ details: { rule: 'T1', field: '/delegate' } });
    expect(cmd(['dept-a', 'bureau'])).toEqual([{ type: 'TaskDelegated', payload: { taskId: 'dept-a-20260301-001', delegate: 'dept-a1', reason: 'r' } }]);
  });
});
