import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DB_FILE } from '../src/store/sqlite/index.js';
import { openRuntime } from '../src/cli/runtime.js';
import { USCC_ALPHABET, usccCheckChar } from '../src/domain/uscc.js';
import type { StreamWrite } from '../src/store/port.js';
import { envInt, rate, resultsDir, writeResult } from './util.js';
import { startBenchPostgres, type BenchPg } from './pg-server.js';

const actor = { userId: 'bench', role: 'system', department: 'dept-market' } as const;
const regions = ['370323001', '370323002', '370323100', '370323101', '370323102'];

/** A valid credit code for index i (region 370323, synthetic organisation code). */
function uscc(i: number): string {
  let body = '';
  for (let n = i, k = 0; k < 9; k++, n = Math.floor(n / 31)) body = USCC_ALPHABET[n % 31] + body;
  const first17 = `92370323${body}`;
  return first17 + usccCheckChar(first17);
}

interface Pass {
  readonly rows: number;
  readonly ms: number;
  /** This process's CPU time (user + system): steadier than wall time on a shared, loaded machine. */
  readonly cpuMs: number;
}

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * The floor for any rebuild: raw better-sqlite3 `SELECT * FROM events` iteration over the same
 * ledger file (rows as objects, nothing decoded or applied), on its own read-only connection.
 */
function rawSelectAll(dir: string): Pass {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    const t0 = performance.now();
    const c0 = cpuNow();
    let rows = 0;
    for (const row of db.prepare('SELECT * FROM events').iterate()) if (row) rows += 1;
    return { rows, ms: performance.now() - t0, cpuMs: cpuNow() - c0 };
  } finally {
    db.close();
  }
}

/** The same floor on PostgreSQL: every row of the events table as objects, in keyset pages of the rebuild's size (the client's CPU only). */
async function rawSelectAllPg(url: string): Promise<Pass> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    const c0 = cpuNow();
    let rows = 0;
    for (let from = 0; ; ) {
      const page = await client.query('SELECT * FROM suiji.events WHERE position >= $1 ORDER BY position LIMIT 20000', [from]);
      rows += page.rows.length;
      if (page.rows.length < 20000) break;
      from = Number((page.rows[page.rows.length - 1] as { position: string | number }).position) + 1;
    }
    return { rows, ms: performance.now() - t0, cpuMs: cpuNow() - c0 };
  } finally {
    await client.end();
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
const load1 = (): number => +loadavg()[0]!.toFixed(2);

/**
 * Projection rebuild over N events (default 1,000,000): register N/2 targets, then update
 * each once, so the rebuild does both inserts and updates. Times `projections.rebuild()`
 * BENCH_REBUILD_REPEAT times (default 3), each right after a raw `SELECT * FROM events` pass over
 * the same ledger (the same-run baseline); reports medians, ratios (wall and CPU time), the
 * peak RSS during the rebuild and the load average.
 *
 *   BENCH_REBUILD_EVENTS=10000000  the opt-in large run (results in projection-rebuild-large.json)
 *   BENCH_REBUILD_STORE=postgres   the ledger on a throwaway PostgreSQL 15 server (projection-rebuild-postgres.json)
 *   BENCH_KEEP_DIR=/path           keep the data dir; if it already holds a ledger, rebuild that one as it is (SQLite only)
 *   BENCH_REBUILD_REPEAT=0         only write the ledger
 */
export async function benchProjectionRebuild(): Promise<object> {
  const total = envInt('BENCH_REBUILD_EVENTS', 1_000_000);
  const repeat = envInt('BENCH_REBUILD_REPEAT', 3);
  const onPg = process.env.BENCH_REBUILD_STORE === 'postgres';
  const targets = Math.floor(total / 2);
  const keep = onPg ? undefined : process.env.BENCH_KEEP_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'suiji-bench-rebuild-'));
  let server: BenchPg | undefined;
  if (onPg) server = await startBenchPostgres();
  const rt = await openRuntime(dir, server ? { store: server.url } : {});
  try {
    const batch = 1_000;
    const t0 = performance.now();
    const existing = (await rt.store.head()).size;
    // A kept ledger is rebuilt as it is (e.g. a large load stopped part-way); its size is reported.
    if (existing > 0 && !keep && existing !== 2 * targets) throw new Error(`${dir} holds ${existing} events, not ${2 * targets}`);
    for (let phase = 0; phase < 2 && existing === 0; phase++) {
      for (let start = 0; start < targets; start += batch) {
        const writes: StreamWrite[] = [];
        for (let i = start; i < Math.min(targets, start + batch); i++) {
          const code = uscc(i);
          const payload =
            phase === 0
              ? {
                  uscc: code, name: `沂源县示例商贸有限公司${i}`, entityType: 'enterprise', scale: 'small', industry: 'F5265', region: regions[i % regions.length],
                  jurisdiction: 'dept-market', riskLevel: 'ABCD'[i % 4], creditLevel: 'ABCD'[(i >> 2) % 4],
                  flags: { dishonest: i % 97 === 0, abnormalOperation: i % 89 === 0, keyIndustry: i % 13 === 0, complaintCount: i % 7 },
                  status: 'active',
                }
              : { uscc: code, changes: { riskLevel: 'ABCD'[(i + 1) % 4] }, reason: '年度风险评级调整' };
          writes.push({
            streamId: `target-${code}`,
            expected: phase === 0 ? 'noStream' : 0,
            events: [{ eventId: randomUUID(), type: phase === 0 ? 'TargetRegistered' : 'TargetUpdated', actor, correlationId: 'bench', payload }],
          });
        }
        await rt.store.appendMulti(writes);
      }
    }
    const loadMs = performance.now() - t0;
    // BENCH_REBUILD_REPEAT=0 with BENCH_KEEP_DIR: only write the ledger (e.g. the 10,000,000-event one, once).
    if (repeat === 0) return { events: (await rt.store.head()).size, loadMs: Math.round(loadMs) };
    const runs: {
      rebuildEventsPerSecond: number; rawSelectEventsPerSecond: number; ratio: number;
      rebuildCpuMs: number; rawSelectCpuMs: number; cpuRatio: number; deferredMs: number; deferredCpuMs: number; peakRssMiB: number; maxRssMiB: number; loadAverage: number;
    }[] = [];
    let events = 0;
    for (let r = 0; r < repeat; r++) {
      const loadAverage = load1();
      const raw = server ? await rawSelectAllPg(server.url) : rawSelectAll(dir);
      // RSS sampled between the rebuild's pages (it yields to the event loop after each).
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const t1 = performance.now();
      const c1 = cpuNow();
      events = await rt.projections.rebuild();
      const cpuMs = cpuNow() - c1;
      const ms = performance.now() - t1;
      // The work the rebuild defers (the name search index, built after it): timed on its own.
      const t2 = performance.now();
      const c2 = cpuNow();
      await rt.projections.settle();
      const deferredCpuMs = cpuNow() - c2;
      const deferredMs = performance.now() - t2;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      if (raw.rows !== events) throw new Error(`raw read ${raw.rows} rows, rebuild ${events} events`);
      const eps = rate(events, ms);
      const rawEps = rate(raw.rows, raw.ms);
      runs.push({
        rebuildEventsPerSecond: eps, rawSelectEventsPerSecond: rawEps, ratio: +(eps / rawEps).toFixed(3),
        rebuildCpuMs: Math.round(cpuMs), rawSelectCpuMs: Math.round(raw.cpuMs), cpuRatio: +(raw.cpuMs / cpuMs).toFixed(3),
        deferredMs: Math.round(deferredMs), deferredCpuMs: Math.round(deferredCpuMs),
        // The sampler misses synchronous stretches (the index builds at the end); the process's high-water mark does not (it also covers the load, when the ledger was written in this process).
        peakRssMiB: mib(peak), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), loadAverage,
      });
      console.log(JSON.stringify(runs[runs.length - 1]));
    }
    const result = {
      store: onPg ? 'postgres' : 'sqlite',
      events,
      projections: rt.projections.names,
      loadMs: existing > 0 ? null : Math.round(loadMs),
      repeat,
      rebuildEventsPerSecond: median(runs.map((x) => x.rebuildEventsPerSecond)),
      rawSelectAllEventsPerSecond: median(runs.map((x) => x.rawSelectEventsPerSecond)),
      ratioToRawSelectAll: median(runs.map((x) => x.ratio)),
      cpuRatioToRawSelectAll: median(runs.map((x) => x.cpuRatio)),
      deferredIndexMs: median(runs.map((x) => x.deferredMs)),
      deferredIndexCpuMs: median(runs.map((x) => x.deferredCpuMs)),
      peakRssMiB: Math.max(...runs.map((x) => x.peakRssMiB)),
      maxRssMiB: Math.max(...runs.map((x) => x.maxRssMiB)),
      loadAverage: median(runs.map((x) => x.loadAverage)),
      runs,
      goalRatio: 0.8,
      note:
        'medians over repeat runs; raw = SELECT * FROM events as objects over the same ledger (better-sqlite3 iterate, or pg keyset pages of 20,000), measured right before each rebuild; ' +
        'cpuRatio = raw CPU ms / rebuild CPU ms of this process (on PostgreSQL the server\'s CPU is not counted); loadAverage = 1-minute load before the run (2 cores); ' +
        'deferredIndex = the name search index built after rebuild() resolved (runner.settle()), not in the rebuild figures; peak RSS covers both',
    };
    const suffix = onPg ? '-postgres' : events > 1_000_000 ? '-large' : '';
    // Earlier passes' figures stay in the file; this run's go under `session5` (issue 13, deferred name index).
    const path = join(resultsDir, `projection-rebuild${suffix}.json`);
    const { name: _n, at: _a, machine: _m, ...kept } = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
    writeResult(`projection-rebuild${suffix}`, { ...kept, session5: { at: new Date().toISOString(), ...result } });
    return result;
  } finally {
    await rt.close();
    server?.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
