/**
 * What the county-year bench's steps share (bench/county-year.ts runs the year, bench/county-year-matching.ts
 * is its matching step, bench/results-year.ts reuses the context): types only, so the year and its
 * steps import this file and not each other.
 */
import type { Runtime } from '../src/cli/runtime.js';
import type { DrawService } from '../src/app/draws/index.js';
import type { PlanService } from '../src/app/plans/index.js';
import type { TaskService } from '../src/app/tasks/index.js';
import type { VisitService } from '../src/app/visits/index.js';
import type { Actor } from '../src/domain/actor.js';
import type { CommandMetadata } from '../src/domain/decider.js';

export interface CountyYearContext {
  readonly rt: Runtime;
  readonly draws: DrawService;
  readonly plans: PlanService;
  readonly tasks: TaskService;
  readonly visits: VisitService;
  readonly meta: (actor: Actor) => CommandMetadata;
  /** Per task: its number, department and completed target draw. */
  readonly done: { taskId: string; departmentId: string; drawId: string; targets: number }[];
  /** Adds the time of `f` to the named step of the year's `ms`. */
  readonly time: <T>(step: string, f: () => Promise<T>) => Promise<T>;
}

/** What the matching step did over the year. */
export interface MatchingOutcome {
  readonly draws: number;
  /** Visits matched / left unmatched at the end, as the visits read model has them. */
  readonly visitsMatched: number;
  readonly visitsUnmatched: number;
  /** `VisitMatched` events the applications appended. */
  readonly visitMatchedEvents: number;
  readonly perUnit: readonly UnitMatching[];
}

/** The matching step (bench/county-year-matching.ts: per-visit matching draws in batches). */
export interface MatchingStep {
  readonly label: string;
  run(ctx: CountyYearContext): Promise<MatchingOutcome>;
}


export interface UnitMatching {
  readonly unit: string;
  readonly inspectors: number;
  readonly batchSize: number;
  readonly visits: number;
  readonly draws: number;
  readonly matched: number;
  readonly unmatched: number;
}
