/** What GET /visits/:id/results and GET /results answer (staff views, E5–E7), schema first. */
import type { FromSchema } from 'json-schema-to-ts';
import type { ObjectionClock, ResultStatus, DeadlineView, Timeliness } from '../../domain/results/index.js';
import { resultEntrySchema, resultStatuses, type ResultState } from '../../domain/results/index.js';
import type { VisitView } from '../../projections/visits/index.js';

const str = { type: 'string' } as const;
const nullStr = { type: ['string', 'null'] } as const;
const deadlineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'date', 'provisional', 'missingYears'],
  properties: {
    from: str,
    date: str,
    /** E5: a counted day fell in a year without calendar data — the date is not final. */
    provisional: { type: 'boolean' },
    missingYears: { type: 'array', items: { type: 'integer' } },
  },
} as const;
const entries = { type: 'array', items: resultEntrySchema } as const;

export const resultViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'uscc', 'executingUnit', 'leader', 'status', 'round', 'results', 'deadline', 'overdue', 'late', 'publishedOn', 'exemption', 'noticeId', 'history', 'corrections', 'objections'],
  properties: {
    visitId: str,
    uscc: str,
    executingUnit: str,
    leader: nullStr,
    status: { enum: resultStatuses },
    round: { type: 'integer' },
    results: entries,
    deadline: deadlineSchema,
    /** E5: not published (nor exempt) and past the deadline. */
    overdue: { type: 'boolean' },
    /** E5: published after the deadline. */
    late: { type: 'boolean' },
    publishedOn: nullStr,
    exemption: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['reason', 'basis'], properties: { reason: str, basis: str } }] },
    noticeId: nullStr,
    history: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['event', 'by', 'round', 'reason'], properties: { event: str, by: str, round: { type: 'integer' }, reason: nullStr } },
    },
    corrections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['correction', 'objection', 'reason', 'results', 'correctedBy', 'on', 'noticeId'],
        properties: { correction: { type: 'integer' }, objection: { type: ['integer', 'null'] }, reason: str, results: entries, correctedBy: str, on: str, noticeId: nullStr },
      },
    },
    objections: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['objection', 'channel', 'contact', 'statement', 'receivedOn', 'receivedBy', 'decisionDue', 'decisionLate', 'decision', 'feedbackDue', 'feedbackLate', 'feedback', 'correction'],
        properties: {
          objection: { type: 'integer' },
          channel: str,
          contact: str,
          statement: str,
          receivedOn: str,
          receivedBy: nullStr,
          decisionDue: deadlineSchema,
          decisionLate: { type: 'boolean' },
          decision: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['outcome', 'reason', 'decidedBy', 'on'], properties: { outcome: str, reason: str, decidedBy: str, on: str } }] },
          feedbackDue: { anyOf: [{ type: 'null' }, deadlineSchema] },
          feedbackLate: { type: 'boolean' },
          feedback: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['feedback', 'givenBy', 'on'], properties: { feedback: str, givenBy: str, on: str } }] },
          correction: { type: ['integer', 'null'] },
        },
      },
    },
  },
} as const;
export type ResultView = FromSchema<typeof resultViewSchema>;

export const resultsWriteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'streamId', 'events', 'position', 'noticeId', 'replayed'],
  properties: {
    visitId: str,
    streamId: str,
    /** Event types appended, in order (NoticePublished included when the step publishes). */
    events: { type: 'array', items: str },
    position: { type: ['integer', 'null'] },
    noticeId: nullStr,
    replayed: { type: 'boolean' },
  },
} as const;
export type ResultsWriteResult = FromSchema<typeof resultsWriteSchema>;

export function toResultView(
  visit: VisitView,
  state: ResultState,
  computed: { deadline: DeadlineView; status: ResultStatus; objections: ObjectionClock[] } & Timeliness,
): ResultView {
  const dl = (d: DeadlineView) => ({ from: d.from, date: d.date, provisional: d.provisional, missingYears: [...d.missingYears] });
  // Plain JSON copies of the folded state (readonly there, mutable in the response type).
  const copy = <K extends keyof ResultView>(x: unknown): ResultView[K] => JSON.parse(JSON.stringify(x)) as ResultView[K];
  return {
    visitId: visit.visitId,
    uscc: visit.uscc,
    executingUnit: visit.executingUnit,
    leader: visit.group?.leader ?? null,
    status: computed.status,
    round: state.exists ? state.round : 0,
    results: state.exists ? copy<'results'>(state.results) : [],
    deadline: dl(computed.deadline),
    overdue: computed.overdue,
    late: computed.late,
    publishedOn: state.exists && state.approval && !state.approval.exemption ? state.approval.on : null,
    exemption: state.exists && state.approval?.exemption ? { ...state.approval.exemption } : null,
    noticeId: state.exists ? (state.approval?.noticeId ?? null) : null,
    history: state.exists ? copy<'history'>(state.history) : [],
    corrections: state.exists ? copy<'corrections'>(state.corrections) : [],
    objections: state.exists
      ? state.objections.map((o, i) => {
          const c = computed.objections[i]!;
          return {
            objection: o.objection, channel: o.channel, contact: o.contact, statement: o.statement, receivedOn: o.receivedOn, receivedBy: o.receivedBy,
            decisionDue: dl(c.decisionDue), decisionLate: c.decisionLate, decision: o.decision ? { ...o.decision } : null,
            feedbackDue: c.feedbackDue ? dl(c.feedbackDue) : null, feedbackLate: c.feedbackLate, feedback: o.feedback ? { ...o.feedback } : null, correction: o.correction,
          };
        })
      : [],
  };
}
