/**
 * P3/A1: assessment statistics for GET /stats, `suiji stats` and the public page — the figures
 * computed from the stats read model with the statutory calendar, the configured periods (A4)
 * and today (Asia/Shanghai).
 */
import type { Database } from 'better-sqlite3';
import { shanghaiDate, type WorkingCalendar } from '../../domain/calendar/index.js';
import { defaultResultPeriods, type ResultPeriods } from '../../domain/results/index.js';
import { computeStats, type StatsQuery, type StatsReport } from '../../domain/stats/index.js';
import { loadStatsEntities } from '../../projections/stats/index.js';

export interface StatsConfig {
  /** A4: E5/E7 periods in working days (default 20, 20, 15). */
  readonly periods?: ResultPeriods;
  /** Tests fix the day; default the system clock. */
  readonly clock?: () => Date;
}

export class StatsService {
  readonly periods: ResultPeriods;
  private readonly clock: () => Date;

  constructor(private readonly deps: { readonly db: Database; readonly calendar: WorkingCalendar }, config: StatsConfig = {}) {
    this.periods = config.periods ?? defaultResultPeriods;
    this.clock = config.clock ?? (() => new Date());
  }

  today(): string {
    return shanghaiDate(this.clock().getTime());
  }

  report(query: StatsQuery): StatsReport {
    return computeStats(loadStatsEntities(this.deps.db), query, { calendar: this.deps.calendar, periods: this.periods, asOf: this.today() });
  }
}
