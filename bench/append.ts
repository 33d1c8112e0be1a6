/**
 * Append throughput of the SQLite store versus raw better-sqlite3 inserts of the same rows,
 * same schema and pragmas (WAL, synchronous=FULL), in the same run. Goal: batched appends at
 * >= 50% of the raw 100-row-transaction insert rate.
 *
 *   BENCH_EVENTS (default 100000)        events for the 100-per-append runs
 *   BENCH_SINGLE_EVENTS (default 3000)   events for the 1-per-append runs (one fsync each)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { canonicalize } from '../src/verify/jcs.js';
import { openSqliteStore } from '../src/store/index.js';
import { applyPragmas, DB_FILE, EVENTS_DDL } from '../src/store/sqlite/index.js';
import type { NewEvent } from '../src/store/port.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench-user', role: 'operator', department: 'dept-bench' } as const;

function makeEvents(n: number): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: randomUUID(),
    type: 'TargetRegistered',
    actor,
    correlationId: `corr-${Math.floor(i / 100)}`,
    payload: { uscc: `91350100M0001${String(i).padStart(5, '0')}`, name: `测试企业 ${i}`, region: '350100', risk: i % 3, tags: ['a', 'b'] },
  }));
}

const streamOf = (i: number, batch: number): string => `target-${Math.floor(i / batch) % 1000}`;

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-append-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same rows the store writes (hash column filled with a 64-hex placeholder). */
function rawInsert(events: readonly NewEvent[], batch: number): number {
  return withTempDir((dir) => {
    const db = new Database(join(dir, DB_FILE));
    applyPragmas(db, 5000);
    db.exec(EVENTS_DDL);
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const recordedAt = new Date().toISOString();
    const rows = events.map((e, i) => [
      i, streamOf(i, batch), Math.floor(i / (batch * 1000)) * batch + (i % batch), e.eventId, e.type, 1, recordedAt,
      canonicalize(e.actor), e.correlationId, null, canonicalize(e.payload), 'ab'.repeat(32),
    ]);
    const tx = db.transaction((slice: unknown[][]) => {
      for (const r of slice) insert.run(...r);
    });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += batch) tx.immediate(rows.slice(i, i + batch));
    const ms = performance.now() - t0;
    db.close();
    return rate(rows.length, ms);
  });
}

async function storeAppend(events: readonly NewEvent[], batch: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-append-'));
  const store = openSqliteStore({ dataDir: dir });
  try {
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += batch) await store.append(streamOf(i, batch), events.slice(i, i + batch), 'any');
    return rate(events.length, performance.now() - t0);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** BENCH_APPEND_REPEAT (default 3): raw and store runs alternate; medians are reported. */
export async function benchAppend(): Promise<object> {
  const batched = makeEvents(envInt('BENCH_EVENTS', 100_000));
  const single = makeEvents(envInt('BENCH_SINGLE_EVENTS', 3_000));
  const repeat = Math.max(1, envInt('BENCH_APPEND_REPEAT', 3));
  rawInsert(makeEvents(2_000), 100); // warm-up
  await storeAppend(makeEvents(2_000), 100);
  const runs: { single: [number, number]; batch100: [number, number] }[] = [];
  for (let r = 0; r < repeat; r++) {
    const rawSingle = rawInsert(single, 1);
    const storeSingle = await storeAppend(single, 1);
    const rawBatch = rawInsert(batched, 100);
    const storeBatch = await storeAppend(batched, 100);
    runs.push({ single: [rawSingle, storeSingle], batch100: [rawBatch, storeBatch] });
    console.log(JSON.stringify(runs[runs.length - 1]));
  }
  const summary = (key: 'single' | 'batch100', events: number) => ({
    events,
    rawInsertEventsPerSec: median(runs.map((x) => x[key][0])),
    storeAppendEventsPerSec: median(runs.map((x) => x[key][1])),
    ratio: +median(runs.map((x) => x[key][1] / x[key][0])).toFixed(3),
  });
  const result = {
    pragmas: { journal_mode: 'wal', synchronous: 'FULL' },
    repeat,
    single: summary('single', single.length),
    batch100: summary('batch100', batched.length),
    runs,
    goal: 'batch100.ratio >= 0.5',
    note: 'medians; ratio is the median of per-run store/raw ratios; runs = [raw, store] events/s',
  };
  writeResult('append', result);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchAppend(), null, 2));
}
