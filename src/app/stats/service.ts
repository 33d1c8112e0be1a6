/**
 * P3/A1: assessment statistics for GET /stats, `suiji stats` and the public page — the figures
 * computed from the stats read model with the statutory calendar, the configured periods (A4)
 * and today (Asia/Shanghai).
 */
import type { Database } from 'better-sqlite3';
import { shanghaiDate, type WorkingCalendar } from '../../domain/calendar/index.js';
import { defaultResultPeriods, type ResultPeriods } from '../../domain/results/index.js';
import { computeStats, type StatsQuery, type StatsReport } from '../../domain/stats/index.js';
import type { StatsEntity } from '../../domain/stats/index.js';
import { loadStatsEntities, statsPosition } from '../../projections/stats/index.js';

export interface StatsConfig {
  /** A4: E5/E7 periods in working days (default 20, 20, 15). */
  readonly periods?: ResultPeriods;
  /** Tests fix the day; default the system clock. */
  readonly clock?: () => Date;
}

export class StatsService {
  readonly periods: ResultPeriods;
  private readonly clock: () => Date;
  /** The entities as of a checkpoint: a public page view reloads them only when the ledger moved. */
  private cache: { position: number; entities: StatsEntity[] } | null = null;

  constructor(private readonly deps: { readonly db: Database; readonly calendar: WorkingCalendar }, config: StatsConfig = {}) {
    this.periods = config.periods ?? defaultResultPeriods;
    this.clock = config.clock ?? (() => new Date());
  }

  today(): string {
    return shanghaiDate(this.clock().getTime());
  }

  report(query: StatsQuery): StatsReport {
    const position = statsPosition(this.deps.db);
    if (this.cache?.position !== position) this.cache = { position, entities: loadStatsEntities(this.deps.db) };
    return computeStats(this.cache.entities, query, { calendar: this.deps.calendar, periods: this.periods, asOf: this.today() });
  }
}
