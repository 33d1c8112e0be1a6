/**
 * Annual plans as a use case (PL1–PL4, P2): reads what the pure decider needs (the
 * organisation chart, the unified item list, the configured caps) from the read models at one
 * position, runs the command, and writes its events. Filing writes the filing and its public
 * notice (抽查计划公示) in one atomic append. Shared by the HTTP routes and anything else that
 * acts on plans, so all act identically.
 */
import type { Database } from 'better-sqlite3';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { noticeStreamId, planNotice, planNoticeId } from '../../domain/notices/index.js';
import {
  planDecider, planStreamId, type InspectedItem, type PlanCommand, type PlanContext, type PlanDraft, type PlanVersionKey,
} from '../../domain/plans/index.js';
import { currentItems, departmentParents, listDepartments } from '../../projections/registers/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, handleCommand, toNewEvents } from '../../store/handle-command.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';

export interface PlanConfig {
  /** L2/A4: the cap of a general item whose list entry states none, in basis points (as the draws' defaultMaxRatioBp). */
  readonly defaultMaxRatioBp?: number;
}

export interface PlanServiceDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly config?: PlanConfig;
}

export interface PlanWriteResult {
  readonly streamId: string;
  readonly version: number;
  /** Event types appended, in order; [] for a no-op. */
  readonly events: string[];
  /** Ledger position of the last event appended; null for a no-op. */
  readonly position: number | null;
  /** true when an Idempotency-Key matched a command already recorded: nothing new was written. */
  readonly replayed: boolean;
  /** The notice published by a filing (P2), else null. */
  readonly noticeId: string | null;
}

/** Bounded retries of a filing that lost a race on its plan stream (STYLE habit 4). */
const MAX_RETRIES = 3;

/** The stricter of two list entries of one item: a general (capped) one over a key one, then the lower cap. */
function stricter(a: InspectedItem, b: InspectedItem): InspectedItem {
  if (a.category !== b.category) return a.category === 'general' ? a : b;
  // A general entry without a configured cap is kept, so the L2 check names the problem.
  if (a.maxRatio === null || b.maxRatio === null) return a.maxRatio === null ? a : b;
  return b.maxRatio.numerator < a.maxRatio.numerator ? b : a;
}

const expectedOf = (recorded: readonly RecordedEvent[]): number | 'noStream' => (recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision);

export class PlanService {
  constructor(private readonly deps: PlanServiceDeps) {}

  private get db(): Database {
    return this.deps.projections.db;
  }

  /**
   * The department's place in the chart and the items it inspects (L1 检查主体) across every
   * current item list, read at one projections position. An item listed twice for the same
   * inspecting body keeps the stricter cap.
   */
  async context(departmentId: string): Promise<{ context: PlanContext; departmentName: string }> {
    await this.deps.projections.catchUp();
    const parents = departmentParents(this.db);
    if (!parents.has(departmentId)) {
      throw new SuijiError('NOT_FOUND', { field: '/departmentId', kind: 'department', id: departmentId }, { zh: `未找到部门：${departmentId}`, en: `department not found: ${departmentId}` });
    }
    const departmentName = listDepartments(this.db).find((d) => d.departmentId === departmentId)?.name ?? departmentId;
    const all = currentItems(this.db);
    const items = new Map<string, InspectedItem>();
    for (const i of all) {
      if (i.inspectingBody !== departmentId) continue;
      const bp = i.category === 'key' ? undefined : (i.maxRatioBp ?? this.deps.config?.defaultMaxRatioBp);
      const next: InspectedItem = { itemId: i.itemId, name: i.name, category: i.category, maxRatio: bp === undefined ? null : { numerator: bp, denominator: 10000 } };
      const prev = items.get(i.itemId);
      items.set(i.itemId, prev ? stricter(prev, next) : next);
    }
    const lists = new Map<string, number>();
    for (const i of all) lists.set(i.departmentId, i.listVersion);
    return {
      departmentName,
      context: {
        parentDepartment: parents.get(departmentId) ?? null,
        items: [...items.values()].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0)),
        listBasis: [...lists.entries()].map(([d, version]) => ({ departmentId: d, version })),
      },
    };
  }

  /** A command already recorded under this command id (a retried Idempotency-Key) answers as it did. */
  private replayOf(streamId: string, recorded: readonly RecordedEvent[], commandId: string, version: number): PlanWriteResult | null {
    const prior = recorded.filter((e) => e.correlationId === commandId);
    const last = prior[prior.length - 1];
    if (!last) return null;
    const p = last.payload as { version?: unknown; departmentId?: unknown; year?: unknown };
    const v = typeof p.version === 'number' ? p.version : version;
    const filed = prior.some((e) => e.type === 'PlanVersionFiled');
    return {
      streamId,
      version: v,
      // A filing's notice is in its own stream, written in the same append.
      events: filed ? ['PlanVersionFiled', 'NoticePublished'] : prior.map((e) => e.type),
      position: last.position,
      replayed: true,
      noticeId: filed && typeof p.departmentId === 'string' && typeof p.year === 'number' ? planNoticeId(p.departmentId, p.year, v) : null,
    };
  }

  private async runOnPlan(command: PlanCommand, departmentId: string, year: number, version: number): Promise<PlanWriteResult> {
    const streamId = planStreamId(departmentId, year);
    const replay = async (): Promise<PlanWriteResult | null> => this.replayOf(streamId, await this.deps.store.readStream(streamId), command.metadata.commandId, version);
    const before = await replay();
    if (before) return before;
    let handled: Awaited<ReturnType<typeof handleCommand>>;
    try {
      handled = await handleCommand(this.deps.store, { streamId, decider: planDecider, command });
    } catch (e) {
      const won = await replay();
      if (won) return won;
      throw e;
    }
    const first = handled.events[0]?.payload as { version?: number } | undefined;
    return {
      streamId,
      version: first?.version ?? version,
      events: handled.events.map((e) => e.type),
      position: handled.appended?.position ?? null,
      replayed: handled.appended?.replayed === true,
      noticeId: null,
    };
  }

  /** PL1/PL3/PL4/L2: save the draft (the next version when none is open); refusals write nothing. */
  async saveDraft(meta: CommandMetadata, draft: PlanDraft): Promise<PlanWriteResult> {
    const { context } = await this.context(draft.departmentId);
    return this.runOnPlan({ type: 'SavePlanDraft', data: { draft, context }, metadata: meta }, draft.departmentId, draft.year, 0);
  }

  /**
   * PL1/PL2/P2: file the draft with the parent (the root with nobody) and publish it, both in
   * one atomic append: the filing in the plan's stream, the notice in its own.
   */
  async file(meta: CommandMetadata, key: PlanVersionKey): Promise<PlanWriteResult> {
    const { context, departmentName } = await this.context(key.departmentId);
    const command: PlanCommand = { type: 'FilePlan', data: { ...key, context }, metadata: meta };
    const streamId = planStreamId(key.departmentId, key.year);
    for (let attempt = 0; ; attempt++) {
      const recorded = await this.deps.store.readStream(streamId);
      const done = this.replayOf(streamId, recorded, meta.commandId, key.version);
      if (done) return done;
      const state = foldStream(planDecider, recorded);
      const decided = planDecider.decide(command, state);
      if (decided instanceof SuijiError) throw decided;
      const filed = decided[0];
      if (!filed || filed.type !== 'PlanVersionFiled') throw new SuijiError('INTERNAL_ERROR', { reason: 'filing decided no filing event' });
      const items = state.versions.find((v) => v.version === key.version)?.items ?? [];
      const notice = planNotice(filed.payload, items, context.items, departmentName, streamId, state.revision);
      const [filedEvent, noticeEvent] = toNewEvents(command, [filed, { type: 'NoticePublished', payload: notice }]);
      try {
        const [appended] = await this.deps.store.appendMulti([
          { streamId, events: [filedEvent!], expected: expectedOf(recorded) },
          { streamId: noticeStreamId(notice.noticeId), events: [noticeEvent!], expected: 'noStream' },
        ]);
        // The position of the filing (the notice follows it in the same append), as a replay answers.
        return { streamId, version: key.version, events: ['PlanVersionFiled', 'NoticePublished'], position: appended!.position, replayed: appended!.replayed === true, noticeId: notice.noticeId };
      } catch (e) {
        const won = this.replayOf(streamId, await this.deps.store.readStream(streamId), meta.commandId, key.version);
        if (won) return won;
        if (!(e instanceof SuijiError) || e.code !== 'WRONG_EXPECTED_REVISION' || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  /** PL1: the parent's principal acknowledges the filing. */
  acknowledge(meta: CommandMetadata, key: PlanVersionKey): Promise<PlanWriteResult> {
    return this.runOnPlan({ type: 'AcknowledgePlan', data: key, metadata: meta }, key.departmentId, key.year, key.version);
  }

  /** PL1: the parent's principal returns the filing with a reason; the department drafts the next version. */
  returnFiling(meta: CommandMetadata, key: PlanVersionKey, reason: string): Promise<PlanWriteResult> {
    return this.runOnPlan({ type: 'ReturnPlan', data: { ...key, reason }, metadata: meta }, key.departmentId, key.year, key.version);
  }
}
