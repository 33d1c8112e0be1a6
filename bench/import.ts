/**
 * Register import (L4, L6) at county-register size: a targets CSV through the real
 * `readCsv` + `importTable` on a real SQLite ledger (catalogue validation on, as the CLI opens
 * it), then the same file again (a no-op: G3/L4 idempotent re-import). Baseline in the same
 * run: raw better-sqlite3 inserts of the same rows into a plain table with the ledger's
 * pragmas (WAL, synchronous=FULL).
 *
 *   BENCH_IMPORT_ROWS (default 100000)   rows in the CSV
 *   BENCH_IMPORT_PER_ROW (default 1)     0 skips the one-append-per-row `storeExecutor` run
 *                                        (one fsync per row: minutes at 100,000 rows)
 *
 * Executors: `storeExecutor` (one handleCommand, one fsync per row) and `storeBatchExecutor`
 * (DEFAULT_BATCH rows per appendMulti, what `suiji import` and POST /imports use), each into its own
 * fresh ledger. Memory: rss and heapUsed sampled at every progress callback (every 200 rows).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { demoTargets, generateDemo, planDemoWrites } from '../src/cli/demo/index.js';
import {
  DEFAULT_BATCH, hashFile, importTable, readCsv, storeBatchExecutor, storeExecutor, targetImport, toCsv,
  type ImportReport,
} from '../src/app/registers-io/index.js';
import { openRuntime, type Runtime } from '../src/cli/runtime.js';
import { listDepartments } from '../src/projections/registers/index.js';
import { applyPragmas } from '../src/store/sqlite/index.js';
import { envInt, rate, writeResult } from './util.js';

const MiB = 2 ** 20;
const actor = { userId: 'cli:bench', role: 'system', department: 'system' } as const;

interface Peak {
  rssMiB: number;
  heapUsedMiB: number;
}

function sampler(): { peak: Peak; sample: () => void } {
  const peak: Peak = { rssMiB: 0, heapUsedMiB: 0 };
  return {
    peak,
    sample() {
      const m = process.memoryUsage();
      peak.rssMiB = Math.max(peak.rssMiB, Math.round(m.rss / MiB));
      peak.heapUsedMiB = Math.max(peak.heapUsedMiB, Math.round(m.heapUsed / MiB));
    },
  };
}

/** A ledger as `suiji demo seed --targets 0` leaves it: departments, users, item lists — no targets. */
async function freshLedger(dir: string): Promise<Runtime> {
  const rt = await openRuntime(dir);
  const writes = planDemoWrites(generateDemo({ seed: 370323, targets: 0 }).commands);
  await rt.store.appendMulti(writes);
  await rt.projections.catchUp();
  return rt;
}

/** One import of the file as `suiji import targets FILE` does it (read, parse, import), timed. */
async function importOnce(rt: Runtime, path: string, batched: boolean): Promise<{ ms: number; parseMs: number; report: ImportReport; peak: Peak }> {
  const { peak, sample } = sampler();
  sample();
  const t0 = performance.now();
  const bytes = readFileSync(path);
  const table = await readCsv(bytes);
  const parseMs = performance.now() - t0;
  sample();
  const report = await importTable({
    kind: 'targets', table, fileHash: hashFile(bytes), fileName: 'targets.csv', actor, now: '2026-11-25T08:00:00.000Z',
    execute: storeExecutor(rt.store),
    ...(batched ? { executeBatch: storeBatchExecutor(rt.store) } : {}),
    departments: listDepartments(rt.projectionDb).map((d) => ({ departmentId: d.departmentId, name: d.name })),
    onProgress: sample,
  });
  sample();
  return { ms: performance.now() - t0, parseMs, report, peak };
}

interface RunResult {
  readonly executor: string;
  readonly import: { ms: number; parseMs: number; rowsPerSecond: number; created: number; peak: Peak };
  readonly reimportNoOp: { ms: number; rowsPerSecond: number; unchanged: number; ledgerHeadUnchanged: true; peak: Peak };
  readonly ledgerEvents: number;
}

async function run(dir: string, path: string, rows: number, batched: boolean): Promise<RunResult> {
  const rt = await freshLedger(dir);
  try {
    const first = await importOnce(rt, path, batched);
    if (first.report.created !== rows) throw new Error(`expected ${rows} created, got ${JSON.stringify({ ...first.report, errors: first.report.errors.slice(0, 3) })}`);
    const headBefore = await rt.store.head();
    const again = await importOnce(rt, path, batched);
    const headAfter = await rt.store.head();
    if (again.report.unchanged !== rows || headAfter.root !== headBefore.root) throw new Error('re-import was not a no-op');
    return {
      executor: batched ? `storeBatchExecutor (${DEFAULT_BATCH} rows per appendMulti)` : 'storeExecutor (one handleCommand/append per row)',
      import: { ms: Math.round(first.ms), parseMs: Math.round(first.parseMs), rowsPerSecond: rate(rows, first.ms), created: first.report.created, peak: first.peak },
      reimportNoOp: { ms: Math.round(again.ms), rowsPerSecond: rate(rows, again.ms), unchanged: again.report.unchanged, ledgerHeadUnchanged: true, peak: again.peak },
      ledgerEvents: headAfter.size,
    };
  } finally {
    await rt.close();
  }
}

/** The same rows (as parsed from the same CSV) into a plain table, one transaction, ledger pragmas. */
async function rawInsert(dir: string, path: string): Promise<{ ms: number; rowsPerSecond: number }> {
  const db = new Database(join(dir, 'raw.db'));
  try {
    applyPragmas(db, 5000);
    const headers = targetImport.headers;
    db.exec(`CREATE TABLE targets (${headers.map((_, i) => `c${i} TEXT`).join(', ')}, PRIMARY KEY (c0)) WITHOUT ROWID`);
    const insert = db.prepare(`INSERT INTO targets VALUES (${headers.map(() => '?').join(', ')})`);
    const t0 = performance.now();
    const table = await readCsv(readFileSync(path));
    db.transaction(() => {
      for (const r of table.rows) insert.run(...headers.map((h) => r.cells[h] ?? ''));
    }).immediate();
    const ms = performance.now() - t0;
    return { ms: Math.round(ms), rowsPerSecond: rate(table.rows.length, ms) };
  } finally {
    db.close();
  }
}

export async function benchImport(): Promise<object> {
  const rows = envInt('BENCH_IMPORT_ROWS', 100_000);
  const perRow = envInt('BENCH_IMPORT_PER_ROW', 1) !== 0;
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-import-'));
  try {
    // Deterministic demo-county targets with valid credit codes (L6), in the export's columns.
    const path = join(dir, 'targets.csv');
    const csv = toCsv(targetImport.headers, [...demoTargets(370323, rows)].map((t) => targetImport.format(t, undefined)));
    writeFileSync(path, csv);
    const baseline = await rawInsert(dir, path);
    const batched = await run(join(dir, 'batched'), path, rows, true);
    const perRowResult = perRow ? await run(join(dir, 'per-row'), path, rows, false) : 'skipped (BENCH_IMPORT_PER_ROW=0)';
    const ratio = (r: RunResult | string): number | null =>
      typeof r === 'string' ? null : Math.round((r.import.rowsPerSecond / baseline.rowsPerSecond) * 1000) / 1000;
    const result = {
      rows,
      fileBytes: csv.length,
      baseline: { what: 'raw better-sqlite3 INSERTs of the parsed rows into a plain table, one transaction, WAL + synchronous=FULL (parse included)', ...baseline },
      batched,
      perRow: perRowResult,
      ratioToRaw: { batched: ratio(batched), perRow: ratio(perRowResult) },
      maxRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / MiB),
    };
    writeResult('import', result);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
