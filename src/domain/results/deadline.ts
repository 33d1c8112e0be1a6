/**
 * E5/E7 deadlines and lateness, computed at read time from the statutory calendar (so a
 * provisional deadline becomes definite as soon as the State Council's next year is in the data
 * directory, A4) — pure: the calendar and today arrive as arguments.
 *
 * "After the task completes" (E5): the end of the task's published window (`window.to`, in the
 * task notice). Chosen because it is fixed in public before any result exists and no one can
 * move it — a reading tied to the last visit closed would let a unit defer its own deadline by
 * not closing a visit. A visit that serves several tasks takes the earliest window end: the
 * strictest deadline of any task it serves.
 */
import type { Deadline, WorkingCalendar } from '../calendar/calendar.js';
import type { ResultPeriods } from './categories.js';
import type { Objection, ResultState } from './events.js';

export interface TaskWindow {
  readonly window: { readonly from: string; readonly to: string };
}

export interface DeadlineView extends Deadline {
  /** The day the count starts after (the task's completion). */
  readonly from: string;
}

export const resultStatuses = ['notSubmitted', 'submitted', 'returned', 'published', 'exempt'] as const;
export type ResultStatus = (typeof resultStatuses)[number];

export function publicationDeadline(tasks: readonly TaskWindow[], calendar: WorkingCalendar, periods: ResultPeriods): DeadlineView {
  const from = tasks.map((t) => t.window.to).sort()[0]!;
  return { from, ...calendar.addWorkingDays(from, periods.publishWithin) };
}

export function resultStatus(state: ResultState): ResultStatus {
  if (!state.exists) return 'notSubmitted';
  if (state.status === 'approved') return state.approval!.exemption ? 'exempt' : 'published';
  return state.status;
}

export interface Timeliness {
  /** Not yet published (nor exempt) and today is past the deadline. */
  readonly overdue: boolean;
  /** Published after the deadline (E5; A2 counts it as not done in time). */
  readonly late: boolean;
}

/** E5: an exempt result (不予公开) is neither overdue nor late — it is counted as exempt. */
export function timeliness(state: ResultState, deadline: Deadline, today: string): Timeliness {
  const status = resultStatus(state);
  if (status === 'exempt') return { overdue: false, late: false };
  if (status === 'published') return { overdue: false, late: state.exists && state.approval!.on > deadline.date };
  return { overdue: today > deadline.date, late: false };
}

export interface ObjectionClock {
  /** E7: the re-check decision is due within n working days of receipt. */
  readonly decisionDue: DeadlineView;
  readonly decisionLate: boolean;
  /** E7: feedback is due within n working days of the decision; null until decided. */
  readonly feedbackDue: DeadlineView | null;
  readonly feedbackLate: boolean;
}

export function objectionClock(o: Objection, calendar: WorkingCalendar, periods: ResultPeriods, today: string): ObjectionClock {
  const decisionDue = { from: o.receivedOn, ...calendar.addWorkingDays(o.receivedOn, periods.recheckWithin) };
  const decisionLate = (o.decision?.on ?? today) > decisionDue.date;
  if (!o.decision) return { decisionDue, decisionLate, feedbackDue: null, feedbackLate: false };
  const feedbackDue = { from: o.decision.on, ...calendar.addWorkingDays(o.decision.on, periods.feedbackWithin) };
  return { decisionDue, decisionLate, feedbackDue, feedbackLate: (o.feedback?.on ?? today) > feedbackDue.date };
}
