/**
 * The task (抽查任务, T1–T4, PL6): one stream per task, `task-<number>`. A task is created by the
 * department that owns the plan (T2) or ad hoc (PL6), may be delegated to a lower department
 * which accepts (T1), then — after its target draw completed — its drawn list is locked and
 * dispatched to the executing units, which publishes the task notice (T4, P2).
 *
 *   created ──delegate──▶ created+delegated ──accept──▶ created+accepted
 *      │                                                   │
 *      └────────────── lock (cites the completed draw) ◀───┘
 *                               │
 *                            locked ──dispatch (+ NoticePublished taskNotice)──▶ dispatched
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { ratioSchema } from '../plans/schemas.js';
import { idSchema, itemCategories, reasonSchema, usccSchema } from '../registers/schemas.js';
import { taskDraftSchema } from './schemas.js';

const dayPattern = { type: 'string', pattern: '^\\d{8}$' } as const;

/** The number allocated, in the per-department-day counter stream (./number.ts). */
export const TaskNumberAllocated = defineEvent('TaskNumberAllocated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'day', 'sequence', 'taskId'],
  properties: { departmentId: idSchema, day: dayPattern, sequence: { type: 'integer', minimum: 1, maximum: 999999 }, taskId: idSchema },
} as const);

/** What the creation checked each item against, so an auditor can recompute it (L2, plan ratio). */
const itemBasisSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'category', 'maxRatio', 'planMaxRatio'],
  properties: {
    itemId: idSchema,
    category: { enum: itemCategories },
    /** L2/A4 cap of a general item; null for a key item. */
    maxRatio: { anyOf: [ratioSchema, { type: 'null' }] },
    /** The highest ratio the plan in force states for the item (any class); null for ad hoc. */
    planMaxRatio: { anyOf: [ratioSchema, { type: 'null' }] },
  },
} as const;

const { adHoc: _a, adHocReason: _r, ...draftProperties } = taskDraftSchema.properties;

export const TaskCreated = defineEvent('TaskCreated', 1, {
  type: 'object',
  additionalProperties: false,
  required: [...taskDraftSchema.required, 'taskId', 'year', 'adHoc', 'adHocReason', 'planVersion', 'basis'],
  properties: {
    ...draftProperties,
    taskId: idSchema,
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    adHoc: { type: 'boolean' },
    adHocReason: { anyOf: [reasonSchema, { type: 'null' }] },
    /** The plan version in force the items were taken from; null for an ad-hoc task (PL6). */
    planVersion: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
    basis: { type: 'array', minItems: 1, maxItems: 50, items: itemBasisSchema },
  },
} as const);

/** T1: the task's department hands execution to a lower department. */
export const TaskDelegated = defineEvent('TaskDelegated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'delegate', 'reason'],
  properties: { taskId: idSchema, delegate: idSchema, reason: reasonSchema },
} as const);

/** T1: the lower department's principal accepts; from now on its targets go to it. */
export const TaskDelegationAccepted = defineEvent('TaskDelegationAccepted', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'delegate'],
  properties: { taskId: idSchema, delegate: idSchema },
} as const);

/**
 * PL5 (issue 9): a drawn entity left out of the locked list because counting it would take it over
 * the yearly cap — another task's lock counted it after this draw's commit, or its exemption
 * lapsed (`exemptionLapsed`). `count`: its random draws that year already, `cap` the draw's cap.
 */
export const lockExclusionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'rule', 'drawId', 'year', 'count', 'cap', 'exemptionLapsed'],
  properties: {
    uscc: usccSchema,
    rule: { const: 'PL5' },
    drawId: { type: 'string', minLength: 1, maxLength: 200 },
    year: { type: 'integer', minimum: 2000, maximum: 2999 },
    count: { type: 'integer', minimum: 0 },
    cap: { type: 'integer', minimum: 1 },
    exemptionLapsed: { type: 'boolean' },
  },
} as const;

/**
 * T4: the drawn list confirmed and locked; it never changes afterwards (E8 removals are later events).
 * Written in one append with a `DrawCounted` per counted entity (PL5). `excluded` was added as an
 * optional member (issue 9), so locks recorded before it stay valid.
 */
export const TaskListLocked = defineEvent('TaskListLocked', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'drawId', 'drawIds', 'targets'],
  properties: {
    taskId: idSchema,
    /** The completed target draw (root) the list comes from. */
    drawId: { type: 'string', minLength: 1, maxLength: 200 },
    /** The root and its completed follow-ups (extensions), in order. */
    drawIds: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
    targets: { type: 'array', maxItems: 1000000, uniqueItems: true, items: usccSchema },
    /** PL5: drawn entities left out of `targets` because the cap was reached by the lock (absent: none). */
    excluded: { type: 'array', maxItems: 1000000, items: lockExclusionSchema },
  },
} as const);

const assignmentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['executingUnit', 'targets'],
  properties: { executingUnit: idSchema, targets: { type: 'array', minItems: 1, maxItems: 1000000, items: usccSchema } },
} as const;

/** T4: each locked target sent to its executing unit; written with its task notice (P2). */
export const TaskDispatched = defineEvent('TaskDispatched', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'assignments', 'noticeId'],
  properties: { taskId: idSchema, assignments: { type: 'array', maxItems: 1000, items: assignmentSchema }, noticeId: { type: 'string', minLength: 1, maxLength: 200 } },
} as const);

export const taskEventDefinitions = [TaskNumberAllocated, TaskCreated, TaskDelegated, TaskDelegationAccepted, TaskListLocked, TaskDispatched] as const;
export type TaskEvent = DomainEvent<(typeof taskEventDefinitions)[number]>;
/** The events of a task's own stream (the number allocation lives in the counter stream). */
export type TaskStreamEvent = Exclude<TaskEvent, { type: 'TaskNumberAllocated' }>;
export type TaskRecord = PayloadOf<typeof TaskCreated>;
export type TaskClass = TaskRecord['classes'][number];
export type LockExclusion = NonNullable<PayloadOf<typeof TaskListLocked>['excluded']>[number];
export type Assignment = PayloadOf<typeof TaskDispatched>['assignments'][number];

export interface TaskDelegation {
  readonly delegate: string;
  readonly reason: string;
  readonly accepted: boolean;
}

export type TaskState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly task: TaskRecord;
      readonly delegation: TaskDelegation | null;
      readonly locked: PayloadOf<typeof TaskListLocked> | null;
      readonly dispatched: readonly Assignment[] | null;
    };
export const initialTaskState: TaskState = { exists: false };

export const taskStreamId = (taskId: string): string => `task-${taskId}`;

export const taskStatus = (s: Extract<TaskState, { exists: true }>): 'created' | 'locked' | 'dispatched' =>
  s.dispatched ? 'dispatched' : s.locked ? 'locked' : 'created';

/** T1: the department that executes — the accepted delegate, else the task's own. */
export const executingDepartment = (s: Extract<TaskState, { exists: true }>): string =>
  s.delegation?.accepted ? s.delegation.delegate : s.task.departmentId;

export function evolveTask(state: TaskState, event: TaskStreamEvent): TaskState {
  switch (event.type) {
    case 'TaskCreated':
      return { exists: true, task: event.payload, delegation: null, locked: null, dispatched: null };
    case 'TaskDelegated':
      return state.exists ? { ...state, delegation: { delegate: event.payload.delegate, reason: event.payload.reason, accepted: false } } : state;
    case 'TaskDelegationAccepted':
      return state.exists && state.delegation ? { ...state, delegation: { ...state.delegation, accepted: true } } : state;
    case 'TaskListLocked':
      return state.exists ? { ...state, locked: event.payload } : state;
    case 'TaskDispatched':
      return state.exists ? { ...state, dispatched: event.payload.assignments } : state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
