/**
 * The draw application service: gathers what the pure decider needs (pools from the register
 * projections at a recorded ledger position, PL5 counts, the item's L2 cap, the clock) and
 * writes its decisions. Used by the HTTP routes and the CLI alike, so both act identically.
 */
import type { Database } from 'better-sqlite3';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError, ruleViolation } from '../../domain/errors.js';
import {
  DEFAULT_MIN_RANDOM_POOL, completedRoot, defaultPl5Policy, drawDecider, drawSlotStreamId, findDraw, mayAct,
  parseDrawId, planPl5, previewCompletion, recordOf, shanghaiYear,
  type CommitDraw, type DrawCommand, type DrawEntry, type DrawEvent, type DrawPurpose, type DrawSlotState, type ExemptionFact, type Pl5Exemption,
  type Pl5Policy, type RecordCeremonyValue, type RecordDrandBeacon, type RevealWitness,
} from '../../domain/draws/index.js';
import { directedOrderDecider, directedOrderStreamId } from '../../domain/directed-orders/index.js';
import { mayDrawFor, taskDecider, taskDrawClasses, taskOpenForDraws, taskStreamId, type TaskState } from '../../domain/tasks/index.js';
import { verifyDrawRecord, type DrawRecord, type VerifyResult } from '../../verify/index.js';
import { currentItems, expertPool, getTarget, poolOf, queryExperts, queryInspectors } from '../../projections/registers/index.js';
import { drawCountsOf } from '../../projections/draws/index.js';
import { listTasks } from '../../projections/tasks/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { deriveEventId } from '../../store/event-id.js';
import { foldStream, handleCommand, toNewEvents } from '../../store/handle-command.js';
import type { EventStore, NewEvent, RecordedEvent } from '../../store/port.js';
import type {
  AbandonRequest, CommitExpertsRequest, CommitInspectorGroupsRequest, CommitReplacementRequest, CommitTargetsRequest, RecordCeremonyRequest,
  DrawView, ExtendDrawRequest, RecordDrandRequest, ReplaceInDrawRequest, RevealWitnessRequest,
} from './requests.js';
import { exemptionFactsIn, type DirectedScope } from './exemption-facts.js';
import { claimedDrawId, internalVerdict, ledgerVerdict, type LedgerSide, type RecordVerdict } from './verdict.js';
import { abandonedRecord, drawView, type AbandonedDrawRecord } from './view.js';
import { shanghaiDate } from '../../domain/calendar/index.js';

export interface DrawConfig {
  /** PL5 cap and complaint threshold (A4). */
  readonly pl5?: Pl5Policy;
  /** L2 cap of a general item whose list entry states none, in basis points (A4). */
  readonly defaultMaxRatioBp?: number;
  /** G2/A4: the smallest class pool a general item may sample at random unless it is the whole register (default DEFAULT_MIN_RANDOM_POOL). */
  readonly minRandomPoolSize?: number;
}

export interface DrawServiceDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly config?: DrawConfig;
}

/** Bounded retries of a reveal or completion that lost a race on its slot (STYLE habit 4). */
const MAX_RETRIES = 3;

const notFound = (drawId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/drawId', kind: 'draw', drawId }, { zh: `未找到摇号：${drawId}`, en: `draw not found: ${drawId}` });

const invalid = (field: string, zh: string, en: string, rule?: string): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, ...(rule && { rule }) }, { zh: rule ? `${rule}：${zh}` : zh, en: rule ? `${rule}: ${en}` : en });

/** T10: the declared conflicts of an expert row (queryExperts returns plain records). */
const expertConflicts = (row: Record<string, unknown>): string[] =>
  Array.isArray(row.conflicts) ? row.conflicts.filter((u): u is string => typeof u === 'string') : [];

/** The draw id of the events a command (by its id, the events' correlation id) already recorded in a slot; null when none. */
function drawIdOfCommand(events: readonly RecordedEvent[], commandId: string): string | null {
  const prior = events.find((e) => e.correlationId === commandId);
  if (!prior) return null;
  const p: unknown = prior.payload;
  return typeof p === 'object' && p !== null && 'drawId' in p && typeof p.drawId === 'string' ? p.drawId : null;
}

/** T9: a qualification must be valid on the draw date, in China's calendar. */

export class DrawService {
  private readonly pl5: Pl5Policy;
  private readonly defaultMaxRatioBp: number | undefined;
  private readonly minRandomPoolSize: number;

  constructor(private readonly deps: DrawServiceDeps) {
    this.pl5 = deps.config?.pl5 ?? defaultPl5Policy;
    this.defaultMaxRatioBp = deps.config?.defaultMaxRatioBp;
    this.minRandomPoolSize = deps.config?.minRandomPoolSize ?? DEFAULT_MIN_RANDOM_POOL;
  }

  private get db(): Database {
    return this.deps.projections.db;
  }

  /** V2: the register state the pool is read from is pinned to a ledger position, recorded in the commitment. */
  private async pinnedPosition(): Promise<string> {
    await this.deps.projections.catchUp();
    return String(this.deps.projections.position);
  }

  private async slot(task: string, purpose: DrawPurpose): Promise<DrawSlotState> {
    return foldStream(drawDecider, await this.deps.store.readStream(drawSlotStreamId(task, purpose)));
  }

  /**
   * Runs a command on its slot. A command whose events are already in the slot (same command
   * id: a retried request with the same Idempotency-Key) is not decided again; its draw id is
   * returned, so a retry answers like the original.
   */
  private async run(command: DrawCommand, task: string, purpose: DrawPurpose): Promise<string> {
    const streamId = drawSlotStreamId(task, purpose);
    const done = await this.priorDrawId(streamId, command.metadata.commandId);
    if (done !== null) return done;
    let events: readonly DrawEvent[];
    try {
      ({ events } = await handleCommand(this.deps.store, { streamId, decider: drawDecider, command }));
    } catch (e) {
      // Another server (or request) with the same command id won the race: it refused us through
      // the store (IDEMPOTENCY_CONFLICT) or the decider (the draw is already open); answer its draw.
      const won = await this.priorDrawId(streamId, command.metadata.commandId);
      if (won !== null) return won;
      throw e;
    }
    const first = events[0];
    if (!first) throw new SuijiError('INTERNAL_ERROR', { reason: 'a draw command decided no events' });
    return first.payload.drawId;
  }

  private async priorDrawId(streamId: string, commandId: string): Promise<string | null> {
    return drawIdOfCommand(await this.deps.store.readStream(streamId), commandId);
  }

  /** T3/L2/PL5/G2: pools from the target register, class by class; over-cap entities excluded before the commitment. */
  async commitTargets(meta: CommandMetadata, req: CommitTargetsRequest): Promise<string> {
    // T1: a delegate draws for the task's department, the item's inspecting body.
    const drawingFor = await this.checkTargetTask(meta, req);
    const ledgerPosition = await this.pinnedPosition();
    // L1 (八): one unified list; a department draws the items it is the inspecting body (检查主体) of.
    const item = currentItems(this.db).find((i) => i.itemId === req.item && (i.inspectingBody === drawingFor || meta.actor.role === 'admin' || meta.actor.role === 'system'));
    if (!item) throw invalid('/item', `检查事项 ${req.item} 不在现行抽查事项清单上，或本部门不是其检查主体`, `item ${req.item} is not on the current item list with this department as its inspecting body`, 'G2');
    const batch = req.batchOrder === true;
    await this.oneKindOfTargetDraw(req.task, batch);
    await this.onePendingListPerItem(req.task, drawingFor, req.item);
    const maxRatioBp = item.maxRatioBp ?? this.defaultMaxRatioBp;
    const year = shanghaiYear(meta.now);
    // PL5 (十三): key items (八) are exactly the items for key fields (重要领域, no ratio cap), so
    // they are not counted; a directed special inspection is an approved order naming entities.
    const counted = item.category === 'general';
    const directed = req.directedOrder === undefined ? null : await this.approvedOrder(meta, req.directedOrder, ledgerPosition);
    const exempt: { id: string; reasons: Pl5Exemption[]; facts: ExemptionFact[] }[] = [];
    let whole: string[] | undefined;
    const wholeRegister: boolean[] = [];
    const classes = req.classes.map((c, i) => {
      if (!batch && c.quota === undefined) throw invalid(`/classes/${i}/quota`, '抽取须给出数量或比例', 'a sample needs a count or a ratio');
      const members = poolOf(this.db, c.filter);
      if (counted) {
        // G2/A4: only a general item's class pool is checked against the whole register.
        // A class without a filter is the whole register by definition: not read twice (issue 13, a province's 15,000,000 ids).
        whole ??= Object.keys(c.filter).length === 0 ? members : poolOf(this.db, {});
        wholeRegister.push(members === whole || (members.length === whole.length && members.every((m, j) => m === whole![j])));
      }
      let exclusions: { id: string; reason: string }[] = [];
      if (counted) {
        const facts = exemptionFactsIn(this.db, this.pl5.repeatedComplaintsAt, members, c.filter, directed);
        const counts = drawCountsOf(this.db, members, year);
        // Issue 13: only members with a fact or a count this year can be exempt or excluded; planning over
        // just them (in pool order) gives the same plan without a lookup per member of a 15,000,000 pool.
        const concerned = [...new Set([...facts.keys(), ...counts.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const plan = planPl5(concerned, (id) => facts.get(id) ?? [], counts, year, this.pl5.cap);
        exclusions = plan.exclusions;
        // One push per entry: a province's ~1,000,000 exempt members as `push(...)` arguments overflow the call stack (issue 13).
        for (const x of plan.exempt) exempt.push(x);
      }
      return { name: c.name, pool: { members, exclusions }, ...(!batch && c.quota && { quota: c.quota }) };
    });
    const command: CommitDraw = {
      type: 'CommitDraw',
      data: {
        task: req.task,
        input: { kind: batch ? 'batchOrder' : 'targets', classes, entropy: req.entropy },
        source: { ledgerPosition, filter: { item: req.item, batchOrder: batch, directedOrder: req.directedOrder ?? null, classes: req.classes.map((c) => ({ name: c.name, filter: c.filter })) } },
        revealDeadline: req.revealDeadline,
        ...(req.drandFallbackAfter !== undefined && { drandFallbackAfter: req.drandFallbackAfter }),
        limits: { item: item.itemId, category: item.category, ...(maxRatioBp !== undefined && { maxRatio: { numerator: maxRatioBp, denominator: 10000 } }) },
        counting: counted ? { year, cap: this.pl5.cap, exempt: exempt.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) } : null,
        poolPolicy: { minPoolSize: this.minRandomPoolSize, wholeRegister },
      },
      metadata: meta,
    };
    return this.run(command, req.task, command.data.input.kind);
  }

  /**
   * T2/T3 (issue 9): the task a draw serves — it exists and its window has not ended on the
   * commit date — read from the task's stream. The one place every draw entry point asks; an
   * entry point serving something else (e.g. a visit) sits beside it with its own check.
   */
  private async servedTask(meta: CommandMetadata, taskId: string): Promise<Extract<TaskState, { exists: true }>> {
    const state = taskOpenForDraws(foldStream(taskDecider, await this.deps.store.readStream(taskStreamId(taskId))), taskId, meta.now);
    if (state instanceof SuijiError) throw state;
    return state;
  }

  /** T1/T6: experts, inspector groups and replacements are drawn by the task's department, delegate or executing units. */
  private async checkOtherTask(meta: CommandMetadata, taskId: string): Promise<void> {
    const denied = mayDrawFor(await this.servedTask(meta, taskId), meta.actor);
    if (denied) throw denied;
  }

  /**
   * T1–T4: a target draw takes its department, item and classes from its task (a widened or
   * changed class is refused, naming the field). Returns the task's department, whose items the
   * draw may take (a delegate draws the items of the task's department).
   */
  private async checkTargetTask(meta: CommandMetadata, req: CommitTargetsRequest): Promise<string> {
    const state = await this.servedTask(meta, req.task);
    const checked = taskDrawClasses(state, meta.actor, req);
    if (checked instanceof SuijiError) throw checked;
    return state.task.departmentId;
  }

  /**
   * T3 (issue 9): a task holds one kind of target draw — a class sample or a batch order, never
   * both. A draw of the other kind that is open or completed blocks; an abandoned one does not
   * (abandoning is a public V3 act, and the same slot could be redrawn after it anyway).
   */
  private async oneKindOfTargetDraw(task: string, batch: boolean): Promise<void> {
    const other = batch ? 'targets' : 'batchOrder';
    const held = (await this.slot(task, other)).draws.find((d) => d.status !== 'abandoned');
    if (held) {
      throw ruleViolation('T3', `任务 ${task} 已有${batch ? '抽取对象' : '批次顺序'}摇号 ${held.drawId}：一个任务只有一种检查对象摇号`, `task ${task} already holds the ${other} draw ${held.drawId}: a task has one kind of target draw`, {
        field: '/batchOrder',
        drawId: held.drawId,
      });
    }
  }

  /**
   * V3/T4 (no re-roll through a second task): while another task of the same department holds a
   * target draw of the same item that is open, or completed with its list not locked, no new
   * target draw of that item is committed. Otherwise a department could draw one item under
   * several tasks at once (or one after another), lock the list it likes and leave the others
   * unlocked — never inspected, never counted (PL5 counts at the lock). One pending list per
   * department and item: the drawn list binds; lock it, and the next draw of the item may follow.
   * An abandoned draw does not block (abandoning is itself public and bounded by V3).
   */
  private async onePendingListPerItem(task: string, department: string, item: string): Promise<void> {
    for (let after: string | undefined; ; ) {
      const page = listTasks(this.db, { department, status: 'created', limit: 500, ...(after !== undefined && { after }) });
      for (const other of page) {
        if (other.taskId === task || !other.items.includes(item)) continue;
        for (const purpose of ['targets', 'batchOrder'] as const) {
          const pending = (await this.slot(other.taskId, purpose)).draws.find((d) => d.status !== 'abandoned');
          if (pending) {
            throw ruleViolation(
              'V3',
              `任务 ${other.taskId} 的事项 ${item} 检查对象摇号 ${pending.drawId} 尚未锁定名单：同一部门同一事项的名单须先锁定，才能再次抽取`,
              `task ${other.taskId} holds the target draw ${pending.drawId} of item ${item} whose list is not locked: one pending list per department and item — lock it before the item is drawn again`,
              { field: '/item', task: other.taskId, drawId: pending.drawId, status: pending.status },
            );
          }
        }
      }
      if (page.length < 500) return;
      after = page[page.length - 1]!.taskId;
    }
  }

  /**
   * PL5: a directed special order a draw may cite — recorded, approved by a principal, of the
   * committing department, and approved before the draw's pool position (so the approval is a
   * fact the commitment can cite). Returns the entities it names and the approval's position.
   */
  private async approvedOrder(meta: CommandMetadata, orderId: string, ledgerPosition: string): Promise<DirectedScope> {
    const recorded = await this.deps.store.readStream(directedOrderStreamId(orderId));
    const state = foldStream(directedOrderDecider, recorded);
    const approval = recorded.find((e) => e.type === 'DirectedOrderApproved');
    if (!state.exists) throw invalid('/directedOrder', `未找到专项整治/上级指令 ${orderId}`, `directed order ${orderId} not found`, 'PL5');
    const own = state.order.department === meta.actor.department || meta.actor.role === 'admin' || meta.actor.role === 'system';
    if (!own) throw invalid('/directedOrder', `指令 ${orderId} 不属于本部门`, `order ${orderId} belongs to another department`, 'PL5');
    if (!approval || state.approvedBy === null || approval.position >= Number(ledgerPosition)) {
      throw invalid('/directedOrder', `指令 ${orderId} 尚未经负责人审批`, `order ${orderId} has not been approved by a principal`, 'PL5');
    }
    return { orderId, scope: new Set(state.order.scope), position: String(approval.position) };
  }

  /** L5: experts drawn from the expert register. */
  async commitExperts(meta: CommandMetadata, req: CommitExpertsRequest): Promise<string> {
    await this.checkOtherTask(meta, req.task);
    const ledgerPosition = await this.pinnedPosition();
    const classes = req.classes.map((c, i) => {
      if (c.quota === undefined) throw invalid(`/classes/${i}/quota`, '抽取须给出数量或比例', 'a sample needs a count or a ratio');
      return { name: c.name, pool: { members: expertPool(this.db, c.filter) }, quota: c.quota };
    });
    const command: CommitDraw = {
      type: 'CommitDraw',
      data: {
        task: req.task,
        input: { kind: 'experts', classes, entropy: req.entropy },
        source: { ledgerPosition, filter: { classes: req.classes.map((c) => ({ name: c.name, filter: c.filter })) } },
        revealDeadline: req.revealDeadline,
        ...(req.drandFallbackAfter !== undefined && { drandFallbackAfter: req.drandFallbackAfter }),
        limits: null,
        counting: null,
      },
      metadata: meta,
    };
    return this.run(command, req.task, 'experts');
  }

  /** T7–T10: inspector groups for the targets of the task's completed target draw, in its draw order. */
  async commitInspectorGroups(meta: CommandMetadata, req: CommitInspectorGroupsRequest): Promise<string> {
    await this.checkOtherTask(meta, req.task);
    let source: DrawEntry | undefined;
    for (const purpose of ['targets', 'batchOrder'] as const) {
      const s = await this.slot(req.task, purpose);
      source ??= s.draws.find((d) => d.status === 'completed' && d.commitment.kind === purpose);
    }
    if (!source) throw invalid('/task', '任务尚无已完成的检查对象摇号', 'the task has no completed target draw', 'T2');
    const targets = [...(DrawService.mergedOf(source.result))];
    const command = await this.inspectorGroupsCommand(meta, req, { targets, targetsFrom: source.commitmentHash, from: { targetsFrom: source.drawId } });
    return this.run(command, req.task, 'inspectorGroups');
  }

  /**
   * T7–T10: the inspector-group commitment over `targets` (pools of inspectors qualified on the
   * commit date, neighbours, recusals from declared conflicts, experts), not yet decided. Shared by
   * the task's group draw above and the visits' matching draw (src/app/visits), which writes it
   * with its visit events in one append. `from` is recorded in the commitment's source filter.
   */
  async inspectorGroupsCommand(
    meta: CommandMetadata,
    req: CommitInspectorGroupsRequest,
    over: { readonly targets: readonly string[]; readonly targetsFrom: string; readonly from: Readonly<Record<string, unknown>> },
  ): Promise<CommitDraw> {
    const targets = [...over.targets];
    const ledgerPosition = await this.pinnedPosition();
    const qualifiedOn = shanghaiDate(Date.parse(meta.now));
    const local = queryInspectors(this.db, { ...req.inspectors, qualifiedOn });
    const localIds = new Set(local.map((p) => p.inspectorId));
    const neighbours = req.neighbours ? queryInspectors(this.db, { ...req.neighbours, qualifiedOn }).filter((p) => !localIds.has(p.inspectorId)) : [];
    const targetSet = new Set(targets);
    const experts = req.experts;
    const expertRows = experts ? queryExperts(this.db, experts.filter) : [];
    // T10 回避: a declared conflict with a target is a recusal, committed with the pools — for
    // inspectors and experts alike (the lottery applies a recusal to both walks, spec §7.5).
    const recusals = [
      ...[...local, ...neighbours].flatMap((p) => p.conflicts.filter((u) => targetSet.has(u)).map((target) => ({ target, member: p.inspectorId }))),
      ...expertRows.flatMap((e) => expertConflicts(e).filter((u) => targetSet.has(u)).map((target) => ({ target, member: String(e.expertId) }))),
    ];
    return {
      type: 'CommitDraw',
      data: {
        task: req.task,
        input: {
          kind: 'inspectorGroups',
          targets,
          targetsFrom: over.targetsFrom,
          inspectors: { members: local.map((p) => p.inspectorId) },
          ...(req.neighbours && { neighbours: { members: neighbours.map((p) => p.inspectorId) } }),
          recusals,
          groupSize: req.groupSize,
          maxLoad: req.maxLoad,
          ...(experts && { experts: { pool: { members: expertRows.map((e) => String(e.expertId)) }, perTarget: experts.perTarget, maxLoad: experts.maxLoad } }),
          entropy: req.entropy,
        },
        source: { ledgerPosition, filter: { ...over.from, qualifiedOn, inspectors: req.inspectors, neighbours: req.neighbours ?? null, experts: experts?.filter ?? null } },
        revealDeadline: req.revealDeadline,
        ...(req.drandFallbackAfter !== undefined && { drandFallbackAfter: req.drandFallbackAfter }),
        limits: null,
        counting: null,
      },
      metadata: meta,
    };
  }

  private static mergedOf(result: unknown): string[] {
    if (typeof result !== 'object' || result === null || !('merged' in result) || !Array.isArray(result.merged)) return [];
    return result.merged.filter((x): x is string => typeof x === 'string');
  }

  /** T10/E8: replacement by task and purpose (post change, work conflict, health; targets: their E8 register status); the committing principal is the approver. */
  async commitReplacement(meta: CommandMetadata, req: CommitReplacementRequest): Promise<string> {
    await this.checkOtherTask(meta, req.task);
    return this.replace(meta, req.task, req.purpose, req.replacements);
  }

  /**
   * T10/E8 (issue 8 §3): replacement in the draw `drawId`, which must be the latest completed
   * draw of its lineage. Signature for the CLI: `replaceInDraw(meta, drawId, { replacements })`.
   */
  async replaceInDraw(meta: CommandMetadata, drawId: string, req: ReplaceInDrawRequest): Promise<string> {
    const { task, purpose } = this.followUpSlot(drawId);
    return this.replace(meta, task, purpose, req.replacements, drawId);
  }

  /**
   * Spec §7.3 (issue 8 §3): extend the class draw `drawId` (the latest completed draw of its
   * lineage) by more picks per class, for a reason; the committing principal approves; L2 counts
   * the extension in the overall ratio and PL5 counts its picks when the task's list is locked.
   * Signature for the CLI: `commitExtension(meta, drawId, { additional: [{ class, count }], reason })`.
   */
  async commitExtension(meta: CommandMetadata, drawId: string, req: ExtendDrawRequest): Promise<string> {
    const { task, purpose } = this.followUpSlot(drawId);
    if (purpose !== 'targets' && purpose !== 'experts') {
      throw invalid('/drawId', '只有抽取对象或专家的摇号可以追加', 'only target and expert draws can be extended', 'L2');
    }
    const ledgerPosition = String((await this.deps.store.head()).size);
    const command: DrawCommand = {
      type: 'CommitExtension',
      data: { task, purpose, parent: drawId, source: { ledgerPosition, filter: null }, additional: req.additional, reason: req.reason },
      metadata: meta,
    };
    return this.run(command, task, purpose);
  }

  private followUpSlot(drawId: string): { task: string; purpose: 'targets' | 'experts' | 'inspectorGroups' } {
    const { task, purpose } = this.slotOfId(drawId);
    // L2: a batch order already ranks every member; there is nothing to extend or replace.
    if (purpose === 'batchOrder') throw invalid('/drawId', '批次顺序不能追加或更换', 'a batch order takes no extension or replacement', 'L2');
    return { task, purpose };
  }

  private async replace(meta: CommandMetadata, task: string, purpose: 'targets' | 'experts' | 'inspectorGroups', replacements: ReplaceInDrawRequest['replacements'], parent?: string): Promise<string> {
    if (purpose === 'targets') await this.checkRemoved(replacements);
    const ledgerPosition = String((await this.deps.store.head()).size);
    const command: DrawCommand = {
      type: 'CommitReplacement',
      data: { task, purpose, ...(parent !== undefined && { parent }), source: { ledgerPosition, filter: null }, replacements },
      metadata: meta,
    };
    return this.run(command, task, purpose);
  }

  /**
   * E8: a drawn target is replaced only when the target register already records it gone, with
   * the status given as the reason — an unwanted target cannot be swapped out on a claim alone.
   */
  private async checkRemoved(replacements: ReplaceInDrawRequest['replacements']): Promise<void> {
    await this.deps.projections.catchUp();
    replacements.forEach((r, i) => {
      const status = getTarget(this.db, r.member)?.status;
      if (status !== r.reason) {
        throw ruleViolation(
          'E8',
          `检查对象登记簿中 ${r.member} 的状态为 ${status ?? '无此对象'}，不是 ${r.reason}：须先登记其状态变更`,
          `the target register shows ${r.member} as ${status ?? 'unknown'}, not ${r.reason}: record the status change first`,
          { field: `/replacements/${i}/reason`, reason: 'STATUS_NOT_RECORDED', member: r.member, registerStatus: status ?? null },
        );
      }
    });
  }

  private slotOfId(drawId: string): { task: string; purpose: DrawPurpose } {
    const p = parseDrawId(drawId);
    if (!p) throw notFound(drawId);
    return p;
  }

  async revealWitness(meta: CommandMetadata, drawId: string, req: RevealWitnessRequest): Promise<void> {
    await this.reveal({ type: 'RevealWitness', data: { drawId, ...req }, metadata: meta });
  }

  async recordDrand(meta: CommandMetadata, drawId: string, req: RecordDrandRequest): Promise<void> {
    await this.reveal({ type: 'RecordDrandBeacon', data: { drawId, ...req }, metadata: meta });
  }

  async recordCeremony(meta: CommandMetadata, drawId: string, req: RecordCeremonyRequest): Promise<void> {
    await this.reveal({ type: 'RecordCeremonyValue', data: { drawId, ...req }, metadata: meta });
  }

  /**
   * V3 (issue 7 §1): a reveal that fixes the outcome completes the draw in the SAME atomic append
   * (reveal, DrawCompleted), so a determined draw never waits on anyone's goodwill and a crash
   * cannot leave it open. PL5 is counted later, at the task's lock (issue 9).
   */
  private async reveal(command: RevealWitness | RecordDrandBeacon | RecordCeremonyValue): Promise<void> {
    const { drawId } = command.data;
    const { task, purpose } = this.slotOfId(drawId);
    const streamId = drawSlotStreamId(task, purpose);
    // One read serves the idempotency check and the first attempt: at a province's scale the
    // slot stream is a ~300 MB DrawCommitted, each read a parse of it.
    let recorded = await this.deps.store.readStream(streamId);
    if (drawIdOfCommand(recorded, command.metadata.commandId) !== null) return;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) recorded = await this.deps.store.readStream(streamId);
      const state = foldStream(drawDecider, recorded);
      const decided = drawDecider.decide(command, state);
      if (decided instanceof SuijiError) throw decided;
      const after = decided.reduce(drawDecider.evolve, state);
      // Not determined yet: the reveal is recorded alone.
      const completion = this.completion(after, drawId, command.metadata, decided.length);
      const events = toNewEvents(command, decided);
      try {
        await this.deps.store.append(streamId, completion instanceof SuijiError ? events : [...events, ...completion.slotEvents], expectedOf(recorded));
        return;
      } catch (e) {
        if (!(e instanceof SuijiError) || e.code !== 'WRONG_EXPECTED_REVISION' || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  /** V3: abandoning is refused once the outcome is fixed (DRAW_DETERMINED). */
  async abandon(meta: CommandMetadata, drawId: string, req: AbandonRequest): Promise<void> {
    const command: DrawCommand = { type: 'AbandonDraw', data: { drawId, reason: req.reason }, metadata: meta };
    // Issue 7 §3: a role that may not abandon learns nothing, and nothing is read for it.
    const roleDenied = mayAct(command, null, 'draw.abandon');
    if (roleDenied) throw roleDenied;
    const { task, purpose } = this.slotOfId(drawId);
    await this.run(command, task, purpose);
  }

  /**
   * The events that complete the draw on top of `state`, event ids continuing after `offset`
   * events of the same command; the refusal when it is not determined.
   */
  private completion(state: DrawSlotState, drawId: string, meta: CommandMetadata, offset: number): { record: DrawRecord; slotEvents: NewEvent[] } | SuijiError {
    const preview = previewCompletion(state, drawId, meta.now);
    if (preview instanceof SuijiError) return preview;
    const command: DrawCommand = { type: 'CompleteDraw', data: { drawId }, metadata: meta };
    const decided = drawDecider.decide(command, state);
    if (decided instanceof SuijiError) return decided;
    // Derived ids: a retried command with the same id is idempotent (docs/store-port.md §3).
    const slotEvents = toNewEvents(command, decided).map((e, i) => ({ ...e, eventId: deriveEventId(meta.commandId, offset + i) }));
    return { record: preview.record, slotEvents };
  }

  /**
   * V1: completes a draw (PL5 is counted at the task's lock). Authorisation comes before the draw's state
   * (issue 7 §3): an auditor gets 403 whatever the draw's state. Completing a draw that is
   * already completed (e.g. by the reveal that fixed it) answers its record.
   */
  async complete(meta: CommandMetadata, drawId: string): Promise<DrawRecord> {
    const command: DrawCommand = { type: 'CompleteDraw', data: { drawId }, metadata: meta };
    const roleDenied = mayAct(command, null, 'draw.complete');
    if (roleDenied) throw roleDenied;
    const { task, purpose } = this.slotOfId(drawId);
    const streamId = drawSlotStreamId(task, purpose);
    // One read serves the idempotency check and the first attempt (as in reveal).
    let recorded = await this.deps.store.readStream(streamId);
    if (drawIdOfCommand(recorded, meta.commandId) === drawId) return this.exportRecord(drawId);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) recorded = await this.deps.store.readStream(streamId);
      const state = foldStream(drawDecider, recorded);
      const d = findDraw(state, drawId);
      const denied = mayAct(command, d ?? null, 'draw.complete');
      if (denied) throw denied;
      if (d?.status === 'completed') return this.exportRecord(drawId);
      const done = this.completion(state, drawId, meta, 0);
      if (done instanceof SuijiError) throw done;
      try {
        await this.deps.store.append(streamId, done.slotEvents, expectedOf(recorded));
        return done.record;
      } catch (e) {
        // The same command id completed meanwhile elsewhere (another server): answer that record.
        if ((await this.priorDrawId(streamId, meta.commandId)) === drawId) return this.exportRecord(drawId);
        if (!(e instanceof SuijiError) || e.code !== 'WRONG_EXPECTED_REVISION' || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  private async entry(drawId: string): Promise<{ state: DrawSlotState; draw: DrawEntry }> {
    const { task, purpose } = this.slotOfId(drawId);
    const state = await this.slot(task, purpose);
    const draw = findDraw(state, drawId);
    if (!draw) throw notFound(drawId);
    return { state, draw };
  }

  /**
   * The view; `now` decides overdue and determination (the route passes its clock). `detail`:
   * the full PL5 counting (staff); otherwise only exemption reasons that are public facts.
   */
  async get(drawId: string, { now = new Date().toISOString(), detail = false }: { readonly now?: string; readonly detail?: boolean } = {}): Promise<DrawView> {
    const { draw } = await this.entry(drawId);
    return drawView(draw, now, detail);
  }

  /** V4: the record of a completed draw (docs/lottery-spec.md §8), recomputed from the ledger and checked against it. */
  async exportRecord(drawId: string): Promise<DrawRecord> {
    const { state, draw } = await this.entry(drawId);
    const r = recordOf(state, draw);
    if (r instanceof SuijiError) throw r;
    return r;
  }

  /**
   * The public export: a completed draw's record, or for an abandoned draw (issue 7 §1)
   * everything revealed and the result it would have had, not taken. An open draw has none (404).
   */
  async publicExport(drawId: string): Promise<DrawRecord | AbandonedDrawRecord> {
    const { draw } = await this.entry(drawId);
    return draw.status === 'abandoned' ? abandonedRecord(draw) : this.exportRecord(drawId);
  }

  /** What the ledger holds for a draw id, for the verdict; null when it holds no such draw. */
  private async ledgerSide(drawId: string | null, { withExport = true }: { readonly withExport?: boolean } = {}): Promise<LedgerSide | null> {
    const slot = drawId === null ? null : parseDrawId(drawId);
    if (drawId === null || slot === null) return null;
    const recorded = await this.deps.store.readStream(drawSlotStreamId(slot.task, slot.purpose));
    const state = foldStream(drawDecider, recorded);
    const draw = findDraw(state, drawId);
    if (!draw) return null;
    // The draws the record rests on: a follow-up replays its completed lineage from the root.
    const root = draw.status === 'completed' ? completedRoot(state) : undefined;
    const ids = new Set(root && root.seq <= draw.seq ? state.draws.filter((d) => d.seq >= root.seq && d.seq <= draw.seq && d.status === 'completed').map((d) => d.drawId) : [drawId]);
    ids.add(drawId);
    const events = recorded.filter((e) => {
      const p: unknown = e.payload;
      return typeof p === 'object' && p !== null && 'drawId' in p && typeof p.drawId === 'string' && ids.has(p.drawId);
    });
    let exported: unknown = null;
    if (!withExport) exported = null;
    else if (draw.status === 'abandoned') exported = abandonedRecord(draw);
    else if (draw.status === 'completed') {
      const r = recordOf(state, draw);
      if (r instanceof SuijiError) throw r;
      exported = r;
    }
    return { drawId, status: draw.status, export: exported, events, head: await this.deps.store.head() };
  }

  /**
   * Issue 7 §2: the verdict on a record from anywhere (file, HTTP body): inconsistent (its own
   * first difference), foreign (consistent, but not what this ledger holds) or ledger.
   */
  async verifyRecord(record: unknown): Promise<RecordVerdict> {
    const internal = internalVerdict(record);
    if (!internal.consistent) return internal;
    return ledgerVerdict(record, internal, await this.ledgerSide(claimedDrawId(record)));
  }

  /**
   * Issue 11: the ledger positions a draw's public record rests on — its commitment, reveals and
   * completion or abandon, and for a follow-up its completed lineage from the root — for the
   * record's inclusion proofs. NOT_FOUND for an unknown or still open draw (it has no record).
   */
  async proofPositions(drawId: string): Promise<number[]> {
    // No record is rebuilt here (the caller has it): only which events it rests on.
    const side = await this.ledgerSide(drawId, { withExport: false });
    if (side === null || side.status === 'committed') await this.publicExport(drawId); // the same NOT_FOUND as the export
    return side === null ? [] : side.events.map((e) => e.position);
  }

  /** The verdict on a stored draw: its export, verified as an outsider would, and anchored in the ledger. */
  async verifyStored(drawId: string): Promise<RecordVerdict> {
    return this.verifyRecord(JSON.parse(JSON.stringify(await this.publicExport(drawId))) as unknown);
  }
}

const expectedOf = (recorded: readonly RecordedEvent[]): number | 'noStream' => (recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision);

/** The verdict from the record's own bytes only (no ledger): `unanchored` or `inconsistent` (V4, offline). */
export const verifyRecordOffline = (record: unknown): RecordVerdict => internalVerdict(record);
