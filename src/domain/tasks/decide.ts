/** Creating, delegating, locking and dispatching a task (T1–T4, PL6): pure, time and actor from the metadata. */
import type { Actor } from '../actor.js';
import { authorize } from '../access.js';
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import { guard, sameValue } from '../registers/guard.js';
import { checkTaskDraft, type TaskContext, type TaskDraft } from './checks.js';
import {
  evolveTask, executingDepartment, initialTaskState, taskStatus, type Assignment, type TaskClass, type TaskState, type TaskStreamEvent,
} from './events.js';
import { shanghaiDate } from '../calendar/index.js';

type Existing = Extract<TaskState, { exists: true }>;

/** `taskId`, `year` and `context` are set by the application service, never sent by a client. */
export type CreateTask = Command<'CreateTask', { readonly taskId: string; readonly draft: TaskDraft; readonly context: TaskContext }>;
/** `delegateAncestors`: the delegate's parent, grandparent, … as the organisation chart stands (read by the service). */
export type DelegateTask = Command<'DelegateTask', { readonly taskId: string; readonly delegate: string; readonly reason: string; readonly delegateAncestors: readonly string[] }>;
export type AcceptDelegation = Command<'AcceptDelegation', { readonly taskId: string }>;
/** The task's target draw as its slot stands (read by the service); null when the slot holds no completed draw. */
export interface CompletedTargetDraw {
  readonly drawId: string;
  readonly drawIds: readonly string[];
  readonly targets: readonly string[];
}
/**
 * PL5: a locked target that counts, with its random draws so far in the year (read from its
 * counter stream by the service); `count` at or above `cap` leaves it out of the list.
 */
export interface LockCount {
  readonly uscc: string;
  readonly drawId: string;
  readonly year: number;
  readonly cap: number;
  readonly count: number;
  readonly exemptionLapsed: boolean;
}
export type LockTaskList = Command<'LockTaskList', { readonly taskId: string; readonly drawId: string; readonly draw: CompletedTargetDraw | null; readonly counts?: readonly LockCount[] }>;
/** `jurisdictions`: each locked target's jurisdiction in the register at dispatch (null: no longer registered). */
export type DispatchTask = Command<'DispatchTask', { readonly taskId: string; readonly noticeId: string; readonly jurisdictions: Readonly<Record<string, string | null>> }>;
export type TaskCommand = CreateTask | DelegateTask | AcceptDelegation | LockTaskList | DispatchTask;

export const taskNotFound = (taskId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/taskId', kind: 'task', taskId }, { zh: `未找到抽查任务：${taskId}`, en: `task not found: ${taskId}` });

const stateError = (rule: string, zh: string, en: string, status: string): SuijiError => ruleViolation(rule, zh, en, { field: '/taskId', status });

/**
 * T4: the executing unit of a target — the accepted delegate (T1) takes every target; else the
 * target's jurisdiction when it is one of the task's executing units; else the task's own
 * department, which then hands it on itself (a target that moved out of every unit stays with it).
 */
export function assign(s: Existing, jurisdictions: Readonly<Record<string, string | null>>): Assignment[] {
  const units = new Set(s.task.executingUnits);
  const byUnit = new Map<string, string[]>();
  for (const t of s.locked?.targets ?? []) {
    const j = jurisdictions[t] ?? null;
    const unit = s.delegation?.accepted ? s.delegation.delegate : j !== null && units.has(j) ? j : s.task.departmentId;
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), t]);
  }
  return [...byUnit.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([executingUnit, targets]) => ({ executingUnit, targets }));
}

export function decideTask(command: TaskCommand, state: TaskState): readonly TaskStreamEvent[] | SuijiError {
  const meta = command.metadata;
  if (command.type === 'CreateTask') {
    const { draft, context, taskId } = command.data;
    const denied = guard(meta, 'task.create', draft.departmentId);
    if (denied) return denied;
    if (state.exists) return new SuijiError('ALREADY_EXISTS', { field: '/taskId', kind: 'task', id: taskId }, { zh: `抽查任务已存在：${taskId}`, en: `task already exists: ${taskId}` });
    const basis = checkTaskDraft(draft, context);
    if (basis instanceof SuijiError) return basis;
    const adHoc = draft.adHoc === true;
    const { adHoc: _a, adHocReason, ...rest } = draft;
    return [
      {
        type: 'TaskCreated',
        payload: { ...rest, taskId, year: Number(draft.window.from.slice(0, 4)), adHoc, adHocReason: adHocReason ?? null, planVersion: adHoc ? null : (context.plan?.version ?? null), basis },
      },
    ];
  }
  // Role first (before anything about the stream is told).
  const roleDenied = authorize(meta.actor, 'task.confirm', { department: meta.actor.department });
  if (roleDenied) return roleDenied;
  if (!state.exists) return taskNotFound(command.data.taskId);
  const { task } = state;
  const status = taskStatus(state);
  switch (command.type) {
    case 'DelegateTask': {
      const denied = guard(meta, 'task.confirm', task.departmentId);
      if (denied) return denied;
      const { delegate, reason, delegateAncestors } = command.data;
      if (state.delegation?.delegate === delegate && state.delegation.reason === reason) return [];
      if (state.delegation) return stateError('T1', `任务已委托给 ${state.delegation.delegate}`, `the task is already delegated to ${state.delegation.delegate}`, status);
      if (status !== 'created') return stateError('T1', '名单锁定后不能再委托', 'a task cannot be delegated once its list is locked', status);
      if (!delegateAncestors.includes(task.departmentId)) {
        return ruleViolation('T1', `只能委托给下级部门：${delegate} 不是 ${task.departmentId} 的下级`, `execution is delegated only to a lower department: ${delegate} is not below ${task.departmentId}`, { field: '/delegate' });
      }
      return [{ type: 'TaskDelegated', payload: { taskId: task.taskId, delegate, reason } }];
    }
    case 'AcceptDelegation': {
      if (!state.delegation) return stateError('T1', '任务没有待接受的委托', 'the task has no delegation to accept', status);
      const denied = guard(meta, 'task.confirm', state.delegation.delegate);
      if (denied) return denied;
      if (state.delegation.accepted) return [];
      return [{ type: 'TaskDelegationAccepted', payload: { taskId: task.taskId, delegate: state.delegation.delegate } }];
    }
    case 'LockTaskList': {
      const denied = guard(meta, 'task.confirm', task.departmentId);
      if (denied) return denied;
      const { drawId, draw } = command.data;
      if (state.locked) {
        // A locked list never changes: the same lock again is a no-op, any other is refused.
        if (state.locked.drawId === drawId) return [];
        return stateError('T4', `名单已锁定（摇号 ${state.locked.drawId}），锁定后不能更改`, `the list is already locked (draw ${state.locked.drawId}) and never changes`, status);
      }
      if (state.delegation && !state.delegation.accepted) return stateError('T1', '委托尚未被下级部门接受', 'the delegation has not been accepted by the lower department', status);
      if (!draw || draw.drawId !== drawId) {
        return ruleViolation('T4', `摇号 ${drawId} 不是本任务已完成的抽取对象摇号`, `draw ${drawId} is not this task's completed target draw`, { field: '/drawId' });
      }
      // PL5 (issue 9): an entity another lock took to the cap since this draw's commit is left out, and said so.
      const excluded = (command.data.counts ?? []).filter((c) => c.count >= c.cap).map((c) => ({ uscc: c.uscc, rule: 'PL5' as const, drawId: c.drawId, year: c.year, count: c.count, cap: c.cap, exemptionLapsed: c.exemptionLapsed }));
      const out = new Set(excluded.map((e) => e.uscc));
      return [{ type: 'TaskListLocked', payload: { taskId: task.taskId, drawId, drawIds: [...draw.drawIds], targets: draw.targets.filter((t) => !out.has(t)), ...(excluded.length > 0 && { excluded }) } }];
    }
    case 'DispatchTask': {
      const denied = guard(meta, 'task.confirm', task.departmentId);
      if (denied) return denied;
      if (state.dispatched) return [];
      if (!state.locked) return stateError('T4', '名单锁定后才能下发', 'the list must be locked before it is dispatched', status);
      return [{ type: 'TaskDispatched', payload: { taskId: task.taskId, assignments: assign(state, command.data.jurisdictions), noticeId: command.data.noticeId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const taskDecider: Decider<TaskCommand, TaskStreamEvent, TaskState> = {
  initialState: initialTaskState,
  decide: decideTask,
  evolve: evolveTask,
};


/**
 * T2/T3 (issue 9): every draw serves a task that exists, committed no later than the last day
 * of the task's window (China's calendar). Target draws are then checked by `taskDrawClasses`;
 * draws of other purposes (experts, inspector groups, replacements) by `mayDrawFor`.
 */
export function taskOpenForDraws(state: TaskState, taskId: string, now: string): Existing | SuijiError {
  if (!state.exists) {
    return new SuijiError('NOT_FOUND', { field: '/task', kind: 'task', taskId, rule: 'T3' }, { zh: `T3：摇号须属于一个抽查任务，未找到任务 ${taskId}`, en: `T3: a draw belongs to a task; task not found: ${taskId}` });
  }
  const day = shanghaiDate(Date.parse(now));
  if (day > state.task.window.to) {
    return ruleViolation('T2', `任务 ${taskId} 的实施期限已于 ${state.task.window.to} 结束，不能再抽取（${day}）`, `task ${taskId}: its window ended on ${state.task.window.to}; no draw on ${day}`, { field: '/task', windowTo: state.task.window.to });
  }
  return state;
}

/**
 * T1/T6: who draws experts, inspector groups and replacements for a task — its department, its
 * accepted delegate, or one of its executing units (which carry out the inspections, T6).
 */
export function mayDrawFor(s: Existing, actor: Actor): SuijiError | null {
  if (actor.role === 'admin' || actor.role === 'system') return null;
  const allowed = [...new Set([s.task.departmentId, executingDepartment(s), ...s.task.executingUnits])];
  if (allowed.includes(actor.department)) return null;
  return ruleViolation('T1', `任务 ${s.task.taskId} 的摇号由 ${allowed.join('、')} 进行，不是部门 ${actor.department}`, `task ${s.task.taskId} is drawn for by ${allowed.join(', ')}, not by department ${actor.department}`, { field: '/task' });
}

/** The fields of a target draw request the task fixes (T3). */
export interface TaskDrawRequest {
  readonly item: string;
  readonly classes?: readonly { readonly name: string; readonly filter: object; readonly quota?: unknown }[];
}

/**
 * T2/T3/T1/T4: the classes a target draw of this task must use. The draw is committed by the
 * task's department or its accepted delegate; its item is one of the task's; its classes are the
 * task's — omitted, they are taken from the task; given, they must equal the task's exactly
 * (no widened filter, no other quota). A locked task draws no more.
 */
export function taskDrawClasses(state: TaskState, actor: Actor, req: TaskDrawRequest): readonly TaskClass[] | SuijiError {
  if (!state.exists) return taskNotFound('');
  const s = state;
  if (s.locked) return ruleViolation('T4', `任务 ${s.task.taskId} 的名单已锁定，不能再抽取`, `task ${s.task.taskId}: the list is locked, no further target draw`, { field: '/task' });
  const allowed = [s.task.departmentId, executingDepartment(s)];
  if (actor.role !== 'admin' && actor.role !== 'system' && !allowed.includes(actor.department)) {
    return ruleViolation('T2', `任务 ${s.task.taskId} 由 ${allowed.join('、')} 抽取，不是部门 ${actor.department}`, `task ${s.task.taskId} is drawn by ${allowed.join(', ')}, not by department ${actor.department}`, { field: '/task' });
  }
  if (!s.task.items.includes(req.item)) {
    return ruleViolation('T3', `事项 ${req.item} 不是任务 ${s.task.taskId} 的事项`, `item ${req.item} is not an item of task ${s.task.taskId}`, { field: '/item' });
  }
  if (req.classes === undefined) return s.task.classes;
  if (req.classes.length !== s.task.classes.length) {
    return ruleViolation('T3', `抽取类别须与任务一致（任务有 ${s.task.classes.length} 类）`, `the classes must be the task's (it has ${s.task.classes.length})`, { field: '/classes' });
  }
  for (const [i, c] of req.classes.entries()) {
    const t = s.task.classes[i]!;
    for (const key of ['name', 'filter', 'quota'] as const) {
      if (!sameValue(c[key], t[key])) {
        return ruleViolation('T3', `第 ${i + 1} 类的 ${key} 与任务规定不同：抽取范围只能取自任务，不能放宽或改动`, `class ${i + 1}: ${key} differs from the task's — a task draw takes its pool from the task and never widens it`, {
          field: `/classes/${i}/${key}`,
        });
      }
    }
  }
  return s.task.classes;
}
