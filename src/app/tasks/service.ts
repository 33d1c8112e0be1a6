/**
 * Tasks as a use case (T1–T4, PL6, P2): reads what the pure decider needs — the department's
 * inspected items and caps (as plans do), its plan in force, the organisation chart, the task's
 * completed target draw, the targets' jurisdictions — and writes its events. Creation allocates
 * the number from the per-department-day counter stream in the same atomic append as the task;
 * dispatch writes the dispatch and its task notice (抽查任务公告) in one atomic append.
 */
import type { Database } from 'better-sqlite3';
import type { CommandMetadata } from '../../domain/decider.js';
import { drawDecider, drawSlotStreamId, lineage } from '../../domain/draws/index.js';
import { SuijiError } from '../../domain/errors.js';
import { noticeStreamId, taskNotice, taskNoticeId } from '../../domain/notices/index.js';
import { inForceVersion, planDecider, planStreamId } from '../../domain/plans/index.js';
import {
  executingDepartment, shanghaiDay, taskCounterStreamId, taskDecider, taskNumber, taskStatus, taskStreamId,
  type CompletedTargetDraw, type TaskCommand, type TaskContext, type TaskDraft, type TaskState,
} from '../../domain/tasks/index.js';
import { currentItems, departmentParents, getTarget, listDepartments } from '../../projections/registers/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, toNewEvents } from '../../store/handle-command.js';
import type { EventStore, RecordedEvent, StreamWrite } from '../../store/port.js';
import { PlanService, type PlanConfig } from '../plans/index.js';

export interface TaskServiceDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly config?: PlanConfig;
}

export interface TaskWriteResult {
  readonly taskId: string;
  /** Event types appended, in order; [] for a no-op. */
  readonly events: string[];
  /** Ledger position of the first event appended; null for a no-op. */
  readonly position: number | null;
  /** true when an Idempotency-Key matched a command already recorded: nothing new was written. */
  readonly replayed: boolean;
  /** The task notice a dispatch published (P2), else null. */
  readonly noticeId: string | null;
}

/** Bounded retries of a write that lost a race on one of its streams (STYLE habit 4). */
const MAX_RETRIES = 3;
/** idSchema: a task number must stay a valid id (department code + 13 characters). */
const MAX_ID = 64;

const expectedOf = (recorded: readonly RecordedEvent[]): number | 'noStream' => (recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision);

/** An event written to a new stream of its own in the same append (a notice). */
interface Extra {
  readonly streamId: string;
  readonly event: { readonly type: string; readonly payload: unknown };
}

const retryable = (e: unknown, attempt: number): boolean => e instanceof SuijiError && e.code === 'WRONG_EXPECTED_REVISION' && attempt < MAX_RETRIES;

export class TaskService {
  private readonly plans: PlanService;

  constructor(private readonly deps: TaskServiceDeps) {
    this.plans = new PlanService(deps);
  }

  private get db(): Database {
    return this.deps.projections.db;
  }

  async state(taskId: string): Promise<{ state: TaskState; recorded: RecordedEvent[] }> {
    const recorded = await this.deps.store.readStream(taskStreamId(taskId));
    return { state: foldStream(taskDecider, recorded), recorded };
  }

  /** T2/PL6: the items the department inspects (L1) with their caps, its plan in force for the year, the departments. */
  private async context(departmentId: string, year: number): Promise<TaskContext> {
    const { context } = await this.plans.context(departmentId);
    const plan = inForceVersion(foldStream(planDecider, await this.deps.store.readStream(planStreamId(departmentId, year))));
    return { items: context.items, plan: plan ? { version: plan.version, items: plan.items } : null, departments: [...departmentParents(this.db).keys()] };
  }

  /** A command already recorded under this command id (a retried Idempotency-Key) answers as it did. */
  private replayOf(taskId: string, recorded: readonly RecordedEvent[], commandId: string): TaskWriteResult | null {
    const prior = recorded.filter((e) => e.correlationId === commandId);
    const first = prior[0];
    if (!first) return null;
    const dispatched = prior.some((e) => e.type === 'TaskDispatched');
    return {
      taskId,
      // A creation's number and a dispatch's notice are in their own streams, written in the same append.
      events: dispatched ? ['TaskDispatched', 'NoticePublished'] : prior.map((e) => e.type),
      position: first.position,
      replayed: true,
      noticeId: dispatched ? taskNoticeId(taskId) : null,
    };
  }

  /** T2/PL6: create the task under the next number of the department's day; refusals write nothing. */
  async create(meta: CommandMetadata, draft: TaskDraft): Promise<TaskWriteResult> {
    const context = await this.context(draft.departmentId, Number(draft.window.from.slice(0, 4)));
    const day = shanghaiDay(meta.now);
    const counter = taskCounterStreamId(draft.departmentId, day);
    for (let attempt = 0; ; attempt++) {
      const numbers = await this.deps.store.readStream(counter);
      const prior = numbers.find((e) => e.correlationId === meta.commandId);
      if (prior) {
        const taskId = (prior.payload as { taskId: string }).taskId;
        return { taskId, events: ['TaskNumberAllocated', 'TaskCreated'], position: prior.position, replayed: true, noticeId: null };
      }
      const sequence = numbers.length + 1;
      const taskId = taskNumber(draft.departmentId, day, sequence);
      if (taskId.length > MAX_ID) {
        throw new SuijiError('VALIDATION_FAILED', { field: '/departmentId', rule: 'T2' }, { zh: 'T2：部门代码过长，无法生成任务编号', en: 'T2: the department code is too long for a task number' });
      }
      const { state, recorded } = await this.state(taskId);
      const command: TaskCommand = { type: 'CreateTask', data: { taskId, draft, context }, metadata: meta };
      const decided = taskDecider.decide(command, state);
      if (decided instanceof SuijiError) throw decided;
      const [allocated, created] = toNewEvents(command, [{ type: 'TaskNumberAllocated', payload: { departmentId: draft.departmentId, day, sequence, taskId } }, ...decided]);
      try {
        const [appended] = await this.deps.store.appendMulti([
          { streamId: counter, events: [allocated!], expected: expectedOf(numbers) },
          { streamId: taskStreamId(taskId), events: [created!], expected: expectedOf(recorded) },
        ]);
        return { taskId, events: ['TaskNumberAllocated', 'TaskCreated'], position: appended!.position, replayed: appended!.replayed === true, noticeId: null };
      } catch (e) {
        if (!retryable(e, attempt)) throw e;
      }
    }
  }

  /** Runs a command on the task stream, plus `extra` writes decided from the same state, in one append. */
  private async run(taskId: string, build: (state: TaskState, revision: number) => { command: TaskCommand; extra?: (decided: readonly { type: string; payload: unknown }[]) => Extra[]; noticeId?: string }): Promise<TaskWriteResult> {
    const streamId = taskStreamId(taskId);
    for (let attempt = 0; ; attempt++) {
      const { state, recorded } = await this.state(taskId);
      const { command, extra, noticeId } = build(state, recorded.length);
      const done = this.replayOf(taskId, recorded, command.metadata.commandId);
      if (done) return done;
      const decided = taskDecider.decide(command, state);
      if (decided instanceof SuijiError) throw decided;
      if (decided.length === 0) return { taskId, events: [], position: null, replayed: false, noticeId: null };
      const extras = extra ? extra(decided) : [];
      // Event ids derive from the command id and the index, so the task's events come first, then each extra.
      const events = toNewEvents(command, [...decided, ...extras.map((x) => x.event)]);
      const writes: StreamWrite[] = [
        { streamId, events: events.slice(0, decided.length), expected: expectedOf(recorded) },
        ...extras.map((x, i): StreamWrite => ({ streamId: x.streamId, events: [events[decided.length + i]!], expected: 'noStream' })),
      ];
      try {
        const [appended] = await this.deps.store.appendMulti(writes);
        return { taskId, events: writes.flatMap((w) => w.events.map((e) => e.type)), position: appended!.position, replayed: appended!.replayed === true, noticeId: extra ? (noticeId ?? null) : null };
      } catch (e) {
        const won = this.replayOf(taskId, await this.deps.store.readStream(streamId), command.metadata.commandId);
        if (won) return won;
        if (!retryable(e, attempt)) throw e;
      }
    }
  }

  /** The ancestors of a department, nearest first (a cycle in the chart stops the walk). */
  private ancestors(departmentId: string): string[] {
    const parents = departmentParents(this.db);
    const out: string[] = [];
    for (let p = parents.get(departmentId) ?? null; p !== null && !out.includes(p); p = parents.get(p) ?? null) out.push(p);
    return out;
  }

  /** T1: the task's principal delegates execution to a lower department. */
  async delegate(meta: CommandMetadata, taskId: string, delegate: string, reason: string): Promise<TaskWriteResult> {
    await this.deps.projections.catchUp();
    const delegateAncestors = this.ancestors(delegate);
    return this.run(taskId, () => ({ command: { type: 'DelegateTask', data: { taskId, delegate, reason, delegateAncestors }, metadata: meta } }));
  }

  /** T1: the lower department's principal accepts. */
  accept(meta: CommandMetadata, taskId: string): Promise<TaskWriteResult> {
    return this.run(taskId, () => ({ command: { type: 'AcceptDelegation', data: { taskId }, metadata: meta } }));
  }

  /** The task's completed target draw and its completed follow-ups, as the slot stands. */
  private async completedDraw(taskId: string): Promise<CompletedTargetDraw | null> {
    const chain = lineage(foldStream(drawDecider, await this.deps.store.readStream(drawSlotStreamId(taskId, 'targets'))));
    const root = chain[0];
    if (!root) return null;
    const seen = new Set<string>();
    for (const d of chain) {
      const classes = (d.result as { classes?: readonly { picked?: readonly string[] }[] } | undefined)?.classes ?? [];
      for (const c of classes) for (const id of c.picked ?? []) seen.add(id);
    }
    return { drawId: root.drawId, drawIds: chain.map((d) => d.drawId), targets: [...seen] };
  }

  /** T4: the task's principal confirms and locks the drawn list, citing the completed draw. */
  async lock(meta: CommandMetadata, taskId: string, drawId: string): Promise<TaskWriteResult> {
    const draw = await this.completedDraw(taskId);
    return this.run(taskId, () => ({ command: { type: 'LockTaskList', data: { taskId, drawId, draw }, metadata: meta } }));
  }

  /** T4/P2: dispatch each locked target to its executing unit and publish the task notice, in one append. */
  async dispatch(meta: CommandMetadata, taskId: string): Promise<TaskWriteResult> {
    await this.deps.projections.catchUp();
    const noticeId = taskNoticeId(taskId);
    const departments = new Map(listDepartments(this.db).map((d) => [d.departmentId, d.name]));
    const itemNames = new Map(currentItems(this.db).map((i) => [i.itemId, i.name]));
    return this.run(taskId, (state, revision) => {
      const jurisdictions: Record<string, string | null> = {};
      if (state.exists) for (const t of state.locked?.targets ?? []) jurisdictions[t] = getTarget(this.db, t)?.jurisdiction ?? null;
      return {
        command: { type: 'DispatchTask', data: { taskId, noticeId, jurisdictions }, metadata: meta },
        noticeId,
        extra: (decided) => {
          const dispatched = decided.find((e) => e.type === 'TaskDispatched');
          if (!state.exists || !state.locked || !dispatched) return [];
          const assignments = (dispatched.payload as { assignments: { executingUnit: string; targets: string[] }[] }).assignments;
          const delegate = state.delegation?.accepted ? state.delegation.delegate : null;
          const notice = taskNotice(state.task, state.locked, assignments, delegate, { department: departments.get(state.task.departmentId) ?? state.task.departmentId, items: itemNames }, taskStreamId(taskId), revision);
          // 'noStream': one notice per task, whatever races (T4: exactly one task notice).
          return [{ streamId: noticeStreamId(noticeId), event: { type: 'NoticePublished', payload: notice } }];
        },
      };
    });
  }
}

export type TaskView = ReturnType<typeof taskView>;

/** What GET shows of a task: the record, its status, delegation, lock and dispatch. */
export function taskView(state: Extract<TaskState, { exists: true }>) {
  return {
    ...state.task,
    status: taskStatus(state),
    executingDepartment: executingDepartment(state),
    delegation: state.delegation,
    locked: state.locked && { drawId: state.locked.drawId, drawIds: state.locked.drawIds, targets: state.locked.targets },
    assignments: state.dispatched && [...state.dispatched],
  };
}
