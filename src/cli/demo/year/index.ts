/**
 * The demo year (issue 9): after the registers, a year of the workflow driven through the real
 * application services — the code the HTTP routes run — as the demo's own users, deterministic
 * from the demo seed (command ids and instants are fixed; the pools come from the seeded register).
 * One function per step, in the order of the year, so later work adds its step in its place.
 */
import { listVisitsCount } from './visits.js';
import { yearContext, type YearDeps } from './context.js';
import { recordComplaint } from './inspections.js';
import { seedInspections, type InspectionsSummary } from './inspections-states.js';
import { jointTask } from './joint.js';
import { matchInspectors } from './matching.js';
import { filePlans } from './plans.js';
import { runTask, taskSpecs, type TaskOutcome } from './tasks.js';

export { demoWitnessSecret } from './draws.js';
export { COMPLAINT_ID } from './inspections.js';
export { inspectionStates, type InspectionDemoState, type InspectionsSummary } from './inspections-states.js';
export { jointTaskSpec } from './joint.js';
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
  /** T6: visits matched (every contributor's group exists); the rest are unmatched. */
  readonly matchedVisits: number;
  /** T6/T10: matching draws in the order written, the replacement draw last. */
  readonly matchingDraws: readonly string[];
  /** T8: the visit assigned directly; T10: the visit whose member was replaced. */
  readonly assignedVisit: string;
  readonly replacedVisit: string;
  /** Issue 10: matched visits' inspections and results, one per state. */
  readonly inspections: InspectionsSummary;
}

export async function seedDemoYear(deps: YearDeps, seed: number): Promise<YearSummary> {
  const ctx = yearContext(deps, seed);
  const plans = await filePlans(ctx);
  const tasks: TaskOutcome[] = [];
  for (const spec of taskSpecs) tasks.push(await runTask(ctx, spec));
  tasks.push(...(await jointTask(ctx)));
  const matching = await matchInspectors(ctx);
  const inspections = await seedInspections(ctx);
  const complaints = (await recordComplaint(ctx)) ? 1 : 0;
  await deps.projections.catchUp();
  const { visits, merged, matched } = listVisitsCount(ctx.db);
  return {
    plansFiled: plans.filed,
    planAdjustments: plans.adjustments,
    tasks,
    draws: tasks.filter((t) => t.drawId !== null).length,
    dispatched: tasks.filter((t) => t.stage === 'dispatched').length,
    nonRandomInspections: complaints,
    visits,
    mergedVisits: merged,
    matchedVisits: matched,
    matchingDraws: matching.draws,
    assignedVisit: matching.assigned,
    replacedVisit: matching.replaced,
    inspections,
  };
}
