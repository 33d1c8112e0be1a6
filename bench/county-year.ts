/**
 * Issue 9: a county year end to end on the real ledger, read models and services — registers
 * (60,000 targets, six departments, a 40-item list), each department's filed and acknowledged
 * 2026 plan, 200 tasks, each task's target draw (witness entropy with fixed secrets: the bench
 * measures the system, not a ceremony) committed, revealed and completed, its list locked and
 * dispatched, the visits (T5) computed by their projection, and each executing unit's per-visit
 * inspector matching (T6, bench/county-year-matching.ts). Each step is timed over the whole year. Then the merge itself: the pure `mergeVisits` over the year's
 * dispatched assignments against a plain SQLite GROUP BY of the same rows (the baseline,
 * measured in the same run), and against the projection's incremental result.
 *
 *   SUIJI_BENCH_SCALE=0.1 npx tsc -p tsconfig.json --outDir /tmp/suiji-bench && node /tmp/suiji-bench/bench/county-year.js
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planDemoWrites } from '../src/cli/demo/index.js';
import { openRuntime } from '../src/cli/runtime.js';
import { DrawService } from '../src/app/draws/index.js';
import { PlanService } from '../src/app/plans/index.js';
import { TaskService } from '../src/app/tasks/index.js';
import type { Actor } from '../src/domain/actor.js';
import type { CommandMetadata } from '../src/domain/decider.js';
import { ProjectionRunner, openProjectionDb } from '../src/projections/runner.js';
import { visitsProjection } from '../src/projections/visits/index.js';
import { VisitService } from '../src/app/visits/index.js';
import {
  BUREAU, NOW, REVEAL_DEADLINE, SECRETS, YEAR, entropy, knobsFromEnv, operatorOf, planDrafts, principalOf, registerCommands, taskPlans, type CountyYearKnobs,
} from './county-year-world.js';
import type { CountyYearContext, MatchingStep, UnitMatching } from './county-year-context.js';
import { perVisitMatching } from './county-year-matching.js';
import { compareMerge, readYearAssignments, type MergeComparison } from './county-year-merge.js';
import { writeResult } from './util.js';

export interface CountyYearResult {
  readonly knobs: CountyYearKnobs;
  readonly counts: {
    events: number; targets: number; inspectors: number; plans: number; tasks: number; drawn: number; assignments: number; visits: number; mergedVisits: number;
    matchingDraws: number; visitsMatched: number; visitsUnmatched: number; visitMatchedEvents: number;
  };
  /** Milliseconds per step, over the whole year. */
  readonly ms: Record<string, number>;
  readonly totalMs: number;
  readonly matchingLabel: string;
  /** Per executing unit: its inspector pool, batch size, visits, draws, matched and unmatched. */
  readonly matching: readonly UnitMatching[];
  readonly merge: MergeComparison;
}

/** A stopwatch that adds up the time of each named step across the year's tasks. */
function stopwatch() {
  const ms: Record<string, number> = {};
  return {
    ms,
    async time<T>(step: string, f: () => Promise<T>): Promise<T> {
      const t0 = performance.now();
      try {
        return await f();
      } finally {
        ms[step] = (ms[step] ?? 0) + (performance.now() - t0);
      }
    },
  };
}

export async function runCountyYear(knobs: CountyYearKnobs, matching: MatchingStep = perVisitMatching): Promise<CountyYearResult> {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-county-year-'));
  const rt = await openRuntime(dir);
  let n = 0;
  const meta = (actor: Actor): CommandMetadata => ({ actor, now: NOW, commandId: `cy-${++n}` });
  const sw = stopwatch();
  const draws = new DrawService({ store: rt.store, projections: rt.projections });
  const ctx: CountyYearContext = {
    rt, meta, done: [], draws, time: sw.time,
    plans: new PlanService({ store: rt.store, projections: rt.projections }),
    tasks: new TaskService({ store: rt.store, projections: rt.projections }),
    visits: new VisitService({ store: rt.store, projections: rt.projections, draws }),
  };
  const t0 = performance.now();
  try {
    const { commands, targets, inspectors } = registerCommands(knobs);
    await sw.time('registers seed', async () => {
      const writes = planDemoWrites(commands);
      for (let i = 0; i < writes.length; i += 2000) await rt.store.appendMulti(writes.slice(i, i + 2000));
      await rt.projections.catchUp();
    });

    const drafts = planDrafts(knobs);
    await sw.time('plans (draft+file+ack)', async () => {
      for (const draft of drafts) {
        const d = draft.departmentId;
        await ctx.plans.saveDraft(meta(operatorOf(d)), draft);
        await ctx.plans.file(meta(principalOf(d)), { departmentId: d, year: YEAR, version: 1 });
        // PL1: the bureau is the root: its filing goes to nobody, so nobody acknowledges it.
        if (d !== BUREAU) await ctx.plans.acknowledge(meta(principalOf(BUREAU)), { departmentId: d, year: YEAR, version: 1 });
      }
    });

    for (const planned of taskPlans(knobs, targets)) {
      const d = planned.draft.departmentId;
      const { taskId } = await sw.time('task creation', () => ctx.tasks.create(meta(operatorOf(d)), planned.draft));
      const drawId = await sw.time('draw commit', () =>
        ctx.draws.commitTargets(meta(operatorOf(d)), { task: taskId, item: planned.drawItem, classes: planned.draft.classes, entropy, revealDeadline: REVEAL_DEADLINE }),
      );
      const record = await sw.time('reveal+complete', async () => {
        for (const [i, secret] of SECRETS.entries()) await ctx.draws.revealWitness(meta(operatorOf(d)), drawId, { witness: `w${i + 1}`, secret });
        return ctx.draws.complete(meta(operatorOf(d)), drawId);
      });
      await sw.time('lock', () => ctx.tasks.lock(meta(principalOf(d)), taskId, drawId));
      await sw.time('dispatch', () => ctx.tasks.dispatch(meta(principalOf(d)), taskId));
      const drawn = 'merged' in record.result ? record.result.merged.length : 0;
      ctx.done.push({ taskId, departmentId: d, drawId, targets: drawn });
    }

    // The visits projection alone, caught up from an empty read model over the whole year's
    // ledger (the server's runner has applied it incrementally, interleaved with the other steps).
    const visitsDir = join(dir, 'visits-only');
    mkdirSync(visitsDir);
    const visitsDb = openProjectionDb(visitsDir);
    const visitsRunner = new ProjectionRunner(rt.store, visitsDb, [visitsProjection]);
    let merge: MergeComparison;
    try {
      await sw.time('visit projection catch-up', () => visitsRunner.catchUp());
      await rt.projections.catchUp();
      const assignments = await readYearAssignments(rt.store);
      merge = compareMerge(assignments, visitsDb, rt.projectionDb);
    } finally {
      await visitsRunner.stop();
      visitsDb.close();
    }

    const matched = await sw.time(matching.label, () => matching.run(ctx));
    const totalMs = performance.now() - t0;
    const head = await rt.store.head();
    return {
      knobs,
      counts: {
        events: head.size,
        targets: targets.length,
        inspectors,
        plans: drafts.length,
        tasks: ctx.done.length,
        drawn: ctx.done.reduce((s, t) => s + t.targets, 0),
        assignments: merge.assignments,
        visits: merge.visits,
        mergedVisits: merge.mergedVisits,
        matchingDraws: matched.draws,
        visitsMatched: matched.visitsMatched,
        visitsUnmatched: matched.visitsUnmatched,
        visitMatchedEvents: matched.visitMatchedEvents,
      },
      ms: Object.fromEntries(Object.entries(sw.ms).map(([k, v]) => [k, Math.round(v)])),
      totalMs: Math.round(totalMs),
      matchingLabel: `${matching.label}: ${matched.draws} draws, ${matched.visitsMatched} visits matched, ${matched.visitsUnmatched} unmatched`,
      matching: matched.perUnit,
      merge,
    };
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCountyYear(): Promise<object> {
  const result = await runCountyYear(knobsFromEnv());
  writeResult('county-year', result);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchCountyYear();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
