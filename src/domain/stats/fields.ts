/**
 * P3/A1: the only payload fields the statistics fold reads, per event type — and so the only ones
 * the public statistics export (`<dir>/stats/events.jsonl`) carries. Anything not listed here never
 * leaves the ledger through the export: no risk or credit class, no target lists (USCCs), no
 * personal contacts or statements, no witness secrets, no result content, no exemption reasons.
 *
 * A rule is `copy` (the value as recorded), `present` (true when the value is not null: the
 * exemption exists, its reason stays out) or a reducer to the parts the fold reads. Every reducer
 * is idempotent (reducing an exported value again gives it back), so the fold reads the full
 * event and its exported form alike — tests/domain/stats/fields.test.ts checks exactly that.
 */

type Rule = 'copy' | 'present' | ((value: unknown) => unknown);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** An array reduced to its length; a number (already reduced) stays. */
export const countOf = (v: unknown): number => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : 0);
const pick = (keys: readonly string[]) => (v: unknown) => list(v).map((x) => Object.fromEntries(keys.filter((k) => k in obj(x)).map((k) => [k, obj(x)[k]])));

export const STATS_FIELDS: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  // L1 item list: which items each department inspects (coverage by plans).
  ItemListVersionPublished: { departmentId: 'copy', version: 'copy', items: pick(['itemId', 'inspectingBody']) },
  // PL1–PL3 plans: the version in force, its items and estimated counts.
  PlanDraftSaved: { departmentId: 'copy', year: 'copy', version: 'copy', items: pick(['itemId', 'estimatedCount']) },
  PlanVersionFiled: { departmentId: 'copy', year: 'copy', version: 'copy', coveredItems: 'copy' },
  PlanVersionAcknowledged: { departmentId: 'copy', year: 'copy', version: 'copy' },
  PlanVersionReturned: { departmentId: 'copy', year: 'copy', version: 'copy' },
  // L3–L5 registers: size by department; maintenance counted by the envelope's actor department.
  TargetRegistered: { jurisdiction: 'copy' },
  TargetTransferred: { fromDepartment: 'copy', toDepartment: 'copy' },
  TargetUpdated: {},
  TargetStatusChanged: {},
  TargetAdmittedToSpecialRegister: {},
  TargetRemovedFromSpecialRegister: {},
  InspectorRegistered: { department: 'copy' },
  InspectorUpdated: {},
  InspectorStatusChanged: {},
  ExpertRegistered: { department: 'copy' },
  ExpertUpdated: {},
  ExpertStatusChanged: {},
  // T1–T4 tasks: owner, year, window; dispatch as a count per executing unit (never the USCCs).
  TaskCreated: { taskId: 'copy', departmentId: 'copy', year: 'copy', adHoc: 'copy', window: 'copy' },
  TaskDispatched: {
    taskId: 'copy',
    assignments: (v) => list(v).map((a) => ({ executingUnit: obj(a)['executingUnit'], targets: countOf(obj(a)['targets']) })),
  },
  // V1/V3 draws: owner and purpose; never pools, secrets or results.
  DrawCommitted: { drawId: 'copy', department: 'copy', purpose: 'copy' },
  DrawCompleted: { drawId: 'copy' },
  DrawAbandoned: { drawId: 'copy' },
  // T6–T8 matching.
  VisitFrozen: { visitId: 'copy', executingUnit: 'copy', tasks: pick(['taskId', 'window']) },
  VisitMatched: { visitId: 'copy', department: 'copy' },
  VisitAssigned: { visitId: 'copy', department: 'copy' },
  VisitLeftUnmatched: { visitId: 'copy', department: 'copy' },
  // E8: a moved target's visit goes to the receiving unit, which then owes its result.
  VisitTransferAccepted: { visitId: 'copy', toUnit: 'copy' },
  // E5–E7 results: dates and counts only.
  ResultsSubmitted: { visitId: 'copy' },
  VisitOutcomeRecorded: { visitId: 'copy' },
  ResultsApproved: { visitId: 'copy', on: 'copy', exemption: 'present' },
  ResultCorrected: { visitId: 'copy', correction: 'copy', on: 'copy' },
  ObjectionReceived: { visitId: 'copy', objection: 'copy', receivedOn: 'copy' },
  ObjectionDecided: { visitId: 'copy', objection: 'copy', on: 'copy' },
  ObjectionFeedbackGiven: { visitId: 'copy', objection: 'copy', on: 'copy' },
  // E9 follow-ups.
  FollowUpOpened: { followUpId: 'copy', executingUnit: 'copy', on: 'copy' },
  FollowUpClosed: { followUpId: 'copy', on: 'copy' },
  // G2 non-random inspections: counted apart, targets as a count.
  NonRandomInspectionRecorded: { department: 'copy', kind: 'copy', targets: countOf },
};

export const statsEventTypes: ReadonlySet<string> = new Set(Object.keys(STATS_FIELDS));

/** The payload reduced to the STATS_FIELDS of its type; null for a type the fold does not read. */
export function statsPayload(type: string, payload: unknown): Record<string, unknown> | null {
  const rules = STATS_FIELDS[type];
  if (!rules) return null;
  const p = obj(payload);
  const out: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(rules)) {
    if (!(field in p)) continue;
    const v = p[field];
    out[field] = rule === 'copy' ? v : rule === 'present' ? v !== null && v !== undefined && v !== false : rule(v);
  }
  return out;
}

/** What the fold reads of one recorded event; one line of `stats/events.jsonl`. */
export interface StatsEvent {
  readonly position: number;
  /** The ledger leaf hash (hex): anyone can check the line against a signed checkpoint. */
  readonly hash: string;
  readonly type: string;
  readonly recordedAt: string;
  /** The envelope's actor department (who maintained a register entry). */
  readonly department: string;
  readonly payload: unknown;
}

/** A recorded event as the export carries it, or null when the fold does not read its type. */
export function toStatsEvent(e: { position: number; hash: string; type: string; recordedAt: string; actor: { department: string }; payload: unknown }): StatsEvent | null {
  const payload = statsPayload(e.type, e.payload);
  return payload === null ? null : { position: e.position, hash: e.hash, type: e.type, recordedAt: e.recordedAt, department: e.actor.department, payload };
}

/**
 * Ids that can name a business (a visit id embeds the target's USCC, a follow-up id the visit's,
 * a matching draw's id the visit's) are replaced in the export by the position of the event that
 * first named them: `visit@812`. Figures never show ids, so the fold's numbers are unchanged, and
 * the position still points into the ledger for anyone who holds the full record.
 */
const pseudonymous = { visitId: 'visit', followUpId: 'followUp', drawId: 'draw' } as const;

export class StatsPseudonyms {
  private readonly names = new Map<string, string>();

  apply(e: StatsEvent): StatsEvent {
    const p = e.payload as Record<string, unknown>;
    let out: Record<string, unknown> | null = null;
    for (const [field, kind] of Object.entries(pseudonymous)) {
      const v = p[field];
      if (typeof v !== 'string') continue;
      const key = `${kind}:${v}`;
      let name = this.names.get(key);
      if (name === undefined) this.names.set(key, (name = `${kind}@${e.position}`));
      (out ??= { ...p })[field] = name;
    }
    return out === null ? e : { ...e, payload: out };
  }
}
