/**
 * What every step of the demo year shares: the application services the HTTP routes use, the
 * read models, the demo's real users, and deterministic command metadata (the command id is
 * `demo-<seed>-year-<n>`, the time a fixed instant of 2026 chosen by the step), so one seed
 * always writes the same events.
 */
import type { Database } from 'better-sqlite3';
import type { Actor } from '../../../domain/actor.js';
import type { CommandMetadata } from '../../../domain/decider.js';
import { DrawService } from '../../../app/draws/index.js';
import { EvidenceService } from '../../../app/evidence/index.js';
import { FollowUpService } from '../../../app/followups/index.js';
import { FormService } from '../../../app/forms/index.js';
import { InspectionService } from '../../../app/inspections/index.js';
import { ResultService } from '../../../app/results/index.js';
import type { WorkingCalendar } from '../../../domain/calendar/index.js';
import { NonRandomInspectionService } from '../../../app/nonrandom-inspections/index.js';
import { PlanService } from '../../../app/plans/index.js';
import { TaskService } from '../../../app/tasks/index.js';
import { TransferService } from '../../../app/transfers/index.js';
import { VisitService } from '../../../app/visits/index.js';
import type { ProjectionRunner } from '../../../projections/runner.js';
import type { EvidenceStore } from '../../../store/evidence/index.js';
import type { EventStore } from '../../../store/port.js';

export interface YearDeps {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  /** The statutory calendar of the data directory (E5/E7 deadlines). */
  readonly calendar: WorkingCalendar;
  /** The data directory's evidence store (E10). */
  readonly evidence: EvidenceStore;
}

export interface YearContext {
  readonly plans: PlanService;
  readonly tasks: TaskService;
  readonly draws: DrawService;
  readonly inspections: NonRandomInspectionService;
  readonly visits: VisitService;
  readonly forms: FormService;
  /** The on-site record (E1, E4, A3). */
  readonly records: InspectionService;
  readonly evidence: EvidenceService;
  /**
   * Results (E5–E7) as of `at`: the service stamps each step with its clock (the day E5/E7
   * measure), so the demo gives it the step's fixed instant rather than the system clock.
   */
  resultsAt(at: string): ResultService;
  /** E8 transfers and E9 follow-ups (they stamp the command's own instant). */
  readonly transfers: TransferService;
  readonly followUps: FollowUpService;
  readonly deps: YearDeps;
  readonly projections: ProjectionRunner;
  readonly db: Database;
  /** Metadata of the next command: `at` is an instant of the demo year (ISO, UTC). */
  meta(actor: Actor, at: string): CommandMetadata;
}

export function yearContext(deps: YearDeps, seed: number): YearContext {
  let n = 0;
  // No config: the server's defaults (serve passes none), so the demo obeys the caps it serves.
  const draws = new DrawService(deps);
  return {
    plans: new PlanService(deps),
    tasks: new TaskService(deps),
    draws,
    inspections: new NonRandomInspectionService(deps),
    visits: new VisitService({ ...deps, draws }),
    forms: new FormService(deps),
    records: new InspectionService(deps),
    evidence: new EvidenceService(deps),
    resultsAt: (instant) => new ResultService(deps, { clock: () => new Date(instant) }),
    transfers: new TransferService(deps),
    followUps: new FollowUpService(deps),
    deps,
    projections: deps.projections,
    get db() {
      return deps.projections.db;
    },
    meta: (actor, at) => ({ actor, now: at, commandId: `demo-${seed}-year-${++n}` }),
  };
}

/** The demo's registered users (src/cli/demo/generate.ts): `<department>-op` and `<department>-pr`. */
export const operatorOf = (department: string): Actor => ({ userId: `${department}-op`, role: 'operator', department });
export const principalOf = (department: string): Actor => ({ userId: `${department}-pr`, role: 'principal', department });

/** `day` (YYYY-MM-DD) at `hh:mm` China time (UTC+8), as the UTC instant metadata carries. */
export const at = (day: string, hhmm = '09:00'): string => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(Date.parse(`${day}T00:00:00Z`) + ((h - 8) * 60 + m) * 60_000).toISOString();
};

/** An instant `minutes` after `iso`. */
export const later = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
