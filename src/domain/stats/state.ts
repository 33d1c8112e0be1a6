/**
 * P3/A1: the statistics fold. Pure: it reads events and writes entities into a key-value state
 * it is given (a Map in memory, a SQLite table in the projection), one entity per thing counted —
 * so applying one event touches a few entities, never the whole state. Figures are computed from
 * the entities at read time (./figures.ts), because lateness needs the calendar and today.
 * Every entity records the ledger positions that made it, so each figure can list them.
 */
import { shanghaiDate } from '../calendar/index.js';
import { countOf, type StatsEvent } from './fields.js';
import { appendPosition, type PositionRanges } from './positions.js';

export type Day = string;
export interface At {
  readonly day: Day;
  readonly position: number;
}

export interface ItemListEntity { readonly kind: 'itemList'; readonly departmentId: string; readonly versions: readonly (At & { readonly items: readonly { itemId: string; inspectingBody: string }[] })[] }
export interface PlanVersionEntity { readonly version: number; readonly items: readonly { itemId: string; estimatedCount: number }[]; readonly draftPosition: number; readonly status: 'draft' | 'filed' | 'returned'; readonly filed: At | null; readonly coveredItems: readonly string[] }
export interface PlanEntity { readonly kind: 'plan'; readonly departmentId: string; readonly year: number; readonly versions: readonly PlanVersionEntity[] }
/**
 * A department's register events of one day, in buckets of BUCKET positions: entries added (+1),
 * removed (−1, a transfer out) and changed (maintenance, size unchanged). Bucketed so that a
 * register of 60,000 entries is a few hundred rows, each rewritten at bounded cost.
 */
export interface RegisterEntity {
  readonly kind: 'register'; readonly register: 'targets' | 'inspectors' | 'experts'; readonly department: string; readonly day: Day;
  readonly added: PositionRanges; readonly removed: PositionRanges; readonly changed: PositionRanges;
}
export const BUCKET = 1_000;
export interface TaskEntity {
  readonly kind: 'task'; readonly taskId: string; readonly departmentId: string; readonly year: number; readonly adHoc: boolean; readonly windowTo: Day; readonly created: number;
  readonly dispatched: (At & { readonly assignments: readonly { executingUnit: string; targets: number }[] }) | null;
}
export interface DrawEntity { readonly kind: 'draw'; readonly drawId: string; readonly department: string; readonly purpose: string; readonly committed: number; readonly end: (At & { readonly outcome: 'completed' | 'abandoned' }) | null }
export interface GroupEntity { readonly kind: 'group'; readonly visitId: string; readonly department: string; readonly via: 'draw' | 'direct' | 'unmatched'; readonly day: Day; readonly position: number }
export interface ObjectionEntity { readonly objection: number; readonly receivedOn: Day; readonly received: number; readonly decided: At | null; readonly feedback: At | null }
export interface VisitEntity {
  /** `executingUnit` owes the result (after an E8 transfer, the receiving unit); `dispatchedTo` is the unit the task sent it to. */
  readonly kind: 'visit'; readonly visitId: string; readonly executingUnit: string; readonly dispatchedTo: string; readonly tasks: readonly { taskId: string; windowTo: Day }[]; readonly frozen: number;
  /** E5/A2: the first entry (results or an E8 outcome), by its recording day. */
  readonly entered: At | null;
  readonly approved: (At & { readonly exempt: boolean }) | null;
  readonly corrections: readonly At[];
  readonly objections: readonly ObjectionEntity[];
}
export interface FollowUpEntity { readonly kind: 'followUp'; readonly followUpId: string; readonly executingUnit: string; readonly opened: At; readonly closed: At | null }
export interface NonRandomEntity { readonly kind: 'nonRandom'; readonly department: string; readonly inspectionKind: string; readonly targets: number; readonly day: Day; readonly position: number }

export type StatsEntity = ItemListEntity | PlanEntity | RegisterEntity | TaskEntity | DrawEntity | GroupEntity | VisitEntity | FollowUpEntity | NonRandomEntity;

/** The state the fold writes to; a Map satisfies it. */
export interface StatsState {
  get(key: string): StatsEntity | undefined;
  set(key: string, value: StatsEntity): void;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const HOUR_MS = 3_600_000;
let lastHour = Number.NaN;
let lastDay: Day = '';
/** An event's day in China (Asia/Shanghai), from its recording instant. */
export const recordedDay = (e: Pick<StatsEvent, 'recordedAt'>): Day => {
  // Asia/Shanghai is UTC+8 all year (no DST), so a whole UTC hour lies in one Shanghai day: one
  // formatted date per hour, not per event (3% of a 1,000,000-event rebuild; docs/performance.md).
  const ms = Date.parse(e.recordedAt);
  const hour = Math.floor(ms / HOUR_MS);
  if (hour !== lastHour) {
    lastHour = hour;
    lastDay = shanghaiDate(ms);
  }
  return lastDay;
};

function get<K extends StatsEntity['kind']>(s: StatsState, key: string, kind: K): Extract<StatsEntity, { kind: K }> | undefined {
  const v = s.get(key);
  return v && v.kind === kind ? (v as Extract<StatsEntity, { kind: K }>) : undefined;
}

const registerEvents: Readonly<Record<string, 'targets' | 'inspectors' | 'experts'>> = {
  TargetRegistered: 'targets', TargetTransferred: 'targets', TargetUpdated: 'targets', TargetStatusChanged: 'targets', TargetAdmittedToSpecialRegister: 'targets', TargetRemovedFromSpecialRegister: 'targets',
  InspectorRegistered: 'inspectors', InspectorUpdated: 'inspectors', InspectorStatusChanged: 'inspectors',
  ExpertRegistered: 'experts', ExpertUpdated: 'experts', ExpertStatusChanged: 'experts',
};

/** Applies one event; ignores types it does not read. Deterministic, no clock, no I/O. */
export function evolveStats(s: StatsState, e: StatsEvent): void {
  const p = rec(e.payload);
  const at: At = { day: recordedDay(e), position: e.position };
  const register = registerEvents[e.type];
  if (register) {
    const put = (department: string, delta: number): void => {
      const key = `register:${register}:${department}:${at.day}:${Math.floor(e.position / BUCKET)}`;
      const r = get(s, key, 'register') ?? { kind: 'register' as const, register, department, day: at.day, added: [], removed: [], changed: [] };
      const field = delta > 0 ? 'added' : delta < 0 ? 'removed' : 'changed';
      s.set(key, { ...r, [field]: appendPosition(r[field], e.position) });
    };
    if (e.type === 'TargetRegistered') put(str(p['jurisdiction']), 1);
    else if (e.type === 'InspectorRegistered' || e.type === 'ExpertRegistered') put(str(p['department']), 1);
    else if (e.type === 'TargetTransferred') {
      put(str(p['fromDepartment']), -1);
      put(str(p['toDepartment']), 1);
    } else put(e.department, 0);
    return;
  }
  switch (e.type) {
    case 'ItemListVersionPublished': {
      const key = `itemList:${str(p['departmentId'])}`;
      const prev = get(s, key, 'itemList');
      const items = arr(p['items']).map((i) => ({ itemId: str(rec(i)['itemId']), inspectingBody: str(rec(i)['inspectingBody']) }));
      s.set(key, { kind: 'itemList', departmentId: str(p['departmentId']), versions: [...(prev?.versions ?? []), { ...at, items }] });
      return;
    }
    case 'PlanDraftSaved':
    case 'PlanVersionFiled':
    case 'PlanVersionReturned': {
      const departmentId = str(p['departmentId']);
      const year = num(p['year']);
      const key = `plan:${departmentId}:${year}`;
      const prev = get(s, key, 'plan') ?? { kind: 'plan' as const, departmentId, year, versions: [] };
      const version = num(p['version']);
      let versions = prev.versions;
      if (e.type === 'PlanDraftSaved') {
        const items = arr(p['items']).map((i) => ({ itemId: str(rec(i)['itemId']), estimatedCount: num(rec(i)['estimatedCount']) }));
        versions = [...versions.filter((v) => v.version !== version), { version, items, draftPosition: e.position, status: 'draft', filed: null, coveredItems: [] }];
      } else if (e.type === 'PlanVersionFiled') {
        versions = versions.map((v) => (v.version === version ? { ...v, status: 'filed', filed: at, coveredItems: arr(p['coveredItems']).map(str) } : v));
      } else {
        versions = versions.map((v) => (v.version === version ? { ...v, status: 'returned' } : v));
      }
      s.set(key, { ...prev, versions });
      return;
    }
    case 'TaskCreated': {
      const taskId = str(p['taskId']);
      s.set(`task:${taskId}`, {
        kind: 'task', taskId, departmentId: str(p['departmentId']), year: num(p['year']), adHoc: p['adHoc'] === true, windowTo: str(rec(p['window'])['to']), created: e.position, dispatched: null,
      });
      return;
    }
    case 'TaskDispatched': {
      const key = `task:${str(p['taskId'])}`;
      const t = get(s, key, 'task');
      if (!t) return;
      const assignments = arr(p['assignments']).map((a) => ({ executingUnit: str(rec(a)['executingUnit']), targets: countOf(rec(a)['targets']) }));
      s.set(key, { ...t, dispatched: { ...at, assignments } });
      return;
    }
    case 'DrawCommitted': {
      const drawId = str(p['drawId']);
      s.set(`draw:${drawId}`, { kind: 'draw', drawId, department: str(p['department']), purpose: str(p['purpose']), committed: e.position, end: null });
      return;
    }
    case 'DrawCompleted':
    case 'DrawAbandoned': {
      const key = `draw:${str(p['drawId'])}`;
      const d = get(s, key, 'draw');
      if (d && !d.end) s.set(key, { ...d, end: { ...at, outcome: e.type === 'DrawCompleted' ? 'completed' : 'abandoned' } });
      return;
    }
    case 'VisitMatched':
    case 'VisitAssigned':
    case 'VisitLeftUnmatched': {
      // T8: the first group each department formed for the visit (a T10 replacement re-matches, it is no new group).
      const key = `group:${str(p['visitId'])}:${str(p['department'])}`;
      const prev = get(s, key, 'group');
      if (prev && prev.via !== 'unmatched') return;
      const via = e.type === 'VisitMatched' ? 'draw' : e.type === 'VisitAssigned' ? 'direct' : 'unmatched';
      if (prev && via === 'unmatched') return;
      s.set(key, { kind: 'group', visitId: str(p['visitId']), department: str(p['department']), via, day: at.day, position: e.position });
      return;
    }
    case 'VisitFrozen': {
      const visitId = str(p['visitId']);
      const tasks = arr(p['tasks']).map((t) => ({ taskId: str(rec(t)['taskId']), windowTo: str(rec(rec(t)['window'])['to']) }));
      s.set(`visit:${visitId}`, { kind: 'visit', visitId, executingUnit: str(p['executingUnit']), dispatchedTo: str(p['executingUnit']), tasks, frozen: e.position, entered: null, approved: null, corrections: [], objections: [] });
      return;
    }
    case 'VisitTransferAccepted':
    case 'ResultsSubmitted':
    case 'VisitOutcomeRecorded':
    case 'ResultsApproved':
    case 'ResultCorrected':
    case 'ObjectionReceived':
    case 'ObjectionDecided':
    case 'ObjectionFeedbackGiven': {
      const key = `visit:${str(p['visitId'])}`;
      const v = get(s, key, 'visit');
      if (v) s.set(key, evolveVisit(v, e.type, p, at));
      return;
    }
    case 'FollowUpOpened': {
      const followUpId = str(p['followUpId']);
      s.set(`followUp:${followUpId}`, { kind: 'followUp', followUpId, executingUnit: str(p['executingUnit']), opened: { day: str(p['on']), position: e.position }, closed: null });
      return;
    }
    case 'FollowUpClosed': {
      const key = `followUp:${str(p['followUpId'])}`;
      const f = get(s, key, 'followUp');
      if (f && !f.closed) s.set(key, { ...f, closed: { day: str(p['on']), position: e.position } });
      return;
    }
    case 'NonRandomInspectionRecorded': {
      // Keyed by position: the inspection's id stays out of the public export (G2 records are internal).
      s.set(`nonRandom:${e.position}`, {
        kind: 'nonRandom', department: str(p['department']), inspectionKind: str(p['kind']), targets: countOf(p['targets']), day: at.day, position: e.position,
      });
      return;
    }
    default:
      return;
  }
}

function evolveVisit(v: VisitEntity, type: string, p: Record<string, unknown>, at: At): VisitEntity {
  const objection = (n: number, change: Partial<ObjectionEntity>): VisitEntity => ({ ...v, objections: v.objections.map((o) => (o.objection === n ? { ...o, ...change } : o)) });
  switch (type) {
    case 'VisitTransferAccepted':
      return { ...v, executingUnit: str(p['toUnit']) };
    case 'ResultsSubmitted':
    case 'VisitOutcomeRecorded':
      // A2: the first entry is what counts for "entered on time"; a resubmission after a return does not move it.
      return v.entered ? v : { ...v, entered: at };
    case 'ResultsApproved':
      return { ...v, approved: { day: str(p['on']), position: at.position, exempt: Boolean(p['exemption']) } };
    case 'ResultCorrected':
      return { ...v, corrections: [...v.corrections, { day: str(p['on']), position: at.position }] };
    case 'ObjectionReceived':
      return { ...v, objections: [...v.objections, { objection: num(p['objection']), receivedOn: str(p['receivedOn']), received: at.position, decided: null, feedback: null }] };
    case 'ObjectionDecided':
      return objection(num(p['objection']), { decided: { day: str(p['on']), position: at.position } });
    case 'ObjectionFeedbackGiven':
      return objection(num(p['objection']), { feedback: { day: str(p['on']), position: at.position } });
    default:
      return v;
  }
}

/** Folds events into a fresh in-memory state. */
export function foldStats(events: Iterable<StatsEvent>): Map<string, StatsEntity> {
  const s = new Map<string, StatsEntity>();
  for (const e of events) evolveStats(s, e);
  return s;
}
