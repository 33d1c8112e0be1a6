import { describe, expect, it } from 'vitest';
import { workingCalendar } from '../../../src/domain/calendar/index.js';
import { defaultResultPeriods } from '../../../src/domain/results/index.js';
import { compactPositions, computeStats, expandPositions, foldStats, type FigureKey, type StatsContext, type StatsQuery } from '../../../src/domain/stats/index.js';
import { Ledger } from './builder.js';

/**
 * A calendar without statutory data counts Monday to Friday (and flags the deadline provisional),
 * so the deadlines here are counted by hand: 20 working days after Tuesday 2026-03-31 is
 * Tuesday 2026-04-28 (Apr 1–3, 6–10, 13–17, 20–24, 27, 28).
 */
const calendar = workingCalendar({ years: [] });
const ctx = (asOf: string, periods = defaultResultPeriods): StatsContext => ({ calendar, periods, asOf });
const WINDOW_TO = '2026-03-31';
const DEADLINE = '2026-04-28';

function figure(l: Ledger, key: FigureKey, asOf = '2026-12-01', query: StatsQuery = { year: 2026, department: 'dept-a' }, c = ctx(asOf)) {
  const report = computeStats(foldStats(l.events).values(), query, c);
  return report.departments.find((d) => d.department === (query.department ?? 'dept-a'))!.figures.find((f) => f.key === key)!;
}

describe('assessment statistics fold (A1, A2)', () => {
  it('A2: a result entered after the E5 deadline counts as not done', () => {
    const l = new Ledger();
    l.task('T1', WINDOW_TO, 2);
    l.visit('V1', 'T1', WINDOW_TO);
    l.visit('V2', 'T1', WINDOW_TO);
    const onTime = l.add('ResultsSubmitted', { visitId: 'V1', uscc: 'x', executingUnit: 'dept-a', round: 1, results: [], submittedBy: 'in-a' }, DEADLINE);
    l.add('ResultsSubmitted', { visitId: 'V2', uscc: 'x', executingUnit: 'dept-a', round: 1, results: [], submittedBy: 'in-a' }, '2026-04-29');
    const entered = figure(l, 'results.enteredOnTime');
    expect({ value: entered.value, denominator: entered.denominator }).toEqual({ value: 1, denominator: 2 });
    expect(expandPositions(entered.positions)).toContain(onTime);
  });

  it('A2: a result never entered counts as not done once the deadline has passed, and is pending before', () => {
    const l = new Ledger();
    l.task('T1', WINDOW_TO, 1);
    const frozen = l.visit('V1', 'T1', WINDOW_TO);
    const before = figure(l, 'results.enteredOnTime', DEADLINE);
    expect({ value: before.value, denominator: before.denominator }).toEqual({ value: 0, denominator: 0 });
    expect(figure(l, 'results.pending', DEADLINE).value).toBe(1);
    const after = figure(l, 'results.enteredOnTime', '2026-04-29');
    expect({ value: after.value, denominator: after.denominator, positions: after.positions }).toEqual({ value: 0, denominator: 1, positions: [frozen] });
    expect(figure(l, 'results.pending', '2026-04-29').value).toBe(0);
  });

  it('A2: a dispatched target that never got a visit counts as not entered after the deadline', () => {
    const l = new Ledger();
    const dispatched = l.task('T1', WINDOW_TO, 3);
    l.visit('V1', 'T1', WINDOW_TO);
    l.add('ResultsSubmitted', { visitId: 'V1' }, '2026-04-01');
    const f = figure(l, 'results.enteredOnTime');
    expect({ value: f.value, denominator: f.denominator }).toEqual({ value: 1, denominator: 3 });
    expect(expandPositions(f.positions)).toContain(dispatched);
  });

  it('A2/E5: published after the deadline is not on time; an exempt result leaves the publication denominator and is counted apart', () => {
    const l = new Ledger();
    l.task('T1', WINDOW_TO, 3);
    for (const v of ['V1', 'V2', 'V3']) l.visit(v, 'T1', WINDOW_TO);
    for (const v of ['V1', 'V2', 'V3']) l.add('ResultsSubmitted', { visitId: v }, '2026-04-01');
    const published = l.add('ResultsApproved', { visitId: 'V1', round: 1, approvedBy: 'pr-a', on: DEADLINE, exemption: null, noticeId: 'n' }, DEADLINE);
    l.add('ResultsApproved', { visitId: 'V2', round: 1, approvedBy: 'pr-a', on: '2026-04-30', exemption: null, noticeId: 'n' }, '2026-04-30');
    const exempt = l.add('ResultsApproved', { visitId: 'V3', round: 1, approvedBy: 'pr-a', on: '2026-04-02', exemption: { reason: 'r', basis: 'b' }, noticeId: null }, '2026-04-02');
    const f = figure(l, 'results.publishedOnTime');
    expect({ value: f.value, denominator: f.denominator, positions: f.positions }).toMatchObject({ value: 1, denominator: 2, positions: expect.arrayContaining([published]) });
    expect(figure(l, 'results.exempt')).toMatchObject({ value: 1, positions: [exempt] });
    expect(f.provisional).toBe(true); // counted over 2026 without calendar data
  });

  it('A4: the E5 period is configuration — a longer period turns a late entry into an on-time one', () => {
    const l = new Ledger();
    l.task('T1', WINDOW_TO, 1);
    l.visit('V1', 'T1', WINDOW_TO);
    l.add('ResultsSubmitted', { visitId: 'V1' }, '2026-04-29');
    expect(figure(l, 'results.enteredOnTime').value).toBe(0);
    expect(figure(l, 'results.enteredOnTime', '2026-12-01', { year: 2026, department: 'dept-a' }, ctx('2026-12-01', { ...defaultResultPeriods, publishWithin: 21 })).value).toBe(1);
  });

  it('E7: an objection decided on time but answered after the 15-working-day feedback clock is not handled on time', () => {
    const l = new Ledger();
    l.task('T1', WINDOW_TO, 1);
    l.visit('V1', 'T1', WINDOW_TO);
    l.add('ObjectionReceived', { visitId: 'V1', objection: 1, channel: 'public', uscc: 'x', contact: '138', statement: 's', receivedOn: '2026-05-04', receivedBy: null }, '2026-05-04');
    l.add('ObjectionDecided', { visitId: 'V1', objection: 1, outcome: 'resultStands', reason: 'r', decidedBy: 'pr-a', on: '2026-05-05' }, '2026-05-05');
    // 15 working days after Tuesday 2026-05-05 is Tuesday 2026-05-26.
    const due = new Ledger();
    due.events.push(...l.events);
    due.add('ObjectionFeedbackGiven', { visitId: 'V1', objection: 1, feedback: 'f', givenBy: 'pr-a', on: '2026-05-26' }, '2026-05-26');
    l.add('ObjectionFeedbackGiven', { visitId: 'V1', objection: 1, feedback: 'f', givenBy: 'pr-a', on: '2026-05-27' }, '2026-05-27');
    expect(figure(due, 'objections.onTime')).toMatchObject({ value: 1, denominator: 1 });
    expect(figure(l, 'objections.onTime')).toMatchObject({ value: 0, denominator: 1 });
    expect(figure(l, 'objections.received').value).toBe(1);
  });

  it('E7: an objection whose clocks are still running is not yet in the denominator', () => {
    const l = new Ledger();
    l.task('T1', WINDOW_TO, 1);
    l.visit('V1', 'T1', WINDOW_TO);
    l.add('ObjectionReceived', { visitId: 'V1', objection: 1, receivedOn: '2026-05-04' }, '2026-05-04');
    expect(figure(l, 'objections.onTime', '2026-05-06')).toMatchObject({ value: 0, denominator: 0 });
    expect(figure(l, 'objections.onTime', '2026-06-30')).toMatchObject({ value: 0, denominator: 1 });
  });

  it('G2: non-random inspections are counted apart and never enter the random figures', () => {
    const l = new Ledger();
    const p = l.add('NonRandomInspectionRecorded', { inspectionId: 'NR1', kind: 'complaintOrReport', department: 'dept-a', targets: ['a', 'b'], items: ['x'], reason: 'r', recordedBy: 'op-a' }, '2026-05-04');
    expect(figure(l, 'nonRandom.inspections')).toMatchObject({ value: 1, positions: [p] });
    expect(figure(l, 'nonRandom.targets').value).toBe(2);
    for (const key of ['tasks.dispatched', 'plan.executed', 'results.enteredOnTime', 'draws.completed', 'visits.drawn'] as const) expect(figure(l, key).value).toBe(0);
  });

  it('T8: a group assigned directly after the draw left the visit unmatched counts as a direct assignment, not a drawn group', () => {
    const l = new Ledger();
    l.add('VisitLeftUnmatched', { visitId: 'V1', department: 'dept-a', drawId: 'd', need: 'inspectors' }, '2026-04-01');
    const assigned = l.add('VisitAssigned', { visitId: 'V1', department: 'dept-a' }, '2026-04-02');
    l.add('VisitMatched', { visitId: 'V2', department: 'dept-a' }, '2026-04-02');
    l.add('VisitMatched', { visitId: 'V2', department: 'dept-a' }, '2026-04-09'); // T10 replacement: same group
    expect(figure(l, 'visits.assigned')).toMatchObject({ value: 1, positions: [assigned] });
    expect(figure(l, 'visits.drawn').value).toBe(1);
    expect(figure(l, 'visits.unmatched').value).toBe(0);
  });

  it('A1: plan execution counts plan tasks dispatched against the estimate; an ad-hoc task is a task but not plan execution', () => {
    const l = new Ledger();
    l.add('PlanDraftSaved', { departmentId: 'dept-a', year: 2026, version: 1, items: [{ itemId: 'i1', estimatedCount: 10 }, { itemId: 'i2', estimatedCount: 5 }], reason: 'r' }, '2026-01-05');
    l.add('PlanVersionFiled', { departmentId: 'dept-a', year: 2026, version: 1, filedWith: null, listBasis: [], coveredItems: ['i1', 'i2'], changes: { added: [], changed: [], removed: [] } }, '2026-01-06');
    l.add('ItemListVersionPublished', { departmentId: 'bureau', version: 1, items: [{ itemId: 'i1', inspectingBody: 'dept-a' }, { itemId: 'i2', inspectingBody: 'dept-a' }, { itemId: 'i3', inspectingBody: 'dept-a' }], changes: {}, reason: 'r' }, '2026-01-02');
    l.task('T1', WINDOW_TO, 6);
    l.task('T2', WINDOW_TO, 4, '2026-03-01', true);
    expect(figure(l, 'plan.estimated').value).toBe(15);
    expect(figure(l, 'plan.executed')).toMatchObject({ value: 6, denominator: 15 });
    expect(figure(l, 'tasks.dispatched').value).toBe(2);
    expect(figure(l, 'plan.coverage')).toMatchObject({ value: 2, denominator: 3 });
  });

  it('A1: quarters split by Asia/Shanghai date — an event at 23:30 UTC on 31 March is in Q2', () => {
    const l = new Ledger();
    l.add('TargetRegistered', { jurisdiction: 'dept-a' }, '2026-03-31');
    l.events.push({ ...l.events[0]!, position: 1, recordedAt: '2026-03-31T23:30:00.000Z' });
    expect(figure(l, 'register.changes', '2026-12-01', { year: 2026, quarter: 1, department: 'dept-a' }).value).toBe(1);
    expect(figure(l, 'register.changes', '2026-12-01', { year: 2026, quarter: 2, department: 'dept-a' }).value).toBe(1);
    expect(figure(l, 'register.targets', '2026-12-01', { year: 2026, quarter: 2, department: 'dept-a' }).value).toBe(2);
  });

  it('A1: register size follows transfers between departments', () => {
    const l = new Ledger();
    l.add('TargetRegistered', { jurisdiction: 'dept-a' }, '2026-02-01');
    l.add('TargetRegistered', { jurisdiction: 'dept-a' }, '2026-02-01');
    l.add('TargetTransferred', { fromDepartment: 'dept-a', toDepartment: 'dept-b' }, '2026-02-03', 'dept-a');
    expect(figure(l, 'register.targets').value).toBe(1);
    expect(figure(l, 'register.targets', '2026-12-01', { year: 2026, department: 'dept-b' }).value).toBe(1);
  });

  it('refuses a quarter outside 1–4 with a coded error naming the field', () => {
    expect(() => computeStats([], { year: 2026, quarter: 5 }, ctx('2026-12-01'))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: 'quarter', value: '5' } }));
  });

  it('positions compact into sorted ranges and expand back', () => {
    expect(compactPositions([9, 3, 4, 5, 12, 4])).toEqual([[3, 5], 9, 12]);
    expect(expandPositions([[3, 5], 9, 12])).toEqual([3, 4, 5, 9, 12]);
  });
});

describe('register entities stay few (read cost of a 60,000-entry register)', () => {
  it('A1: register events of a department and day share a bucket of positions, and the figures list every position', () => {
    const l = new Ledger();
    const positions: number[] = [];
    for (let i = 0; i < 2500; i++) positions.push(l.add('TargetRegistered', { jurisdiction: i % 3 === 0 ? 'dept-b' : 'dept-a' }, '2026-02-01'));
    const state = foldStats(l.events);
    expect(state.size).toBeLessThanOrEqual(6); // 2 departments × 3 buckets of 1,000 positions
    const f = figure(l, 'register.targets');
    expect(f.value).toBe(positions.filter((_, i) => i % 3 !== 0).length);
    expect(expandPositions(f.positions)).toEqual(positions.filter((_, i) => i % 3 !== 0));
  });
});

describe('E8 transfers', () => {
  it('A2/E8: after a transfer is accepted the receiving unit owes the result, and the dispatching unit has no orphan for it', () => {
    const l = new Ledger();
    l.task('T1', WINDOW_TO, 1);
    l.visit('V1', 'T1', WINDOW_TO);
    l.add('VisitTransferAccepted', { visitId: 'V1', fromUnit: 'dept-a', toUnit: 'dept-b', leader: 'x', members: ['x', 'y'], acceptedBy: 'pr-b' }, '2026-03-10');
    expect(figure(l, 'results.enteredOnTime')).toMatchObject({ value: 0, denominator: 0 });
    expect(figure(l, 'results.enteredOnTime', '2026-12-01', { year: 2026, department: 'dept-b' })).toMatchObject({ value: 0, denominator: 1 });
  });
});
