/**
 * The demo year (issue 9): after the registers, a year of the workflow driven through the real
 * application services — the code the HTTP routes run — as the demo's own users, deterministic
 * from the demo seed (command ids and instants are fixed; the pools come from the seeded register).
 * One function per step, in the order of the year, so later work adds its step in its place.
 */
import { listVisitsCount } from './visits.js';
import { yearContext, type YearDeps } from './context.js';
import { recordComplaint } from './inspections.js';
import { filePlans } from './plans.js';
import { runTask, taskSpecs, type TaskOutcome } from './tasks.js';

export { demoWitnessSecret } from './draws.js';
export { COMPLAINT_ID } from './inspections.js';
export { YEAR, inspectingDepartments } from './plans.js';
export { taskSpecs, type TaskOutcome, type TaskSpec } from './tasks.js';

export interface YearSummary {
  readonly plansFiled: number;
  readonly planAdjustments: number;
  readonly tasks: readonly TaskOutcome[];
  readonly draws: number;
  readonly dispatched: number;
  readonly nonRandomInspections: number;
  /** Visits (T5) after the last dispatch, and how many merge two or more tasks. */
  readonly visits: number;
  readonly mergedVisits: number;
}

/**
 * Not yet (built in parallel): a joint task — a lead department with participating departments
 * (`participants` on a task) — created, drawn, locked and dispatched here, between the
 * single-department tasks and the matching step.
 */
async function jointTask(): Promise<TaskOutcome[]> {
  return [];
}

/**
 * Not yet (built in parallel): inspector matching per visit (T6–T8, T10) — for each dispatched
 * task's visits, an inspector-group draw committed, revealed and completed here.
 */
async function matchInspectors(): Promise<number> {
  return 0;
}

export async function seedDemoYear(deps: YearDeps, seed: number): Promise<YearSummary> {
  const ctx = yearContext(deps, seed);
  const plans = await filePlans(ctx);
  const tasks: TaskOutcome[] = [];
  for (const spec of taskSpecs) tasks.push(await runTask(ctx, spec));
  tasks.push(...(await jointTask()));
  await matchInspectors();
  const complaints = (await recordComplaint(ctx)) ? 1 : 0;
  await deps.projections.catchUp();
  const { visits, merged } = listVisitsCount(ctx.db);
  return {
    plansFiled: plans.filed,
    planAdjustments: plans.adjustments,
    tasks,
    draws: tasks.filter((t) => t.drawId !== null).length,
    dispatched: tasks.filter((t) => t.stage === 'dispatched').length,
    nonRandomInspections: complaints,
    visits,
    mergedVisits: merged,
  };
}
