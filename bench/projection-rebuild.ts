import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DB_FILE } from '../src/store/sqlite/index.js';
import { openRuntime } from '../src/cli/runtime.js';
import { USCC_ALPHABET, usccCheckChar } from '../src/domain/uscc.js';
import type { StreamWrite } from '../src/store/port.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench', role: 'system', department: 'dept-market' } as const;
const regions = ['370323001', '370323002', '370323100', '370323101', '370323102'];

/** A valid credit code for index i (region 370323, synthetic organisation code). */
function uscc(i: number): string {
  let body = '';
  for (let n = i, k = 0; k < 9; k++, n = Math.floor(n / 31)) body = USCC_ALPHABET[n % 31] + body;
  const first17 = `92370323${body}`;
  return first17 + usccCheckChar(first17);
}

/**
 * The floor for any rebuild: raw better-sqlite3 `SELECT * FROM events` iteration over the same
 * ledger file (rows as objects, nothing decoded or applied), on its own read-only connection.
 */
function rawSelectAll(dir: string): { rows: number; eventsPerSecond: number } {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    const t0 = performance.now();
    let rows = 0;
    for (const row of db.prepare('SELECT * FROM events').iterate()) if (row) rows += 1;
    return { rows, eventsPerSecond: rate(rows, performance.now() - t0) };
  } finally {
    db.close();
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
};

/**
 * Projection rebuild over N events (default 1,000,000): register N/2 targets, then update
 * each once, so the rebuild does both inserts and updates. Times `projections.rebuild()`
 * BENCH_REBUILD_REPEAT times (default 3), each next to a raw `SELECT * FROM events` pass over
 * the same file (the same-run baseline); reports medians and the ratio.
 *
 *   BENCH_KEEP_DIR=/path   keep the data dir; if it already holds a ledger, reuse it (no load)
 */
export async function benchProjectionRebuild(): Promise<object> {
  const total = envInt('BENCH_REBUILD_EVENTS', 1_000_000);
  const repeat = envInt('BENCH_REBUILD_REPEAT', 3);
  const targets = Math.floor(total / 2);
  const keep = process.env.BENCH_KEEP_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'suiji-bench-rebuild-'));
  const rt = await openRuntime(dir);
  try {
    const batch = 1_000;
    const t0 = performance.now();
    const existing = (await rt.store.head()).size;
    if (existing > 0 && existing !== 2 * targets) throw new Error(`${dir} holds ${existing} events, not ${2 * targets}`);
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
    const runs: { rebuildEventsPerSecond: number; rawSelectEventsPerSecond: number; ratio: number }[] = [];
    let events = 0;
    let rebuildMs = 0;
    for (let r = 0; r < repeat; r++) {
      const raw = rawSelectAll(dir);
      const t1 = performance.now();
      events = await rt.projections.rebuild();
      rebuildMs = performance.now() - t1;
      if (raw.rows !== events) throw new Error(`raw read ${raw.rows} rows, rebuild ${events} events`);
      const eps = rate(events, rebuildMs);
      runs.push({ rebuildEventsPerSecond: eps, rawSelectEventsPerSecond: raw.eventsPerSecond, ratio: +(eps / raw.eventsPerSecond).toFixed(3) });
      console.log(JSON.stringify(runs[runs.length - 1]));
    }
    const result = {
      events,
      projections: rt.projections.names,
      loadMs: existing > 0 ? null : Math.round(loadMs),
      repeat,
      rebuildEventsPerSecond: median(runs.map((x) => x.rebuildEventsPerSecond)),
      rawSelectAllEventsPerSecond: median(runs.map((x) => x.rawSelectEventsPerSecond)),
      ratioToRawSelectAll: median(runs.map((x) => x.ratio * 1000)) / 1000,
      runs,
      goalEventsPerSecond: 100_000,
      note: 'medians over repeat runs; raw = better-sqlite3 SELECT * FROM events iteration over the same file, measured right before each rebuild',
    };
    writeResult('projection-rebuild', result);
    return result;
  } finally {
    await rt.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
