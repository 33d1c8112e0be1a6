/**
 * Tasks as a use case (T1–T4, PL6, P2): reads what the pure decider needs — the department's
 * inspected items and caps (as plans do), its plan in force, the organisation chart, the task's
 * completed target draw, the targets' jurisdictions — and writes its events. Creation allocates
 * the number from the per-department-day counter stream in the same atomic append as the task;
 * dispatch writes the dispatch and its task notice (抽查任务公告) in one atomic append.
 */
import type { Database } from 'better-sqlite3';
import type { CommandMetadata } from '../../domain/decider.js';
import { countedAtLock, defaultPl5Policy, drawCountStreamId, drawDecider, drawSlotStreamId, lineage, type DrawEntry, type LockCandidate, type Pl5Policy } from '../../domain/draws/index.js';
import { SuijiError } from '../../domain/errors.js';
import { noticeStreamId, taskNotice, taskNoticeId } from '../../domain/notices/index.js';
import { inForceVersion, planDecider, planStreamId } from '../../domain/plans/index.js';
import {
  executingDepartment, shanghaiDay, taskCounterStreamId, taskDecider, taskNumber, taskStatus, taskStreamId,
  type CompletedTargetDraw, type LockCount, type TaskCommand, type TaskContext, type TaskDraft, type TaskState,
} from '../../domain/tasks/index.js';
import { currentItems, departmentParents, getTarget, listDepartments } from '../../projections/registers/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, toNewEvents } from '../../store/handle-command.js';
import type { EventStore, RecordedEvent, StreamWrite } from '../../store/port.js';
import { factHolds } from '../draws/exemption-facts.js';
import { PlanService, type PlanConfig } from '../plans/index.js';

export interface TaskConfig extends PlanConfig {
  /** PL5 policy, as the draws' (A4): the complaint threshold decides whether a cited complaint fact still holds at the lock. */
  readonly pl5?: Pl5Policy;
}

export interface TaskServiceDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly config?: TaskConfig;
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

/** An event written to another stream in the same append: a notice (new stream), or a PL5 counter at the revision read. */
interface Extra {
  readonly streamId: string;
  readonly event: { readonly type: string; readonly payload: unknown };
  /** Default 'noStream'. */
  readonly expected?: number | 'noStream';
}

/** What a write builds from the task's state: the command, the writes to other streams decided with it. */
interface Built {
  readonly command: TaskCommand;
  readonly extra?: (decided: readonly { type: string; payload: unknown }[]) => Extra[];
  readonly noticeId?: string;
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
      // The number was taken between reading the counter and reading the task: a lost race like
      // a wrong expected revision, so read the counter again (seen on PostgreSQL, where the two
      // reads really wait and another creation commits in between).
      if (decided instanceof SuijiError && decided.code === 'ALREADY_EXISTS' && attempt < MAX_RETRIES) continue;
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
  private async run(
    taskId: string,
    build: (state: TaskState, revision: number) => Built | Promise<Built>,
  ): Promise<TaskWriteResult> {
    const streamId = taskStreamId(taskId);
    for (let attempt = 0; ; attempt++) {
      const { state, recorded } = await this.state(taskId);
      const { command, extra, noticeId } = await build(state, recorded.length);
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
        ...extras.map((x, i): StreamWrite => ({ streamId: x.streamId, events: [events[decided.length + i]!], expected: x.expected ?? 'noStream' })),
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

  /**
   * The task's completed target draw — a class sample (`targets`) or a batch order (`batchOrder`),
   * the one kind the task holds (T3, issue 9) — and its completed follow-ups, as the slot stands,
   * with each draw's own picks. Both slots are read: a lock reading only `targets` left every
   * batch-order task unlockable.
   */
  private async completedDraw(taskId: string): Promise<{ draw: CompletedTargetDraw; chain: { drawId: string; picked: string[]; counting: DrawEntry['counting'] }[] } | null> {
    let chain: DrawEntry[] = [];
    for (const purpose of ['targets', 'batchOrder'] as const) {
      if (chain.length === 0) chain = lineage(foldStream(drawDecider, await this.deps.store.readStream(drawSlotStreamId(taskId, purpose))));
    }
    const root = chain[0];
    if (!root) return null;
    const picks = chain.map((d) => ({
      drawId: d.drawId,
      counting: d.counting,
      picked: ((d.result as { classes?: readonly { picked?: readonly string[] }[] } | undefined)?.classes ?? []).flatMap((c) => c.picked ?? []),
    }));
    const seen = new Set(picks.flatMap((p) => p.picked));
    return { draw: { drawId: root.drawId, drawIds: chain.map((d) => d.drawId), targets: [...seen] }, chain: picks };
  }

  /** PL5: each candidate's random draws so far in its year — its counter stream's revision + 1, read now. */
  private async countsOf(candidates: readonly LockCandidate[]): Promise<LockCount[]> {
    const revisions = await Promise.all(candidates.map((c) => this.deps.store.streamRevision(drawCountStreamId(c.uscc, c.year))));
    return candidates.map((c, i) => ({ ...c, count: revisions[i]! + 1 }));
  }

  /**
   * T4/PL5 (issue 9): the task's principal confirms and locks the drawn list, citing the completed
   * draw. The lock counts the list: `TaskListLocked` and one `DrawCounted` per counted entity, on
   * its counter stream at the revision read, are ONE append — of two locks racing for an entity's
   * last place the store commits one; the other re-reads and records the entity as excluded.
   * Exemptions are re-judged against the register as it stands (lapsed ones count).
   */
  async lock(meta: CommandMetadata, taskId: string, drawId: string): Promise<TaskWriteResult> {
    // The exemption facts are read from the register: bring it up to the ledger head first.
    await this.deps.projections.catchUp();
    const complaintsAt = (this.deps.config?.pl5 ?? defaultPl5Policy).repeatedComplaintsAt;
    const found = await this.completedDraw(taskId);
    const candidates = found ? countedAtLock(found.chain, (id, f) => factHolds(this.db, complaintsAt, id, f)) : [];
    return this.run(taskId, async () => {
      // Re-read on every attempt: a lost race means another lock moved a counter.
      const counts = await this.countsOf(candidates);
      return {
        command: { type: 'LockTaskList', data: { taskId, drawId, draw: found?.draw ?? null, counts }, metadata: meta },
        extra: (decided) => {
          const locked = decided.find((e) => e.type === 'TaskListLocked');
          if (!locked) return [];
          const listed = new Set((locked.payload as { targets: string[] }).targets);
          return counts
            .filter((c) => listed.has(c.uscc))
            .map((c): Extra => ({
              streamId: drawCountStreamId(c.uscc, c.year),
              expected: c.count === 0 ? 'noStream' : c.count - 1,
              event: { type: 'DrawCounted', payload: { uscc: c.uscc, year: c.year, drawId: c.drawId, task: taskId, count: c.count + 1 } },
            }));
        },
      };
    });
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
    locked: state.locked && { drawId: state.locked.drawId, drawIds: state.locked.drawIds, targets: state.locked.targets, excluded: state.locked.excluded ?? [] },
    assignments: state.dispatched && [...state.dispatched],
  };
}
