/**
 * Inspector matching per visit (T6–T8, T10) as a use case. A matching draw is the lottery's
 * unchanged `inspectorGroups` kind over the visits' target USCCs; it is written in ONE append
 * with a `VisitMatchingCommitted` (and, the first time, `VisitFrozen`) on every visit's stream,
 * each with its expected revision, so two matchings racing for one visit cannot both commit.
 * Applying a completed draw derives each visit's group from the draw's record alone.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Database } from 'better-sqlite3';
import type { CommandMetadata } from '../../domain/decider.js';
import { drawDecider, drawSlotStreamId, findDraw, parseDrawId, type DrawCommand, type DrawSlotState } from '../../domain/draws/index.js';
import { SuijiError } from '../../domain/errors.js';
import {
  visitDecider, visitStreamId, type FrozenVisit, type PersonFact, type VisitCommand, type VisitReplacementReason, type VisitState,
} from '../../domain/visits/index.js';
import { queryExperts, queryInspectors } from '../../projections/registers/index.js';
import { getVisit } from '../../projections/visits/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, toNewEvents } from '../../store/handle-command.js';
import type { Event } from '../../domain/decider.js';
import type { EventStore, RecordedEvent, StreamWrite } from '../../store/port.js';
import { canonicalize } from '../../verify/index.js';
import type { DrawService } from '../draws/index.js';
import type { AssignVisitRequest, CommitMatchingRequest } from './requests.js';
import { shanghaiDate } from '../../domain/calendar/index.js';

export interface VisitServiceDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly draws: DrawService;
}

export interface VisitWriteResult {
  /** The matching or replacement draw written, else null. */
  readonly drawId: string | null;
  readonly visits: string[];
  /** Event types appended, in order; [] for a no-op. */
  readonly events: string[];
  readonly position: number | null;
  readonly replayed: boolean;
}

/** The slot prefix of matching draws: `match-<24 hex>` never has the form of a task number. */
export const MATCHING_PREFIX = 'match-';
const MAX_RETRIES = 3;

const hex = (value: unknown): string => bytesToHex(sha256(utf8ToBytes(canonicalize(value))));
const expectedOf = (recorded: readonly RecordedEvent[]): StreamWrite['expected'] => (recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision);
const retryable = (e: unknown, attempt: number): boolean => e instanceof SuijiError && e.code === 'WRONG_EXPECTED_REVISION' && attempt < MAX_RETRIES;
const orThrow = <T>(x: T | SuijiError): T => {
  if (x instanceof SuijiError) throw x;
  return x;
};
const notFound = (visitId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/visitId', kind: 'visit', visitId }, { zh: `未找到检查：${visitId}`, en: `visit not found: ${visitId}` });

/** The matching a draw's commitment records in `source.filter.matching` (what an auditor reads). */
export interface MatchingSource {
  readonly department: string;
  readonly visits: readonly { readonly visitId: string; readonly uscc: string }[];
}

export function matchingOf(filter: unknown): MatchingSource | null {
  if (typeof filter !== 'object' || filter === null || !('matching' in filter)) return null;
  const m = filter.matching as { department?: unknown; visits?: unknown };
  if (typeof m?.department !== 'string' || !Array.isArray(m.visits)) return null;
  const visits = m.visits.filter((v): v is { visitId: string; uscc: string } => typeof v?.visitId === 'string' && typeof v?.uscc === 'string');
  return visits.length === m.visits.length ? { department: m.department, visits } : null;
}

/**
 * The commitment's `targetsFrom` (spec §3.4: 64 hex, the list's origin): SHA-256 of the JCS of the
 * visit list `[{visitId, uscc}]` in draw order, so the targets are bound to the visits.
 */
export const matchingTargetsFrom = (visits: MatchingSource['visits']): string => hex(visits);

/** The draw slot of a matching: fixed by the department and the visit list (same list, same slot). */
export const matchingSlot = (m: MatchingSource): string => `${MATCHING_PREFIX}${hex({ department: m.department, visits: m.visits }).slice(0, 24)}`;

export class VisitService {
  constructor(private readonly deps: VisitServiceDeps) {}

  private get db(): Database {
    return this.deps.projections.db;
  }

  async state(visitId: string): Promise<{ state: VisitState; recorded: RecordedEvent[] }> {
    const recorded = await this.deps.store.readStream(visitStreamId(visitId));
    return { state: foldStream(visitDecider, recorded), recorded };
  }

  /** The visit's content: as frozen in its stream, else as the merge rule gives it now. */
  private content(visitId: string, state: VisitState): FrozenVisit {
    if (state.exists) return state.visit;
    const v = getVisit(this.db, visitId);
    if (!v) throw notFound(visitId);
    return { visitId: v.visitId, executingUnit: v.executingUnit, uscc: v.uscc, window: v.window, items: v.items, tasks: v.tasks, participants: v.participants };
  }

  /** A pending matching draw still decides the visit while it is open or completed and not yet applied. */
  private async unresolved(drawId: string | null | undefined): Promise<boolean> {
    if (!drawId) return false;
    const slot = parseDrawId(drawId);
    if (!slot) return false;
    const d = findDraw(await this.slotState(slot.task), drawId);
    return d !== undefined && d.status !== 'abandoned';
  }

  private async slotState(task: string): Promise<DrawSlotState> {
    return foldStream(drawDecider, await this.deps.store.readStream(drawSlotStreamId(task, 'inspectorGroups')));
  }

  private async replay(streamId: string, commandId: string, visits: string[]): Promise<VisitWriteResult | null> {
    const prior = (await this.deps.store.readStream(streamId)).filter((e) => e.correlationId === commandId);
    if (prior.length === 0) return null;
    const p = prior[0]!.payload as { drawId?: unknown };
    return { drawId: typeof p.drawId === 'string' ? p.drawId : null, visits, events: prior.map((e) => e.type), position: prior[0]!.position, replayed: true };
  }

  /** Writes decided events of several streams in one append; event ids continue across streams. */
  private async write(meta: CommandMetadata, parts: { streamId: string; recorded: readonly RecordedEvent[]; events: readonly Event[] }[], drawId: string | null, visits: string[]): Promise<VisitWriteResult> {
    const all = toNewEvents({ type: 'x', data: null, metadata: meta }, parts.flatMap((p) => p.events));
    let at = 0;
    const writes: StreamWrite[] = [];
    for (const p of parts) {
      if (p.events.length === 0) continue;
      writes.push({ streamId: p.streamId, events: all.slice(at, at + p.events.length), expected: expectedOf(p.recorded) });
      at += p.events.length;
    }
    if (writes.length === 0) return { drawId, visits, events: [], position: null, replayed: false };
    const appended = await this.deps.store.appendMulti(writes);
    return { drawId, visits, events: all.map((e) => e.type), position: appended[0]!.position - writes[0]!.events.length + 1, replayed: false };
  }

  /** T6: commit an inspector-group draw over the department's visits (explicit ids, each frozen from now on). */
  async commitMatching(meta: CommandMetadata, req: CommitMatchingRequest): Promise<VisitWriteResult> {
    await this.deps.projections.catchUp();
    const department = req.department ?? meta.actor.department;
    const ids = [...req.visits].sort();
    for (let attempt = 0; ; attempt++) {
      const loaded = await Promise.all(ids.map(async (id) => ({ id, ...(await this.state(id)) })));
      const contents = loaded.map((l) => this.content(l.id, l.state));
      const seen = new Map<string, string>();
      for (const c of contents) {
        const other = seen.get(c.uscc);
        if (other !== undefined) {
          throw new SuijiError('VALIDATION_FAILED', { field: '/visits', rule: 'T6', visits: [other, c.visitId] }, {
            zh: `T6：检查 ${other} 与 ${c.visitId} 是同一检查对象，须分两次匹配`,
            en: `T6: visits ${other} and ${c.visitId} have the same target; match them in separate draws`,
          });
        }
        seen.set(c.uscc, c.visitId);
      }
      const source: MatchingSource = { department, visits: contents.map((c) => ({ visitId: c.visitId, uscc: c.uscc })) };
      const task = matchingSlot(source);
      const slotId = drawSlotStreamId(task, 'inspectorGroups');
      const done = await this.replay(slotId, meta.commandId, ids);
      if (done) return done;
      const command = await this.deps.draws.inspectorGroupsCommand(
        meta,
        { task, inspectors: req.inspectors, ...(req.neighbours && { neighbours: req.neighbours }), groupSize: req.groupSize, maxLoad: req.maxLoad, ...(req.experts && { experts: req.experts }), entropy: req.entropy, revealDeadline: req.revealDeadline, ...(req.drandFallbackAfter !== undefined && { drandFallbackAfter: req.drandFallbackAfter }) },
        { targets: source.visits.map((v) => v.uscc), targetsFrom: matchingTargetsFrom(source.visits), from: { matching: source } },
      );
      // The visits' checks come first: a department matching another unit's visit learns nothing of the draw slot.
      for (const [i, l] of loaded.entries()) {
        orThrow(visitDecider.decide({ type: 'CommitMatching', data: { visit: contents[i]!, department, drawId: '', pendingUnresolved: false }, metadata: meta }, l.state));
      }
      const slotRecorded = await this.deps.store.readStream(slotId);
      const visitParts = [];
      const slotEvents = orThrow(drawDecider.decide(command, foldStream(drawDecider, slotRecorded)));
      const drawId = (slotEvents[0]?.payload as { drawId: string }).drawId;
      for (const [i, l] of loaded.entries()) {
        const c = l.state.exists ? l.state.contributions[department] : undefined;
        const vc: VisitCommand = { type: 'CommitMatching', data: { visit: contents[i]!, department, drawId, pendingUnresolved: await this.unresolved(c?.pending) }, metadata: meta };
        visitParts.push({ streamId: visitStreamId(l.id), recorded: l.recorded, events: orThrow(visitDecider.decide(vc, l.state)) });
      }
      try {
        return await this.write(meta, [{ streamId: slotId, recorded: slotRecorded, events: slotEvents }, ...visitParts], drawId, ids);
      } catch (e) {
        if (!retryable(e, attempt)) throw e;
      }
    }
  }

  /**
   * T6/T10: record in each visit of the matching its group as the latest completed draw of the
   * lineage has it (root or replacement), or that it was left unmatched (T8) or abandoned.
   * Idempotent: a visit whose recorded group already equals the draw's gets nothing.
   */
  async applyMatching(meta: CommandMetadata, drawId: string): Promise<VisitWriteResult> {
    const slot = parseDrawId(drawId);
    const invalid = (zh: string, en: string): SuijiError => new SuijiError('VALIDATION_FAILED', { field: '/drawId', rule: 'T6', drawId }, { zh: `T6：${zh}`, en: `T6: ${en}` });
    if (!slot || slot.purpose !== 'inspectorGroups' || !slot.task.startsWith(MATCHING_PREFIX)) throw invalid(`${drawId} 不是检查人员匹配摇号`, `${drawId} is not a matching draw`);
    const state = await this.slotState(slot.task);
    const root = state.draws.find((d) => d.commitment.kind === 'inspectorGroups' && d.status !== 'abandoned') ?? state.draws.find((d) => d.drawId === drawId);
    const source = root && root.commitment.kind === 'inspectorGroups' ? matchingOf(root.commitment.source.filter) : null;
    if (!root || !source) throw new SuijiError('NOT_FOUND', { field: '/drawId', kind: 'draw', drawId }, { zh: `未找到匹配摇号：${drawId}`, en: `matching draw not found: ${drawId}` });
    if (root.status === 'committed') throw invalid(`匹配摇号 ${root.drawId} 尚未完成`, `matching draw ${root.drawId} is not completed yet`);
    const latest = [...state.draws].reverse().find((d) => d.status === 'completed');
    const record = root.status === 'completed' && latest ? await this.deps.draws.exportRecord(latest.drawId) : null;
    const result = record && 'groups' in record.result ? record.result : null;
    const ids = source.visits.map((v) => v.visitId);
    for (let attempt = 0; ; attempt++) {
      const parts = [];
      for (const v of source.visits) {
        const { state: vs, recorded } = await this.state(v.visitId);
        const group = result?.groups.find((g) => g.target === v.uscc);
        const need = result?.unmatched.find((u) => u.target === v.uscc)?.need ?? 'inspectors';
        const outcome = root.status === 'abandoned' ? { need: 'abandoned' as const } : group ? { group: { pool: group.pool, leader: group.leader, members: group.members, experts: group.experts } } : { need };
        const vc: VisitCommand = { type: 'ApplyMatching', data: { department: source.department, matchingDraw: root.drawId, drawId: latest?.drawId ?? root.drawId, outcome }, metadata: meta };
        parts.push({ streamId: visitStreamId(v.visitId), recorded, events: orThrow(visitDecider.decide(vc, vs)) });
      }
      try {
        return await this.write(meta, parts, root.drawId, ids);
      } catch (e) {
        if (!retryable(e, attempt)) throw e;
      }
    }
  }

  /** T8/T7: a principal assigns the department's group (and experts) directly, with a reason. */
  async assign(meta: CommandMetadata, visitId: string, req: AssignVisitRequest): Promise<VisitWriteResult> {
    await this.deps.projections.catchUp();
    const department = req.department ?? meta.actor.department;
    const experts = req.experts ?? [];
    for (let attempt = 0; ; attempt++) {
      const { state, recorded } = await this.state(visitId);
      const done = await this.replay(visitStreamId(visitId), meta.commandId, [visitId]);
      if (done) return done;
      const visit = this.content(visitId, state);
      const day = shanghaiDate(Date.parse(meta.now));
      const inspectors = new Map(queryInspectors(this.db, { qualifiedOn: day }).map((p) => [p.inspectorId, p.conflicts]));
      const expertRows = new Map(queryExperts(this.db, {}).map((e) => [String(e.expertId), Array.isArray(e.conflicts) ? (e.conflicts as unknown[]) : []]));
      const fact = (known: Map<string, readonly unknown[]>) => (id: string): PersonFact => ({ id, qualified: known.has(id), conflicted: (known.get(id) ?? []).includes(visit.uscc) });
      const c = state.exists ? state.contributions[department] : undefined;
      const command: VisitCommand = {
        type: 'AssignDirectly',
        data: {
          visit, department, leader: req.leader, members: req.members, experts, reason: req.reason,
          facts: { inspectors: req.members.map(fact(inspectors)), experts: experts.map(fact(expertRows)) },
          pendingUnresolved: await this.unresolved(c?.pending),
        },
        metadata: meta,
      };
      const events = orThrow(visitDecider.decide(command, state));
      try {
        return await this.write(meta, [{ streamId: visitStreamId(visitId), recorded, events }], null, [visitId]);
      } catch (e) {
        if (!retryable(e, attempt)) throw e;
      }
    }
  }

  /** T10: an operator or principal of the group's department asks to replace a member, naming the reason. */
  async requestReplacement(meta: CommandMetadata, visitId: string, req: { member: string; reason: VisitReplacementReason }): Promise<VisitWriteResult> {
    for (let attempt = 0; ; attempt++) {
      const done = await this.replay(visitStreamId(visitId), meta.commandId, [visitId]);
      if (done) return done;
      const { state, recorded } = await this.state(visitId);
      if (!state.exists && !getVisit(this.db, visitId)) throw notFound(visitId);
      const events = orThrow(visitDecider.decide({ type: 'RequestReplacement', data: req, metadata: meta }, state));
      try {
        return await this.write(meta, [{ streamId: visitStreamId(visitId), recorded, events }], null, [visitId]);
      } catch (e) {
        if (!retryable(e, attempt)) throw e;
      }
    }
  }

  /**
   * T10: a principal of the group's department approves with their own token; the approval and the
   * replacement draw (spec §7.6, the approver recorded in its commitment) are one append. The
   * replacement reveals no entropy, so it is completed and applied at once.
   */
  async approveReplacement(meta: CommandMetadata, visitId: string, request: number): Promise<VisitWriteResult> {
    let written: VisitWriteResult | undefined;
    for (let attempt = 0; written === undefined; attempt++) {
      const { state, recorded } = await this.state(visitId);
      if (!state.exists) throw notFound(visitId);
      const r = state.requests.find((x) => x.request === request);
      const group = r ? state.contributions[r.department]?.group : undefined;
      // The visit decider refuses first (role, department, unknown request), whatever the draw's state.
      const probe = visitDecider.decide({ type: 'ApproveReplacement', data: { request, drawId: '' }, metadata: meta }, state);
      if (probe instanceof SuijiError) throw probe;
      if (r?.approvedBy !== null && r?.drawId) {
        written = (await this.replay(visitStreamId(visitId), meta.commandId, [visitId])) ?? { drawId: r.drawId, visits: [visitId], events: [], position: null, replayed: false };
        break;
      }
      if (!r || !group?.matchingDraw) throw new SuijiError('INTERNAL_ERROR', { reason: 'a replacement request without a drawn group' });
      const task = parseDrawId(group.matchingDraw)!.task;
      const slotId = drawSlotStreamId(task, 'inspectorGroups');
      const slotRecorded = await this.deps.store.readStream(slotId);
      const slotState = foldStream(drawDecider, slotRecorded);
      const parent = [...slotState.draws].reverse().find((d) => d.status === 'completed')?.drawId;
      const command: DrawCommand = {
        type: 'CommitReplacement',
        data: {
          task, purpose: 'inspectorGroups', ...(parent !== undefined && { parent }),
          source: { ledgerPosition: String((await this.deps.store.head()).size), filter: null },
          replacements: [{ target: state.visit.uscc, member: r.member, reason: r.reason }],
        },
        metadata: meta,
      };
      const slotEvents = orThrow(drawDecider.decide(command, slotState));
      const drawId = (slotEvents[0]?.payload as { drawId: string }).drawId;
      const visitEvents = orThrow(visitDecider.decide({ type: 'ApproveReplacement', data: { request, drawId }, metadata: meta }, state));
      try {
        written = await this.write(meta, [{ streamId: slotId, recorded: slotRecorded, events: slotEvents }, { streamId: visitStreamId(visitId), recorded, events: visitEvents }], drawId, [visitId]);
      } catch (e) {
        if (!retryable(e, attempt)) throw e;
      }
    }
    if (written.drawId) {
      // Their own command ids, derived: a retried approval completes and applies once.
      await this.deps.draws.complete({ ...meta, commandId: `${meta.commandId}:complete` }, written.drawId);
      const applied = await this.applyMatching({ ...meta, commandId: `${meta.commandId}:apply` }, written.drawId);
      return { ...written, events: [...written.events, ...applied.events] };
    }
    return written;
  }
}
