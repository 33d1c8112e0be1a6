/**
 * A visit's results (`result-<visitId>`, E5, P2, E6, E7): submitted by the group leader once the
 * on-site record is closed, reviewed by a principal of the executing unit, published (or
 * exempted from disclosure) on approval; then corrections and objections. Nothing is changed in
 * place (E6): a correction is an event of its own that names what it corrects.
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { dateSchema, idSchema, longTextSchema, reasonSchema, textSchema, usccSchema } from '../registers/schemas.js';

const visitId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const userId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const noticeId = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** One item's result for the target, with the labels as the catalogue gave them then (A4). */
export const resultEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'category', 'categoryLabel', 'kind'],
  properties: {
    itemId: idSchema,
    category: idSchema,
    categoryLabel: textSchema,
    kind: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'label', 'detail'],
          properties: { code: idSchema, label: textSchema, detail: { anyOf: [{ type: 'null' }, textSchema] } },
        },
      ],
    },
  },
} as const;
const entries = { type: 'array', minItems: 1, maxItems: 50, items: resultEntrySchema } as const;

export const ResultsSubmitted = defineEvent('ResultsSubmitted', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'uscc', 'executingUnit', 'round', 'results', 'submittedBy'],
  properties: { visitId, uscc: usccSchema, executingUnit: idSchema, round: { type: 'integer', minimum: 1 }, results: entries, submittedBy: userId },
} as const);

/**
 * E8: the target could not be inspected — unreachable at its registered address, deregistered,
 * revoked or its licence revoked before the deadline. Recorded by the leader with its basis (and
 * optionally an evidence file's SHA-256), it stands in for ResultsSubmitted: the visit needs no
 * on-site record, counts as completed, and goes through review and publication like any result
 * (P2), each item in the category the national platforms publish for that outcome.
 */
export const e8Outcomes = ['unreachable', 'deregistered', 'revoked', 'licenceRevoked'] as const;
export type E8Outcome = (typeof e8Outcomes)[number];
/** The catalogue entry each outcome publishes as (无法联系 is 发现问题待后续处理 of that kind on the platforms). */
export const e8OutcomeCategory: Readonly<Record<E8Outcome, { category: string; kind?: string }>> = {
  unreachable: { category: 'problemFound', kind: 'unreachableAtAddress' },
  deregistered: { category: 'deregistered' },
  revoked: { category: 'registrationRevoked' },
  licenceRevoked: { category: 'licenceRevoked' },
};
const sha256Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
export const VisitOutcomeRecorded = defineEvent('VisitOutcomeRecorded', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'uscc', 'executingUnit', 'round', 'outcome', 'basis', 'evidence', 'results', 'recordedBy'],
  properties: {
    visitId, uscc: usccSchema, executingUnit: idSchema, round: { type: 'integer', minimum: 1 },
    outcome: { enum: e8Outcomes }, basis: reasonSchema, evidence: { anyOf: [{ type: 'null' }, sha256Schema] }, results: entries, recordedBy: userId,
  },
} as const);

export const ResultsReturned = defineEvent('ResultsReturned', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'round', 'reason', 'returnedBy'],
  properties: { visitId, round: { type: 'integer', minimum: 1 }, reason: reasonSchema, returnedBy: userId },
} as const);

/** Approval; published in the same append (noticeId) unless legally exempt from disclosure (不予公开). */
export const ResultsApproved = defineEvent('ResultsApproved', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'round', 'approvedBy', 'on', 'exemption', 'noticeId'],
  properties: {
    visitId,
    round: { type: 'integer', minimum: 1 },
    approvedBy: userId,
    /** The approval's day in China (Asia/Shanghai): the publication day E5 measures. */
    on: dateSchema,
    exemption: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['reason', 'basis'], properties: { reason: reasonSchema, basis: reasonSchema } }] },
    noticeId: { anyOf: [{ type: 'null' }, noticeId] },
  },
} as const);

/** E6: a correction of the approved result; the original stays as it was. */
export const ResultCorrected = defineEvent('ResultCorrected', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'correction', 'corrects', 'objection', 'reason', 'results', 'correctedBy', 'on', 'noticeId'],
  properties: {
    visitId,
    correction: { type: 'integer', minimum: 1 },
    /** The notice of the published result it corrects (null when the result was exempt, so never published). */
    corrects: { type: 'object', additionalProperties: false, required: ['noticeId', 'round'], properties: { noticeId: { anyOf: [{ type: 'null' }, noticeId] }, round: { type: 'integer', minimum: 1 } } },
    /** E7: the objection whose re-check found the result wrong, if any. */
    objection: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 1 }] },
    reason: reasonSchema,
    results: entries,
    correctedBy: userId,
    on: dateSchema,
    noticeId: { anyOf: [{ type: 'null' }, noticeId] },
  },
} as const);

export const objectionChannels = ['staff', 'public'] as const;
export const ObjectionReceived = defineEvent('ObjectionReceived', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'objection', 'channel', 'uscc', 'contact', 'statement', 'receivedOn', 'receivedBy'],
  properties: {
    visitId,
    objection: { type: 'integer', minimum: 1 },
    channel: { enum: objectionChannels },
    uscc: usccSchema,
    contact: textSchema,
    statement: longTextSchema,
    /** E7: the clock starts here. */
    receivedOn: dateSchema,
    /** The staff member who recorded it; null when the business filed it on the public site. */
    receivedBy: { anyOf: [{ type: 'null' }, userId] },
  },
} as const);

export const objectionOutcomes = ['resultStands', 'resultWrong'] as const;
export const ObjectionDecided = defineEvent('ObjectionDecided', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'objection', 'outcome', 'reason', 'decidedBy', 'on'],
  properties: { visitId, objection: { type: 'integer', minimum: 1 }, outcome: { enum: objectionOutcomes }, reason: reasonSchema, decidedBy: userId, on: dateSchema },
} as const);

export const ObjectionFeedbackGiven = defineEvent('ObjectionFeedbackGiven', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'objection', 'feedback', 'givenBy', 'on'],
  properties: { visitId, objection: { type: 'integer', minimum: 1 }, feedback: longTextSchema, givenBy: userId, on: dateSchema },
} as const);

export const resultEventDefinitions = [ResultsSubmitted, VisitOutcomeRecorded, ResultsReturned, ResultsApproved, ResultCorrected, ObjectionReceived, ObjectionDecided, ObjectionFeedbackGiven] as const;
export type ResultEvent = DomainEvent<(typeof resultEventDefinitions)[number]>;
export type ResultEntry = PayloadOf<typeof ResultsSubmitted>['results'][number];
export type ObjectionOutcome = (typeof objectionOutcomes)[number];
export type ObjectionChannel = (typeof objectionChannels)[number];

export const resultStreamId = (visitId: string): string => `result-${visitId}`;
export const resultNoticeId = (visitId: string): string => `resultNotice-${visitId}`;
export const correctionNoticeId = (visitId: string, n: number): string => `resultCorrection-${visitId}-${n}`;

export interface Objection {
  readonly objection: number;
  readonly channel: ObjectionChannel;
  readonly uscc: string;
  readonly contact: string;
  readonly statement: string;
  readonly receivedOn: string;
  readonly receivedBy: string | null;
  readonly decision: { readonly outcome: ObjectionOutcome; readonly reason: string; readonly decidedBy: string; readonly on: string } | null;
  readonly feedback: { readonly feedback: string; readonly givenBy: string; readonly on: string } | null;
  /** The correction that answered a `resultWrong` decision. */
  readonly correction: number | null;
}

export interface Correction {
  readonly correction: number;
  readonly objection: number | null;
  readonly reason: string;
  readonly results: readonly ResultEntry[];
  readonly correctedBy: string;
  readonly on: string;
  readonly noticeId: string | null;
}

export interface HistoryEntry {
  readonly event: string;
  readonly by: string;
  readonly round: number;
  readonly reason: string | null;
}

export type ResultState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly visitId: string;
      readonly uscc: string;
      readonly executingUnit: string;
      readonly round: number;
      readonly status: 'submitted' | 'returned' | 'approved';
      /** The results of the current round (as submitted; corrections are listed apart). */
      readonly results: readonly ResultEntry[];
      readonly submittedBy: string;
      /** E8: set when the round was a not-inspected outcome instead of an on-site result. */
      readonly outcome: { readonly outcome: E8Outcome; readonly basis: string; readonly evidence: string | null } | null;
      readonly history: readonly HistoryEntry[];
      readonly approval: { readonly approvedBy: string; readonly on: string; readonly exemption: { reason: string; basis: string } | null; readonly noticeId: string | null } | null;
      readonly corrections: readonly Correction[];
      readonly objections: readonly Objection[];
    };
export const initialResultState: ResultState = { exists: false };

export function evolveResult(state: ResultState, event: ResultEvent): ResultState {
  if (event.type === 'ResultsSubmitted') {
    const p = event.payload;
    const history = state.exists ? state.history : [];
    return {
      exists: true, visitId: p.visitId, uscc: p.uscc, executingUnit: p.executingUnit, round: p.round, status: 'submitted', results: p.results, submittedBy: p.submittedBy, outcome: null,
      history: [...history, { event: 'submitted', by: p.submittedBy, round: p.round, reason: null }], approval: null, corrections: [], objections: [],
    };
  }
  if (event.type === 'VisitOutcomeRecorded') {
    const p = event.payload;
    const history = state.exists ? state.history : [];
    return {
      exists: true, visitId: p.visitId, uscc: p.uscc, executingUnit: p.executingUnit, round: p.round, status: 'submitted', results: p.results, submittedBy: p.recordedBy,
      outcome: { outcome: p.outcome, basis: p.basis, evidence: p.evidence },
      history: [...history, { event: `notInspected:${p.outcome}`, by: p.recordedBy, round: p.round, reason: p.basis }], approval: null, corrections: [], objections: [],
    };
  }
  if (!state.exists) return state;
  const objection = (n: number, change: Partial<Objection>): ResultState => ({ ...state, objections: state.objections.map((o) => (o.objection === n ? { ...o, ...change } : o)) });
  switch (event.type) {
    case 'ResultsReturned':
      return { ...state, status: 'returned', history: [...state.history, { event: 'returned', by: event.payload.returnedBy, round: event.payload.round, reason: event.payload.reason }] };
    case 'ResultsApproved': {
      const p = event.payload;
      return {
        ...state, status: 'approved', approval: { approvedBy: p.approvedBy, on: p.on, exemption: p.exemption, noticeId: p.noticeId },
        history: [...state.history, { event: p.exemption ? 'approvedExempt' : 'approved', by: p.approvedBy, round: p.round, reason: p.exemption?.reason ?? null }],
      };
    }
    case 'ResultCorrected': {
      const p = event.payload;
      const next: ResultState = { ...state, corrections: [...state.corrections, { correction: p.correction, objection: p.objection, reason: p.reason, results: p.results, correctedBy: p.correctedBy, on: p.on, noticeId: p.noticeId }] };
      return p.objection === null || !next.exists ? next : { ...next, objections: next.objections.map((o) => (o.objection === p.objection ? { ...o, correction: p.correction } : o)) };
    }
    case 'ObjectionReceived': {
      const p = event.payload;
      return { ...state, objections: [...state.objections, { objection: p.objection, channel: p.channel, uscc: p.uscc, contact: p.contact, statement: p.statement, receivedOn: p.receivedOn, receivedBy: p.receivedBy, decision: null, feedback: null, correction: null }] };
    }
    case 'ObjectionDecided': {
      const p = event.payload;
      return objection(p.objection, { decision: { outcome: p.outcome, reason: p.reason, decidedBy: p.decidedBy, on: p.on } });
    }
    case 'ObjectionFeedbackGiven': {
      const p = event.payload;
      return objection(p.objection, { feedback: { feedback: p.feedback, givenBy: p.givenBy, on: p.on } });
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
