/**
 * Results as use cases (E5, P2, E6, E7): read the visit's facts and whether its on-site record is
 * closed, decide on `result-<visitId>`, and write a result or correction notice in the SAME
 * append (P2: no approval without its notice, no notice without its approval). Deadlines are
 * computed when read, on the statutory calendar (src/domain/results/deadline.ts).
 */
import type { Database } from 'better-sqlite3';
import type { WorkingCalendar } from '../../domain/calendar/index.js';
import { shanghaiDate } from '../../domain/calendar/index.js';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { noticeStreamId } from '../../domain/notices/index.js';
import { evidenceStreamId } from '../../domain/evidence/index.js';
import {
  defaultResultCategories, defaultResultPeriods, objectionClock, publicationDeadline, resultDecider, resultNotice, resultStatus, resultStreamId, timeliness,
  type E8Outcome, type ResultCategory, type ResultCommand, type ResultEvent, type ResultPeriods, type ResultState, type VisitFacts,
} from '../../domain/results/index.js';
import { currentItems, getTarget, listDepartments } from '../../projections/registers/index.js';
import { getVisit, listVisits, type VisitView } from '../../projections/visits/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { foldStream, toNewEvents } from '../../store/handle-command.js';
import type { EventStore, RecordedEvent, StreamWrite } from '../../store/port.js';
import type { ResultView, ResultsWriteResult } from './view.js';
import { toResultView } from './view.js';
import { activeInspectors } from '../../projections/registers/index.js';

/** The issue-10 record module's closing event, looked up by name in `inspection-<visitId>`. */
export const RECORD_CLOSED = 'InspectionRecordClosed';
export const inspectionStreamId = (visitId: string): string => `inspection-${visitId}`;

export interface ResultsConfig {
  /** A4: the category catalogue (default: the national platforms' set). */
  readonly categories?: readonly ResultCategory[];
  /** A4: the statutory periods in working days (default E5 20, E7 20 and 15). */
  readonly periods?: ResultPeriods;
  /** Tests fix the day; default the system clock. */
  readonly clock?: () => Date;
}

export interface ResultsDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly calendar: WorkingCalendar;
}

/** Who files an objection on the public site: no token, so the process records it (channel 'public'). */
export const publicFiler = { userId: 'public-site', role: 'system', department: 'system' } as const;

const MAX_RETRIES = 3;
const notFound = (visitId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/visitId', kind: 'visit', visitId }, { zh: `未找到检查：${visitId}`, en: `visit not found: ${visitId}` });

export class ResultService {
  /** G3/E1: a leader who left the post (no longer an active inspector) submits nothing more, until a T10 replacement. */
  private actingLeader(leader: string | null): string | null {
    return leader !== null && activeInspectors(this.db, [leader]).has(leader) ? leader : null;
  }

  readonly categories: readonly ResultCategory[];
  readonly periods: ResultPeriods;
  private readonly clock: () => Date;

  constructor(private readonly deps: ResultsDeps, config: ResultsConfig = {}) {
    this.categories = config.categories ?? defaultResultCategories;
    this.periods = config.periods ?? defaultResultPeriods;
    this.clock = config.clock ?? (() => new Date());
  }

  private get db(): Database {
    return this.deps.projections.db;
  }

  today(): string {
    return shanghaiDate(this.clock().getTime());
  }

  /** The metadata with this service's clock: the day a step happens is the day E5/E7 measure. */
  private timed(meta: CommandMetadata): CommandMetadata {
    return { ...meta, now: this.clock().toISOString() };
  }

  private async visit(visitId: string): Promise<{ facts: VisitFacts; view: VisitView }> {
    await this.deps.projections.catchUp();
    const view = getVisit(this.db, visitId);
    if (!view) throw notFound(visitId);
    return { view, facts: { visitId, uscc: view.uscc, executingUnit: view.executingUnit, items: view.items, leader: this.actingLeader(view.group?.leader ?? null) } };
  }

  async state(visitId: string): Promise<{ state: ResultState; recorded: RecordedEvent[] }> {
    const recorded = await this.deps.store.readStream(resultStreamId(visitId));
    return { state: foldStream(resultDecider, recorded), recorded };
  }

  private async recordClosed(visitId: string): Promise<boolean> {
    return (await this.deps.store.readStream(inspectionStreamId(visitId))).some((e) => e.type === RECORD_CLOSED);
  }

  async submit(meta: CommandMetadata, visitId: string, results: ResultCommandData<'SubmitResults'>['results']): Promise<ResultsWriteResult> {
    const recordClosed = await this.recordClosed(visitId);
    return this.run(meta, visitId, (visit) => ({ type: 'SubmitResults', data: { visit, recordClosed, catalogue: this.categories, results } }));
  }

  /** E8: not inspected; stands in for the submission and needs no on-site record. */
  async recordOutcome(meta: CommandMetadata, visitId: string, body: { outcome: E8Outcome; basis: string; evidence?: string }): Promise<ResultsWriteResult> {
    const evidenceExists = body.evidence !== undefined && (await this.deps.store.readStream(evidenceStreamId(body.evidence))).length > 0;
    return this.run(meta, visitId, (visit) => ({ type: 'RecordOutcome', data: { visit, catalogue: this.categories, ...body, evidenceExists } }));
  }

  async review(meta: CommandMetadata, visitId: string, body: Omit<ResultCommandData<'ReviewResults'>, 'visit'>): Promise<ResultsWriteResult> {
    return this.run(meta, visitId, (visit) => ({ type: 'ReviewResults', data: { visit, ...body } }));
  }

  async correct(meta: CommandMetadata, visitId: string, body: Omit<ResultCommandData<'CorrectResults'>, 'visit' | 'catalogue'>): Promise<ResultsWriteResult> {
    return this.run(meta, visitId, (visit) => ({ type: 'CorrectResults', data: { visit, catalogue: this.categories, ...body } }));
  }

  async receiveObjection(meta: CommandMetadata, visitId: string, body: Omit<ResultCommandData<'ReceiveObjection'>, 'visit'>): Promise<ResultsWriteResult> {
    return this.run(meta, visitId, (visit) => ({ type: 'ReceiveObjection', data: { visit, ...body } }));
  }

  async decideObjection(meta: CommandMetadata, visitId: string, body: Omit<ResultCommandData<'DecideObjection'>, 'visit'>): Promise<ResultsWriteResult> {
    return this.run(meta, visitId, (visit) => ({ type: 'DecideObjection', data: { visit, ...body } }));
  }

  async giveFeedback(meta: CommandMetadata, visitId: string, body: Omit<ResultCommandData<'GiveObjectionFeedback'>, 'visit'>): Promise<ResultsWriteResult> {
    return this.run(meta, visitId, (visit) => ({ type: 'GiveObjectionFeedback', data: { visit, ...body } }));
  }

  /** A visit's results with deadlines, status, corrections and objections (staff view). */
  async view(visitId: string): Promise<ResultView> {
    const { view } = await this.visit(visitId);
    const { state } = await this.state(visitId);
    return this.toView(view, state);
  }

  private toView(view: VisitView, state: ResultState): ResultView {
    const today = this.today();
    const deadline = publicationDeadline(view.tasks, this.deps.calendar, this.periods);
    return toResultView(view, state, {
      deadline,
      status: resultStatus(state),
      ...timeliness(state, deadline, today),
      objections: state.exists ? state.objections.map((o) => objectionClock(o, this.deps.calendar, this.periods, today)) : [],
    });
  }

  /**
   * Visits of a unit (or all) with their results' status, in visit-id order. Filters apply
   * within each page of visits read, so a page may hold fewer than `limit`; `next` continues.
   */
  async list(q: { unit?: string; status?: string; overdue?: boolean; after?: string; limit: number }): Promise<{ items: ResultView[]; next: string | null }> {
    await this.deps.projections.catchUp();
    const visits = listVisits(this.db, { ...(q.unit !== undefined && { unit: q.unit }), ...(q.after !== undefined && { after: q.after }), limit: q.limit });
    const items: ResultView[] = [];
    for (const v of visits) {
      const r = this.toView(v, (await this.state(v.visitId)).state);
      if (q.status !== undefined && r.status !== q.status) continue;
      if (q.overdue !== undefined && (r.overdue || r.late) !== q.overdue) continue;
      items.push(r);
    }
    return { items, next: visits.length === q.limit ? visits[visits.length - 1]!.visitId : null };
  }

  /** Decide on the result stream; a publishing event brings its notice into the same append. */
  private async run(meta: CommandMetadata, visitId: string, build: (visit: VisitFacts) => Omit<ResultCommand, 'metadata'>): Promise<ResultsWriteResult> {
    const streamId = resultStreamId(visitId);
    const { facts, view } = await this.visit(visitId);
    const command = { ...build(facts), metadata: this.timed(meta) } as ResultCommand;
    for (let attempt = 0; ; attempt++) {
      const { state, recorded } = await this.state(visitId);
      const prior = recorded.filter((e) => e.correlationId === meta.commandId);
      if (prior.length > 0) return this.answer(visitId, prior.map((e) => e.type), prior[0]!.position, true, prior);
      const decided = resultDecider.decide(command, state);
      if (decided instanceof SuijiError) throw decided;
      if (decided.length === 0) return { visitId, streamId, events: [], position: null, noticeId: null, replayed: false };
      const base = recorded.length === 0 ? 0 : recorded[recorded.length - 1]!.revision + 1;
      const notices = decided.flatMap((e, i) => this.noticeOf(e, view, state, streamId, base + i));
      const events = toNewEvents(command, [...decided, ...notices.map((n) => n.event)]);
      const writes: StreamWrite[] = [
        { streamId, events: events.slice(0, decided.length), expected: recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision },
        // 'noStream': one notice per approval or correction, whatever races.
        ...notices.map((n, i): StreamWrite => ({ streamId: n.streamId, events: [events[decided.length + i]!], expected: 'noStream' })),
      ];
      try {
        const [appended] = await this.deps.store.appendMulti(writes);
        return { visitId, streamId, events: writes.flatMap((w) => w.events.map((e) => e.type)), position: appended!.position, noticeId: notices[0]?.noticeId ?? null, replayed: appended!.replayed === true };
      } catch (e) {
        if (!(e instanceof SuijiError) || e.code !== 'WRONG_EXPECTED_REVISION' || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  private answer(visitId: string, events: string[], position: number, replayed: boolean, prior: RecordedEvent[]): ResultsWriteResult {
    const p = prior[0]!.payload as { noticeId?: unknown };
    return { visitId, streamId: resultStreamId(visitId), events, position, noticeId: typeof p.noticeId === 'string' ? p.noticeId : null, replayed };
  }

  private noticeOf(e: ResultEvent, view: VisitView, state: ResultState, streamId: string, revision: number): { streamId: string; noticeId: string; event: { type: 'NoticePublished'; payload: ReturnType<typeof resultNotice> } }[] {
    if (!state.exists) return [];
    const names = () => ({
      department: listDepartments(this.db).find((d) => d.departmentId === view.executingUnit)?.name ?? view.executingUnit,
      target: getTarget(this.db, view.uscc)?.name ?? view.uscc,
      items: new Map(currentItems(this.db).map((i) => [i.itemId, i.name])),
    });
    const common = { visitId: view.visitId, taskIds: view.tasks.map((t) => t.taskId), departmentId: view.executingUnit, uscc: view.uscc };
    if (e.type === 'ResultsApproved' && e.payload.noticeId !== null) {
      const n = resultNotice({ ...common, noticeId: e.payload.noticeId, results: state.results, on: e.payload.on, subject: { streamId, revision, eventType: e.type } }, names());
      return [{ streamId: noticeStreamId(n.noticeId), noticeId: n.noticeId, event: { type: 'NoticePublished', payload: n } }];
    }
    if (e.type === 'ResultCorrected' && e.payload.noticeId !== null && e.payload.corrects.noticeId !== null) {
      const p = e.payload;
      const n = resultNotice({ ...common, noticeId: p.noticeId!, results: p.results, on: p.on, correction: { number: p.correction, corrects: p.corrects.noticeId!, reason: p.reason }, subject: { streamId, revision, eventType: e.type } }, names());
      return [{ streamId: noticeStreamId(n.noticeId), noticeId: n.noticeId, event: { type: 'NoticePublished', payload: n } }];
    }
    return [];
  }
}

type ResultCommandData<T extends ResultCommand['type']> = Extract<ResultCommand, { type: T }>['data'];
