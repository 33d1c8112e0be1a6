/**
 * Issue 10: a county year's results — 5,000 targets × 2 items — on the real ledger, read models
 * and services. Set-up, through the services the routes call (never hand-written events): the
 * demo county's register with the county-year bench's inspectors and a two-item list, one ad-hoc
 * task of the circulation office over 5,000 targets (both items key items: no L2 cap), its draw,
 * lock and dispatch to the units of the targets' jurisdictions, and the per-visit inspector
 * matching of bench/county-year-matching.ts. Then, timed per step over all visits:
 *
 *   record      the minimal on-site record (E4): pre-check, on-site (two present), the target
 *               signs, two inspectors sign (A3), the leader closes (E1)
 *   submit      the leader's results, one per item (E5)
 *   review      the unit principal approves: results and their notice in one append (P2)
 *   deadlines   E5 over every visit: `ResultService.list` (read model + result stream + deadline)
 *               and the pure `publicationDeadline` over the visits' task windows
 *
 * Baselines in the same run: a raw SQLite insert of the same result rows (one transaction, no
 * ledger), and the bare calendar `addWorkingDays` over the same 5,000 dates (and over 5,000 distinct dates of
 * 2026). Ratios are step / baseline.
 *
 *   RESULTS_YEAR_VISITS=500 npx tsc -p tsconfig.json --outDir /tmp/suiji-bench && node /tmp/suiji-bench/bench/results-year.js
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DrawService } from '../src/app/draws/index.js';
import { InspectionService } from '../src/app/inspections/index.js';
import { PlanService } from '../src/app/plans/index.js';
import { ResultService } from '../src/app/results/index.js';
import { TaskService } from '../src/app/tasks/index.js';
import { VisitService } from '../src/app/visits/index.js';
import { generateDemo, planDemoWrites, yiyuan } from '../src/cli/demo/index.js';
import { openRuntime } from '../src/cli/runtime.js';
import type { Actor } from '../src/domain/actor.js';
import type { CommandMetadata } from '../src/domain/decider.js';
import type { RegisterCommand } from '../src/domain/registers/index.js';
import { defaultResultPeriods, publicationDeadline } from '../src/domain/results/index.js';
import { listVisits, type VisitView } from '../src/projections/visits/index.js';
import { perVisitMatching } from './county-year-matching.js';
import type { CountyYearContext } from './county-year-context.js';
import { NOW, REVEAL_DEADLINE, SECRETS, SEED, benchInspectors, entropy, operatorOf, principalOf } from './county-year-world.js';
import { envInt, rate, writeResult } from './util.js';

export interface ResultsYearKnobs {
  /** Visits (= targets drawn) of the year (issue 10: 5,000). */
  readonly visits: number;
  /** Register targets per inspector the bench adds to a unit: enough inspectors that a batch of matching is large. */
  readonly targetsPerInspector: number;
}

export const resultsYearKnobs: ResultsYearKnobs = { visits: 5_000, targetsPerInspector: 10 };

const UNIT = yiyuan.OFFICE_CIRCULATION;
const ITEMS = ['RY-01', 'RY-02'] as const;
const WINDOW = { from: '2026-03-01', to: '2026-06-30' } as const;
/** The day results are entered and reviewed: within E5's 20 working days after the window. */
const RESULTS_CLOCK = new Date('2026-07-10T02:00:00.000Z');

export interface ResultsYearResult {
  readonly knobs: ResultsYearKnobs;
  readonly counts: { targets: number; visits: number; matched: number; results: number; published: number; notices: number; overdue: number; provisionalDeadlines: number; events: number };
  /** Set-up milliseconds (register, task and draw, matching): not part of the ratios. */
  readonly setupMs: Record<string, number>;
  readonly ms: Record<string, number>;
  readonly perSecond: Record<string, number>;
  /** addWorkingDays: the pure step's own inputs; addWorkingDaysYear: as many distinct dates over 2026. */
  readonly baselineMs: { sqliteInsert: number; addWorkingDays: number; addWorkingDaysYear: number };
  readonly ratios: Record<string, number>;
}

/** The demo register, grown until it has `visits` active targets, plus the bench's inspectors and the two-item list. */
function registerCommands(k: ResultsYearKnobs): { commands: RegisterCommand[]; targets: number } {
  for (let n = Math.ceil(k.visits * 1.2); ; n = Math.ceil(n * 1.1)) {
    const demo = generateDemo({ seed: SEED, targets: n, now: NOW });
    const targets = demo.commands.flatMap((c) => (c.type === 'RegisterTarget' ? [c.data] : []));
    if (targets.filter((t) => t.status === 'active').length < k.visits) continue;
    const admin = { userId: 'yy-admin', role: 'admin', department: yiyuan.BUREAU } as const;
    const meta = (id: string) => ({ actor: admin, now: NOW, commandId: `results-year-${id}` });
    const inspectors = benchInspectors({ targets: n, tasks: 1, items: 2, keyShare: 1, targetsPerInspector: k.targetsPerInspector }, targets);
    const list: RegisterCommand = {
      type: 'PublishItemList',
      data: {
        departmentId: yiyuan.BUREAU,
        reason: '结果基准测试事项清单',
        items: ITEMS.map((itemId) => ({ itemId, name: `结果基准事项 ${itemId}`, targetType: '商贸流通经营者', category: 'key' as const, method: ['onSite' as const], inspectingBody: UNIT, legalBasis: '《商务领域“双随机、一公开”监管工作指引》' })),
      },
      metadata: meta('items'),
    };
    return { commands: [...demo.commands, list, ...inspectors.map((data, i): RegisterCommand => ({ type: 'RegisterInspector', data, metadata: meta(`inspector-${i + 1}`) }))], targets: n };
  }
}

function stopwatch() {
  const ms: Record<string, number> = {};
  return {
    ms,
    async time<T>(step: string, f: () => Promise<T> | T): Promise<T> {
      const t0 = performance.now();
      try {
        return await f();
      } finally {
        ms[step] = (ms[step] ?? 0) + (performance.now() - t0);
      }
    },
  };
}

const round = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));

export async function runResultsYear(k: ResultsYearKnobs = resultsYearKnobs): Promise<ResultsYearResult> {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-results-year-'));
  const rt = await openRuntime(dir);
  let n = 0;
  const meta = (actor: Actor): CommandMetadata => ({ actor, now: NOW, commandId: `ry-${++n}` });
  const setup = stopwatch();
  const sw = stopwatch();
  const deps = { store: rt.store, projections: rt.projections };
  const draws = new DrawService(deps);
  const ctx: CountyYearContext = {
    rt, meta, done: [], draws, time: setup.time,
    plans: new PlanService(deps),
    tasks: new TaskService(deps),
    visits: new VisitService({ ...deps, draws }),
  };
  const records = new InspectionService(deps);
  const results = new ResultService({ ...deps, calendar: rt.calendar }, { clock: () => RESULTS_CLOCK });
  try {
    const { commands, targets } = registerCommands(k);
    await setup.time('registers seed', async () => {
      const writes = planDemoWrites(commands);
      for (let i = 0; i < writes.length; i += 2000) await rt.store.appendMulti(writes.slice(i, i + 2000));
      await rt.projections.catchUp();
    });
    await setup.time('task, draw, lock, dispatch', async () => {
      const { taskId } = await ctx.tasks.create(meta(operatorOf(UNIT)), {
        departmentId: UNIT, name: '2026年商贸流通经营者结果基准抽查', items: [...ITEMS], directional: true, adHoc: true, adHocReason: '基准测试：一县一年的抽查结果',
        classes: [{ name: '全部在营对象', filter: {}, quota: { count: k.visits } }], window: WINDOW, executingUnits: yiyuan.departments.map((d) => d.departmentId), publishList: true,
      });
      const drawId = await ctx.draws.commitTargets(meta(operatorOf(UNIT)), { task: taskId, item: ITEMS[0], classes: [{ name: '全部在营对象', filter: {}, quota: { count: k.visits } }], entropy, revealDeadline: REVEAL_DEADLINE });
      for (const [i, secret] of SECRETS.entries()) await ctx.draws.revealWitness(meta(operatorOf(UNIT)), drawId, { witness: `w${i + 1}`, secret });
      await ctx.draws.complete(meta(operatorOf(UNIT)), drawId);
      await ctx.tasks.lock(meta(principalOf(UNIT)), taskId, drawId);
      await ctx.tasks.dispatch(meta(principalOf(UNIT)), taskId);
    });
    await setup.time('matching', () => perVisitMatching.run(ctx));
    await rt.projections.catchUp();
    const all = listVisits(rt.projectionDb, { limit: 1_000_000 });
    const visits = all.filter((v): v is VisitView & { group: { leader: string; members: string[] } } => v.status === 'matched' && v.group !== null && v.group.leader !== null && v.group.members.length >= 2);

    for (const v of visits) {
      const leader = v.group.leader;
      const present = [leader, v.group.members.find((m) => m !== leader)!];
      const inspector = (id: string): Actor => ({ userId: id, role: 'inspector', department: v.executingUnit });
      await sw.time('record', async () => {
        await records.preCheck(meta(inspector(leader)), v.visitId, { consulted: ['登记信息'], found: '无异常', method: 'onSite' });
        await records.onSite(meta(inspector(leader)), v.visitId, {
          present, credentialsShown: true, noticeNumber: `RY-${v.visitId}`.slice(0, 100), findings: v.items.map((itemId) => ({ itemId, answer: 'conforms' })), measures: ['onSiteRecord'], rectification: { status: 'notNeeded' }, evidence: [],
        });
        await records.targetAnswer(meta(inspector(leader)), v.visitId, { signed: { name: '负责人', role: '经营者' } });
        for (const m of present) await records.sign(meta(inspector(m)), v.visitId);
        await records.close(meta(inspector(leader)), v.visitId);
      });
      await sw.time('submit', () => results.submit(meta(inspector(leader)), v.visitId, v.items.map((itemId) => ({ itemId, category: 'noProblem' }))));
      await sw.time('review+publish', () => results.review(meta(principalOf(v.executingUnit)), v.visitId, { decision: 'approve' }));
    }

    // E5 over the whole year: the staff list (every visit's stream and deadline), and the pure computation alone.
    const listed = await sw.time('deadlines (ResultService.list)', async () => {
      const items = [];
      for (let after: string | undefined; ; ) {
        const page = await results.list({ ...(after !== undefined && { after }), limit: 500 });
        items.push(...page.items);
        if (page.next === null) return items;
        after = page.next;
      }
    });
    const pure = await sw.time('deadlines (publicationDeadline, pure)', () => visits.map((v) => publicationDeadline(v.tasks, rt.calendar, defaultResultPeriods)));

    // Baselines, same run: the same result rows into a bare SQLite table; addWorkingDays over as many dates.
    const rows = visits.flatMap((v) => v.items.map((itemId) => [v.visitId, itemId, 'noProblem', 'published'] as const));
    const raw = new Database(join(dir, 'baseline.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE results (visit_id TEXT, item_id TEXT, category TEXT, status TEXT, PRIMARY KEY (visit_id, item_id))');
    const insert = raw.prepare('INSERT INTO results VALUES (?, ?, ?, ?)');
    let t0 = performance.now();
    raw.transaction(() => rows.forEach((r) => insert.run(...r)))();
    const sqliteInsert = performance.now() - t0;
    raw.close();
    // The same inputs as the pure step (each visit's earliest window end), so the ratio is publicationDeadline's own cost;
    // and 5,000 distinct dates over the year, so a calendar that only did well on one repeated date would show.
    const sameDates = visits.map((v) => v.tasks.map((t) => t.window.to).sort()[0]!);
    t0 = performance.now();
    for (const d of sameDates) rt.calendar.addWorkingDays(d, defaultResultPeriods.publishWithin);
    const addWorkingDays = performance.now() - t0;
    const yearDates = visits.map((_, i) => new Date(Date.UTC(2026, 0, 1 + (i % 365))).toISOString().slice(0, 10));
    t0 = performance.now();
    for (const d of yearDates) rt.calendar.addWorkingDays(d, defaultResultPeriods.publishWithin);
    const addWorkingDaysYear = performance.now() - t0;

    const head = await rt.store.head();
    const ms = sw.ms;
    const ingest = (ms.record ?? 0) + (ms.submit ?? 0) + (ms['review+publish'] ?? 0);
    return {
      knobs: k,
      counts: {
        targets,
        visits: all.length,
        matched: visits.length,
        results: rows.length,
        published: listed.filter((r) => r.status === 'published').length,
        notices: listed.filter((r) => r.noticeId !== null).length,
        overdue: listed.filter((r) => r.overdue || r.late).length,
        provisionalDeadlines: pure.filter((d) => d.provisional).length,
        events: head.size,
      },
      setupMs: round(setup.ms),
      ms: round(ms),
      perSecond: {
        'visits recorded': rate(visits.length, ms.record ?? 1),
        'results submitted (rows)': rate(rows.length, ms.submit ?? 1),
        'results reviewed+published (rows)': rate(rows.length, ms['review+publish'] ?? 1),
        'deadlines via list': rate(listed.length, ms['deadlines (ResultService.list)'] ?? 1),
        'deadlines pure': rate(pure.length, ms['deadlines (publicationDeadline, pure)'] ?? 1),
      },
      baselineMs: { sqliteInsert: +sqliteInsert.toFixed(2), addWorkingDays: +addWorkingDays.toFixed(2), addWorkingDaysYear: +addWorkingDaysYear.toFixed(2) },
      ratios: {
        'submit+review vs raw SQLite insert': +(((ms.submit ?? 0) + (ms['review+publish'] ?? 0)) / Math.max(sqliteInsert, 0.01)).toFixed(1),
        'record+submit+review vs raw SQLite insert': +(ingest / Math.max(sqliteInsert, 0.01)).toFixed(1),
        'deadlines via list vs bare addWorkingDays': +((ms['deadlines (ResultService.list)'] ?? 0) / Math.max(addWorkingDays, 0.01)).toFixed(1),
        'deadlines pure vs bare addWorkingDays': +((ms['deadlines (publicationDeadline, pure)'] ?? 0) / Math.max(addWorkingDays, 0.01)).toFixed(1),
      },
    };
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchResultsYear(): Promise<object> {
  const result = await runResultsYear({ ...resultsYearKnobs, visits: envInt('RESULTS_YEAR_VISITS', resultsYearKnobs.visits) });
  writeResult('results-year', result);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchResultsYear();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
