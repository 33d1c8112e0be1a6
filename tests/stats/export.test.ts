import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatsService, calendarYearsOf, openStatsExport, statsHeaders, writeStatsExport } from '../../src/app/stats/index.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { STATS_FIELDS, expandPositions, foldStats, toStatsEvent, type StatsEvent } from '../../src/domain/stats/index.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { runCli } from '../cli/run-cli.js';
import { AS_OF, DemoLedger } from './demo-ledger.js';

const full = (e: RecordedEvent): StatsEvent => ({ position: e.position, hash: e.hash, type: e.type, recordedAt: e.recordedAt, department: e.actor.department, payload: e.payload });

describe('statistics export and recomputation on the demo year (P3, A1)', () => {
  let demo: DemoLedger;
  let rt: Runtime;
  let events: RecordedEvent[];
  const exportDir = () => demo.dir('export');

  beforeAll(async () => {
    demo = new DemoLedger();
    rt = await openRuntime(demo.copy());
    await rt.projections.catchUp();
    events = await rt.store.readAll();
    await writeStatsExport({ store: rt.store, calendarYears: calendarYearsOf(rt.dataDir), asOf: AS_OF }, exportDir());
  }, 120_000);
  afterAll(async () => {
    await rt?.close();
    demo?.remove();
  });

  it('P3/A1: every figure recomputed from the public export alone equals the projection\'s, per department, year and quarter', () => {
    const service = new StatsService({ db: rt.projections.db, calendar: rt.calendar }, { clock: () => new Date(`${AS_OF}T12:00:00+08:00`) });
    const exp = openStatsExport(exportDir());
    const live = service.report({ year: 2026 });
    // Not vacuous: the demo year has due results, objections, follow-ups and a non-random inspection.
    const total = (key: string) => live.total.figures.find((f) => f.key === key)!;
    expect(total('results.enteredOnTime').denominator).toBeGreaterThan(0);
    expect(total('objections.received').value).toBeGreaterThan(0);
    expect(total('followUps.closed').denominator).toBeGreaterThan(0);
    expect(total('nonRandom.inspections').value).toBeGreaterThan(0);
    expect(total('draws.completed').value).toBeGreaterThan(0);
    for (const quarter of [undefined, 1, 2, 3, 4]) {
      const q = { year: 2026, ...(quarter && { quarter }) };
      expect(exp.report(q)).toEqual(service.report(q));
      for (const d of live.departments) expect(exp.report({ ...q, department: d.department })).toEqual(service.report({ ...q, department: d.department }));
    }
    expect(exp.manifest.reports.find((r) => r.period.year === 2026)).toEqual(live);
    expect(exp.manifest.ledger.size).toBe(events.length);
  });

  it('P3: the export carries only STATS_FIELDS — no target lists, risk or credit class, contacts, statements, secrets or exemption reasons', () => {
    const text = readFileSync(join(exportDir(), 'stats', 'events.jsonl'), 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as StatsEvent);
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['department', 'hash', 'payload', 'position', 'recordedAt', 'type']);
      for (const k of Object.keys(l.payload as object)) expect(Object.keys(STATS_FIELDS[l.type]!)).toContain(k);
      expect(l.hash).toBe(events[l.position]!.hash);
    }
    // No USCC of any registered target, no personal or secret field name anywhere.
    expect(text).not.toMatch(/9137\d{4}[0-9A-Z]{10}/);
    for (const word of ['riskLevel', 'creditLevel', 'contact', 'statement', 'secret', 'reason', 'basis', 'pools', 'uscc']) expect(text).not.toContain(`"${word}"`);
  });

  it('P3: the fold over the full events equals the fold over their STATS_FIELDS projection (any sub-ledger, any extra fields)', () => {
    const relevant = events.filter((e) => STATS_FIELDS[e.type] !== undefined);
    fc.assert(
      fc.property(
        fc.subarray(relevant, { minLength: 0 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
        (subset, junk) => {
          // Fields the fold must not read: added to every full payload, they must change nothing.
          const withJunk = subset.map((e) => ({ ...full(e), payload: { ...junk, ...(e.payload as object) } }));
          expect(foldStats(withJunk)).toEqual(foldStats(subset.map((e) => toStatsEvent(e)!)));
        },
      ),
      { seed: 20261202, numRuns: 25 },
    );
  });

  it('P3: `suiji stats --from-export` prints the same numbers as `suiji stats` on the ledger', () => {
    const dir = demo.copy();
    const out = demo.dir('cli-export');
    const live = runCli(['stats', '--data', dir, '--year', '2026', '--as-of', AS_OF, '--format', 'csv', '--write-export', out]);
    expect(live.status, live.stderr).toBe(0);
    const recomputed = runCli(['stats', '--from-export', out, '--year', '2026', '--format', 'csv']);
    expect(recomputed.status, recomputed.stderr).toBe(0);
    expect(recomputed.stdout).toBe(live.stdout);
    expect(live.stdout.split('\r\n')[0]).toBe(`\uFEFF${statsHeaders.join(',')}`);
    const q = runCli(['stats', '--from-export', out, '--year', '2026', '--quarter', '4', '--department', 'yy-swj-ltfz']);
    const q2 = runCli(['stats', '--data', dir, '--year', '2026', '--quarter', '4', '--department', 'yy-swj-ltfz', '--as-of', AS_OF]);
    expect(q.stdout).toBe(q2.stdout);
    expect(q.stdout).toContain('按时公示结果');
  });

  it('A1: `suiji stats --format xlsx --out F` writes a sheet with Chinese headers and numeric values', async () => {
    const file = demo.dir('stats.xlsx');
    const r = runCli(['stats', '--data', demo.copy(), '--year', '2026', '--as-of', AS_OF, '--format', 'xlsx', '--out', file]);
    expect(r.status, r.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('考核统计')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...statsHeaders]);
    expect(typeof ws.getRow(2).getCell(5).value).toBe('number');
  });

  it('bad options are coded errors naming the option, and write nothing', () => {
    const q = runCli(['stats', '--data', demo.copy(), '--quarter', '5']);
    expect(q.status).not.toBe(0);
    expect(q.stderr).toContain('--quarter');
    const x = runCli(['stats', '--data', demo.copy(), '--format', 'xlsx']);
    expect(x.status).not.toBe(0);
    expect(x.stderr).toContain('--out');
    const e = runCli(['stats', '--from-export', demo.dir('nowhere')]);
    expect(e.status).not.toBe(0);
    expect(e.stderr).toContain('VALIDATION_FAILED');
  });

  it('a tampered export is a coded error naming the line, never a raw exception', () => {
    const bad = demo.dir('tampered');
    cpSync(exportDir(), bad, { recursive: true });
    const file = join(bad, 'stats', 'events.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const [i, replacement] of [[2, '{"position":2,"type":"TargetRegistered"}'], [3, 'not json'], [4, JSON.stringify({ ...JSON.parse(lines[4]!), recordedAt: 'yesterday' })]] as const) {
      const copy = [...lines];
      copy[i] = replacement;
      writeFileSync(file, copy.join('\n'));
      expect(() => openStatsExport(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: `events.jsonl:${i + 1}` } }));
    }
  });

  it('A3: every position a figure lists is an attributed ledger event of a type its definition reads', () => {
    const reads: Record<string, readonly string[]> = {
      'register.targets': ['TargetRegistered', 'TargetTransferred'],
      'register.inspectors': ['InspectorRegistered'],
      'register.experts': ['ExpertRegistered'],
      'register.changes': ['TargetRegistered', 'TargetTransferred', 'TargetUpdated', 'TargetStatusChanged', 'TargetAdmittedToSpecialRegister', 'TargetRemovedFromSpecialRegister', 'InspectorRegistered', 'InspectorUpdated', 'InspectorStatusChanged', 'ExpertRegistered', 'ExpertUpdated', 'ExpertStatusChanged'],
      'plan.coverage': ['ItemListVersionPublished', 'PlanVersionFiled'],
      'plan.estimated': ['PlanDraftSaved', 'PlanVersionFiled'],
      'plan.executed': ['TaskDispatched'],
      'tasks.dispatched': ['TaskDispatched'],
      'tasks.completed': ['TaskDispatched', 'ResultsApproved'],
      'draws.completed': ['DrawCommitted', 'DrawCompleted'],
      'draws.abandoned': ['DrawCommitted', 'DrawAbandoned'],
      'visits.drawn': ['VisitMatched'],
      'visits.assigned': ['VisitAssigned'],
      'visits.unmatched': ['VisitLeftUnmatched'],
      'results.enteredOnTime': ['ResultsSubmitted', 'VisitOutcomeRecorded', 'ResultsApproved', 'VisitFrozen', 'TaskDispatched'],
      'results.publishedOnTime': ['ResultsApproved', 'VisitFrozen', 'TaskDispatched'],
      'results.pending': ['VisitFrozen', 'TaskDispatched'],
      'results.exempt': ['ResultsApproved'],
      'results.corrections': ['ResultCorrected'],
      'objections.received': ['ObjectionReceived'],
      'objections.onTime': ['ObjectionReceived', 'ObjectionDecided', 'ObjectionFeedbackGiven'],
      'followUps.closed': ['FollowUpOpened', 'FollowUpClosed'],
      'nonRandom.inspections': ['NonRandomInspectionRecorded'],
      'nonRandom.targets': ['NonRandomInspectionRecorded'],
    };
    const service = new StatsService({ db: rt.projections.db, calendar: rt.calendar }, { clock: () => new Date(`${AS_OF}T12:00:00+08:00`) });
    let checked = 0;
    for (const f of service.report({ year: 2026 }).total.figures) {
      for (const p of expandPositions(f.positions)) {
        const e = events[p]!;
        expect(reads[f.key], `${f.key} lists ${p} (${e.type})`).toContain(e.type);
        expect(e.actor.userId, `${f.key} at ${p}`).not.toBe('');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});
