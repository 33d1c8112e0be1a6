/**
 * Pool queries (T3, V2) over a large comprehensive register: `poolOf` (every matching uscc, the
 * lottery's input) and `queryTargets` (one page plus the total) for realistic filters, against
 * a raw `SELECT uscc FROM reg_targets` full scan in the same run.
 *
 *   BENCH_POOL_TARGETS (default 1000000)   targets in the projection
 *   BENCH_POOL_RUNS (default 5)            runs per query; the median is reported
 *
 * Loading takes the fast path: synthetic TargetRegistered (and special-register) RecordedEvents
 * are fed straight into `targetsProjection.apply` in one transaction — the real projection
 * code and tables, but not through the ledger (appending 10^6 events is bench/append.ts's job,
 * replaying them bench/projection-rebuild.ts's).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTargets } from '../src/cli/demo/index.js';
import { specialRegisters } from '../src/cli/demo/yiyuan.js';
import { failedIndicator } from '../src/domain/registers/index.js';
import { poolOf, queryTargets, targetsProjection } from '../src/projections/registers/index.js';
import { openProjectionDb } from '../src/projections/runner.js';
import type { RecordedEvent } from '../src/store/port.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench', role: 'system', department: 'system' } as const;
const recordedAt = '2026-01-05T01:00:00.000Z';

const recorded = (position: number, streamId: string, type: string, payload: unknown): RecordedEvent => ({
  position, streamId, revision: 0, eventId: `bench-${position}`, type, schemaVersion: 1, recordedAt, actor,
  correlationId: 'bench', causationId: null, payload, hash: '',
});

/** Realistic pool filters of a county bureau (docs/registers.md "Filter semantics"). */
const filters: Record<string, object> = {
  wholeRegister: {},
  directionalRegionIndustry: { region: ['南麻街道', '历山街道'], industry: ['H62'] },
  riskCD: { riskLevel: ['C', 'D'] },
  dishonest: { dishonest: true },
  specialRegisterPrepaidCards: { specialRegister: 'prepaid-cards' },
  specialRegisterFuelRetail: { specialRegister: 'fuel-retail' },
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function timeRuns<T>(runs: number, fn: () => T): { ms: number; last: T } {
  const times: number[] = [];
  let last = fn(); // warm-up: page cache and statement preparation
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = fn();
    times.push(performance.now() - t0);
  }
  return { ms: Math.round(median(times) * 10) / 10, last };
}

export async function benchPoolQuery(): Promise<object> {
  const n = envInt('BENCH_POOL_TARGETS', 1_000_000);
  const runs = Math.max(1, envInt('BENCH_POOL_RUNS', 5));
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-pool-'));
  const db = openProjectionDb(dir);
  try {
    targetsProjection.setup(db);
    let position = 0;
    let admissions = 0;
    const t0 = performance.now();
    db.transaction(() => {
      for (const r of specialRegisters) {
        targetsProjection.apply(db, recorded(position++, `special-register-${r.registerId}`, 'SpecialRegisterDefined', { ...r, version: 1 }));
      }
      for (const t of demoTargets(20261125, n)) {
        targetsProjection.apply(db, recorded(position++, `target-${t.uscc}`, 'TargetRegistered', t));
        if (t.status !== 'active') continue;
        for (const r of specialRegisters) {
          if (failedIndicator(t, r.standard.indicators) !== null) continue;
          targetsProjection.apply(
            db,
            recorded(position++, `target-${t.uscc}`, 'TargetAdmittedToSpecialRegister', { uscc: t.uscc, registerId: r.registerId, standardVersion: 1 }),
          );
          admissions++;
        }
      }
    })();
    const loadMs = performance.now() - t0;
    db.pragma('optimize');

    const raw = timeRuns(runs, () => db.prepare('SELECT uscc FROM reg_targets').pluck().all() as string[]);
    const queries: Record<string, object> = {};
    for (const [name, filter] of Object.entries(filters)) {
      const pool = timeRuns(runs, () => poolOf(db, filter));
      const page = timeRuns(runs, () => queryTargets(db, filter, { limit: 100 }));
      queries[name] = {
        filter,
        poolSize: pool.last.length,
        poolOfMs: pool.ms,
        poolOfVsRawScan: Math.round((pool.ms / Math.max(raw.ms, 0.1)) * 100) / 100,
        queryTargetsFirstPageWithTotalMs: page.ms,
        total: page.last.total,
      };
    }
    const result = {
      targets: n,
      admissions,
      loadPath: 'synthetic TargetRegistered/TargetAdmittedToSpecialRegister RecordedEvents applied by targetsProjection.apply in one transaction (not through the ledger)',
      loadMs: Math.round(loadMs),
      loadEventsPerSecond: rate(position, loadMs),
      runsPerQuery: runs,
      statistic: 'median ms after one warm-up run',
      baseline: { query: 'SELECT uscc FROM reg_targets (full scan, all statuses)', rows: raw.last.length, ms: raw.ms },
      queries,
    };
    writeResult('pool-query', result);
    return result;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
