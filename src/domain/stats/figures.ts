/**
 * A1/A2: figures per department and period from the fold's entities. Pure: the statutory calendar,
 * the periods (A4: configuration) and today arrive as arguments, like the results module's deadlines.
 */
import { SuijiError } from '../errors.js';
import type { WorkingCalendar } from '../calendar/index.js';
import type { ResultPeriods } from '../results/categories.js';
import { figureDefinitions, figureKeys, type FigureGroup, type FigureKey } from './definitions.js';
import { compactPositions, countPositions, expandPositions, type PositionRanges } from './positions.js';
import type { Day, StatsEntity, TaskEntity, VisitEntity } from './state.js';

export interface StatsQuery {
  readonly year: number;
  /** 1–4; absent: the whole calendar year. */
  readonly quarter?: number;
  /** Absent: every department. */
  readonly department?: string;
}

export interface StatsContext {
  readonly calendar: WorkingCalendar;
  readonly periods: ResultPeriods;
  /** The day the figures are computed on (Asia/Shanghai): a deadline after it is not yet due. */
  readonly asOf: Day;
}

export interface Figure {
  readonly key: FigureKey;
  readonly group: FigureGroup;
  readonly zh: string;
  readonly en: string;
  readonly value: number;
  /** For a ratio; null for a count. */
  readonly denominator: number | null;
  /** E5/E7: a deadline counted over a year without calendar data (not final). */
  readonly provisional: boolean;
  readonly positions: PositionRanges;
}

export interface DepartmentStats {
  readonly department: string;
  readonly figures: Figure[];
}

export interface StatsReport {
  readonly period: { readonly year: number; readonly quarter: number | null; readonly from: Day; readonly to: Day };
  readonly asOf: Day;
  readonly departments: DepartmentStats[];
  /** Sums over the departments listed. */
  readonly total: DepartmentStats;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const lastDay = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function periodOf(q: StatsQuery): { from: Day; to: Day } {
  if (!Number.isInteger(q.year) || q.year < 2000 || q.year > 2100) {
    throw new SuijiError('VALIDATION_FAILED', { field: 'year', value: String(q.year) }, { zh: '字段 year（年度）须为 2000 至 2100 的整数', en: 'year must be an integer from 2000 to 2100' });
  }
  if (q.quarter === undefined) return { from: `${q.year}-01-01`, to: `${q.year}-12-31` };
  if (!Number.isInteger(q.quarter) || q.quarter < 1 || q.quarter > 4) {
    throw new SuijiError('VALIDATION_FAILED', { field: 'quarter', value: String(q.quarter) }, { zh: '字段 quarter（季度）须为 1 至 4', en: 'quarter must be 1 to 4' });
  }
  const m = (q.quarter - 1) * 3 + 1;
  return { from: `${q.year}-${pad(m)}-01`, to: `${q.year}-${pad(m + 2)}-${pad(lastDay(q.year, m + 2))}` };
}

interface Cell { value: number; denominator: number | null; provisional: boolean; positions: number[] }

class Table {
  readonly rows = new Map<string, Map<FigureKey, Cell>>();
  cell(department: string, key: FigureKey): Cell {
    let row = this.rows.get(department);
    if (!row) this.rows.set(department, (row = new Map()));
    let c = row.get(key);
    if (!c) row.set(key, (c = { value: 0, denominator: figureDefinitions[key].ratio ? 0 : null, provisional: false, positions: [] }));
    return c;
  }
  add(department: string, key: FigureKey, value: number, positions: readonly number[], denominator = 0, provisional = false): void {
    const c = this.cell(department, key);
    c.value += value;
    if (c.denominator !== null) c.denominator += denominator;
    c.provisional ||= provisional;
    for (const p of positions) c.positions.push(p);
  }
}

export function computeStats(entities: Iterable<StatsEntity>, query: StatsQuery, ctx: StatsContext): StatsReport {
  const { from, to } = periodOf(query);
  const inPeriod = (day: Day): boolean => day >= from && day <= to;
  const t = new Table();
  const all = [...entities];
  const visitsByTask = new Map<string, VisitEntity[]>();
  for (const e of all) if (e.kind === 'visit') for (const task of e.tasks) visitsByTask.set(task.taskId, [...(visitsByTask.get(task.taskId) ?? []), e]);
  const publication = (windowTo: Day) => ctx.calendar.addWorkingDays(windowTo, ctx.periods.publishWithin);

  const listItems = new Map<string, Set<string>>();
  const listPositions = new Map<string, number[]>();
  for (const e of all) {
    if (e.kind !== 'itemList') continue;
    const v = [...e.versions].reverse().find((x) => x.day <= to);
    if (!v) continue;
    for (const item of v.items) {
      listItems.set(item.inspectingBody, (listItems.get(item.inspectingBody) ?? new Set()).add(item.itemId));
      listPositions.set(item.inspectingBody, [...new Set([...(listPositions.get(item.inspectingBody) ?? []), v.position])]);
    }
  }
  for (const [dept, items] of listItems) t.add(dept, 'plan.coverage', 0, [], items.size);

  const estimated = new Map<string, number>();
  for (const e of all) {
    switch (e.kind) {
      case 'register': {
        const sized = [...expandPositions(e.added), ...expandPositions(e.removed)];
        if (sized.length > 0 && e.day <= to) t.add(e.department, `register.${e.register}`, countPositions(e.added) - countPositions(e.removed), sized);
        if (inPeriod(e.day)) t.add(e.department, 'register.changes', sized.length + countPositions(e.changed), [...sized, ...expandPositions(e.changed)]);
        break;
      }
      case 'plan': {
        if (e.year !== query.year) break;
        // The version in force at the period's end: the latest filed by then and not returned.
        const v = [...e.versions].sort((a, b) => b.version - a.version).find((x) => x.status === 'filed' && x.filed !== null && x.filed.day <= to);
        if (!v) break;
        const total = v.items.reduce((n, i) => n + i.estimatedCount, 0);
        estimated.set(e.departmentId, total);
        t.add(e.departmentId, 'plan.estimated', total, [v.draftPosition, v.filed!.position]);
        const planned = new Set([...v.coveredItems, ...v.items.map((i) => i.itemId)]);
        const items = listItems.get(e.departmentId) ?? new Set<string>();
        t.add(e.departmentId, 'plan.coverage', [...items].filter((i) => planned.has(i)).length, [...(listPositions.get(e.departmentId) ?? []), v.filed!.position]);
        break;
      }
      case 'task':
        taskFigures(t, e, inPeriod, query.year, visitsByTask.get(e.taskId) ?? [], ctx, publication);
        break;
      case 'draw':
        if (e.end && inPeriod(e.end.day)) t.add(e.department, e.end.outcome === 'completed' ? 'draws.completed' : 'draws.abandoned', 1, [e.committed, e.end.position]);
        break;
      case 'group':
        if (inPeriod(e.day)) t.add(e.department, e.via === 'draw' ? 'visits.drawn' : e.via === 'direct' ? 'visits.assigned' : 'visits.unmatched', 1, [e.position]);
        break;
      case 'visit':
        visitFigures(t, e, inPeriod, ctx, publication);
        break;
      case 'followUp':
        if (inPeriod(e.opened.day)) t.add(e.executingUnit, 'followUps.closed', e.closed ? 1 : 0, e.closed ? [e.opened.position, e.closed.position] : [e.opened.position], 1);
        break;
      case 'nonRandom':
        if (inPeriod(e.day)) {
          t.add(e.department, 'nonRandom.inspections', 1, [e.position]);
          t.add(e.department, 'nonRandom.targets', e.targets, [e.position]);
        }
        break;
      default:
        break;
    }
  }
  // plan.executed's denominator is the plan's estimate (annual, also for a quarter).
  for (const [dept, row] of t.rows) {
    const executed = row.get('plan.executed');
    if (executed) executed.denominator = estimated.get(dept) ?? 0;
    else if (estimated.has(dept)) t.add(dept, 'plan.executed', 0, [], estimated.get(dept)!);
  }

  const departments = [...t.rows.keys()].filter((d) => d !== '' && (query.department === undefined || d === query.department)).sort();
  if (query.department !== undefined && !departments.includes(query.department)) departments.push(query.department);
  const rows = departments.map((department) => ({ department, figures: figureKeys.map((key) => toFigure(key, t.rows.get(department)?.get(key))) }));
  const total = {
    department: query.department ?? '*',
    figures: figureKeys.map((key) => {
      const cells = departments.map((d) => t.rows.get(d)?.get(key)).filter((c): c is Cell => c !== undefined);
      return toFigure(key, cells.length === 0 ? undefined : {
        value: cells.reduce((n, c) => n + c.value, 0),
        denominator: figureDefinitions[key].ratio ? cells.reduce((n, c) => n + (c.denominator ?? 0), 0) : null,
        provisional: cells.some((c) => c.provisional),
        positions: cells.flatMap((c) => c.positions),
      });
    }),
  };
  return { period: { year: query.year, quarter: query.quarter ?? null, from, to }, asOf: ctx.asOf, departments: rows, total };
}

function toFigure(key: FigureKey, c: Cell | undefined): Figure {
  const def = figureDefinitions[key];
  return {
    key, group: def.group, zh: def.zh, en: def.en, value: c?.value ?? 0, denominator: def.ratio ? (c?.denominator ?? 0) : null, provisional: c?.provisional ?? false,
    positions: compactPositions(c?.positions ?? []),
  };
}

type Publication = (windowTo: Day) => { date: Day; provisional: boolean };

function taskFigures(t: Table, e: TaskEntity, inPeriod: (d: Day) => boolean, year: number, visits: readonly VisitEntity[], ctx: StatsContext, publication: Publication): void {
  if (!e.dispatched) return;
  const dispatched = e.dispatched;
  const targets = dispatched.assignments.reduce((n, a) => n + a.targets, 0);
  if (inPeriod(dispatched.day)) {
    t.add(e.departmentId, 'tasks.dispatched', 1, [dispatched.position]);
    // G2/PL6: ad-hoc tasks are random inspections but outside the plan's estimate.
    if (!e.adHoc && e.year === year) t.add(e.departmentId, 'plan.executed', targets, [dispatched.position]);
    const approved = visits.filter((v) => v.approved !== null);
    t.add(e.departmentId, 'tasks.completed', approved.length >= targets ? 1 : 0, approved.length >= targets ? [dispatched.position, ...approved.map((v) => v.approved!.position)] : [], 1);
  }
  // A2: a dispatched target with no visit yet has entered nothing; once its deadline has passed it is due and not done.
  const deadline = publication(e.windowTo);
  if (!inPeriod(deadline.date)) return;
  for (const a of dispatched.assignments) {
    const missing = a.targets - visits.filter((v) => v.dispatchedTo === a.executingUnit).length;
    if (missing <= 0) continue;
    if (ctx.asOf > deadline.date) {
      t.add(a.executingUnit, 'results.enteredOnTime', 0, [dispatched.position], missing, deadline.provisional);
      t.add(a.executingUnit, 'results.publishedOnTime', 0, [dispatched.position], missing, deadline.provisional);
    } else t.add(a.executingUnit, 'results.pending', missing, [dispatched.position], 0, deadline.provisional);
  }
}

function visitFigures(t: Table, v: VisitEntity, inPeriod: (d: Day) => boolean, ctx: StatsContext, publication: Publication): void {
  const unit = v.executingUnit;
  if (v.approved?.exempt && inPeriod(v.approved.day)) t.add(unit, 'results.exempt', 1, [v.approved.position]);
  for (const c of v.corrections) if (inPeriod(c.day)) t.add(unit, 'results.corrections', 1, [c.position]);
  for (const o of v.objections) {
    if (!inPeriod(o.receivedOn)) continue;
    t.add(unit, 'objections.received', 1, [o.received]);
    // E7's two clocks: the re-check decision from receipt, the feedback from the decision.
    const decisionDue = ctx.calendar.addWorkingDays(o.receivedOn, ctx.periods.recheckWithin);
    const feedbackDue = o.decided ? ctx.calendar.addWorkingDays(o.decided.day, ctx.periods.feedbackWithin) : null;
    const decisionLate = o.decided ? o.decided.day > decisionDue.date : ctx.asOf > decisionDue.date;
    const feedbackLate = o.decided !== null && feedbackDue !== null && (o.feedback ? o.feedback.day > feedbackDue.date : ctx.asOf > feedbackDue.date);
    const onTime = o.decided !== null && o.feedback !== null && !decisionLate && !feedbackLate;
    if (!onTime && !decisionLate && !feedbackLate) continue;
    const positions = [o.received, ...(o.decided ? [o.decided.position] : []), ...(o.feedback ? [o.feedback.position] : [])];
    t.add(unit, 'objections.onTime', onTime ? 1 : 0, positions, 1, decisionDue.provisional || (feedbackDue?.provisional ?? false));
  }
  if (v.tasks.length === 0) return;
  // E5: the strictest deadline of the tasks the visit serves (src/domain/results/deadline.ts).
  const deadline = publication(v.tasks.map((x) => x.windowTo).sort()[0]!);
  if (!inPeriod(deadline.date)) return;
  const onTime = v.approved !== null && v.approved.day <= deadline.date;
  if (!onTime && ctx.asOf <= deadline.date) {
    t.add(unit, 'results.pending', 1, [v.frozen], 0, deadline.provisional);
    return;
  }
  // A result approved on a day was entered by that day: the approval's date bounds the entry's.
  const enteredAt = [v.entered, v.approved].filter((x): x is NonNullable<typeof x> => x !== null).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))[0];
  const entered = enteredAt !== undefined && enteredAt.day <= deadline.date;
  t.add(unit, 'results.enteredOnTime', entered ? 1 : 0, entered ? [enteredAt.position] : [v.frozen], 1, deadline.provisional);
  if (v.approved?.exempt) return; // counted apart as exempt (E5: never late)
  t.add(unit, 'results.publishedOnTime', onTime ? 1 : 0, onTime ? [v.approved!.position] : [v.frozen], 1, deadline.provisional);
}
