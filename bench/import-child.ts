/**
 * One measured step of bench/import.ts in a process of its own, so its peak RSS
 * (`process.resourceUsage().maxRSS`) is the step's alone: the parent holds the generator and
 * the other steps' garbage. Prints one JSON line.
 *
 *   node dist/bench/import-child.js import FILE FORMAT DATA_DIR   streamed import, then the same file again (no-op)
 *   node dist/bench/import-child.js raw-insert FILE DB           baseline: the same parsed rows into a plain table
 *   node dist/bench/import-child.js raw-scan DATA_DIR            baseline: SELECT * over reg_targets
 *   node dist/bench/import-child.js raw-parse FILE               floor: the streamed CSV reader alone (hash pass + rows), no ledger
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { generateDemo, planDemoWrites } from '../src/cli/demo/index.js';
import {
  boundHeapGrowthForImport, csvRecords, DEFAULT_BATCH, fileSource, importFile, importLimits, provinceImportLimits, scanSource, storeBatchExecutor, storeExecutor, streamTable,
  targetImport, type ImportReport, type TableFormat,
} from '../src/app/registers-io/index.js';
import { openRuntime } from '../src/cli/runtime.js';
import { listDepartments } from '../src/projections/registers/index.js';
import { applyPragmas } from '../src/store/sqlite/index.js';

const MiB = 2 ** 20;
const actor = { userId: 'cli:bench', role: 'system', department: 'system' } as const;
const limits = importLimits(provinceImportLimits);
/** BENCH_IMPORT_BATCH: rows per appendMulti (default DEFAULT_BATCH, what `suiji import` uses). */
const batchSize = Number(process.env.BENCH_IMPORT_BATCH ?? DEFAULT_BATCH);
const maxRssMiB = (): number => Math.round((process.resourceUsage().maxRSS * 1024) / MiB);
const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000);

async function importStep(file: string, format: TableFormat, dataDir: string): Promise<object> {
  // What `suiji import` does before it opens the ledger (src/cli/commands/registers-io.ts).
  boundHeapGrowthForImport();
  const rt = await openRuntime(dataDir);
  try {
    await rt.store.appendMulti(planDemoWrites(generateDemo({ seed: 370323, targets: 0 }).commands));
    await rt.projections.catchUp();
    const departments = listDepartments(rt.projectionDb).map((d) => ({ departmentId: d.departmentId, name: d.name }));
    const once = async (): Promise<{ ms: number; report: ImportReport; rssMiB: number; heapMiB: number }> => {
      let peak = 0;
      // Live JS heap beside RSS: tells data the import holds from what Node, SQLite and V8's lazy collection add.
      let heap = 0;
      let progressCalls = 0;
      const t0 = performance.now();
      const report = await importFile({
        kind: 'targets', source: fileSource(file), format, limits, fileName: `targets.${format}`, actor, now: '2026-11-25T08:00:00.000Z',
        execute: storeExecutor(rt.store), executeBatch: storeBatchExecutor(rt.store), batchSize, departments,
        onProgress: () => {
          // memoryUsage() walks every heap space (4% of a profiled import at every 200 rows): rss() alone is cheap.
          peak = Math.max(peak, process.memoryUsage.rss());
          if (++progressCalls % 50 === 0) heap = Math.max(heap, process.memoryUsage().heapUsed);
        },
      });
      return { ms: performance.now() - t0, report, rssMiB: Math.round(peak / MiB), heapMiB: Math.round(heap / MiB) };
    };
    const first = await once();
    const rssAfterImport = maxRssMiB();
    const head = await rt.store.head();
    const again = await once();
    const headAgain = await rt.store.head();
    const summary = (r: ImportReport): object => ({ total: r.total, created: r.created, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected });
    return {
      executor: `storeBatchExecutor (${batchSize} rows per appendMulti)`,
      import: { ms: Math.round(first.ms), rowsPerSecond: rate(first.report.total, first.ms), ...summary(first.report), peakRssMiB: rssAfterImport, peakHeapUsedMiB: first.heapMiB },
      reimportNoOp: { ms: Math.round(again.ms), rowsPerSecond: rate(again.report.total, again.ms), ...summary(again.report), ledgerHeadUnchanged: head.root === headAgain.root, peakRssMiB: maxRssMiB(), peakHeapUsedMiB: again.heapMiB },
      ledgerEvents: headAgain.size,
    };
  } finally {
    await rt.close();
  }
}

/** The same rows as the import reads them (the streamed CSV reader), into a plain table: one transaction, ledger pragmas. */
async function rawInsert(file: string, dbPath: string): Promise<object> {
  const db = new Database(dbPath);
  try {
    applyPragmas(db, 5000);
    const headers = targetImport.headers;
    db.exec(`CREATE TABLE targets (${headers.map((_, i) => `c${i} TEXT`).join(', ')}, PRIMARY KEY (c0)) WITHOUT ROWID`);
    const insert = db.prepare(`INSERT INTO targets VALUES (${headers.map(() => '?').join(', ')})`);
    const t0 = performance.now();
    const source = fileSource(file);
    const table = await streamTable(csvRecords(source, await scanSource(source, true), limits));
    let n = 0;
    db.exec('BEGIN IMMEDIATE');
    for await (const r of table.rows) {
      insert.run(...headers.map((h) => r.cells[h] ?? ''));
      n++;
    }
    db.exec('COMMIT');
    const ms = performance.now() - t0;
    return { ms: Math.round(ms), rows: n, rowsPerSecond: rate(n, ms), peakRssMiB: maxRssMiB() };
  } finally {
    db.close();
  }
}

/**
 * What any import of the file must do before it can know the file is unchanged: hash it and read
 * every row (the streamed CSV reader, as the import runs it). A no-op re-import cannot be faster.
 */
async function rawParse(file: string): Promise<object> {
  const t0 = performance.now();
  const source = fileSource(file);
  const table = await streamTable(csvRecords(source, await scanSource(source, true), limits));
  let n = 0;
  for await (const _ of table.rows) n++;
  const ms = performance.now() - t0;
  return { ms: Math.round(ms), rows: n, rowsPerSecond: rate(n, ms), peakRssMiB: maxRssMiB() };
}

/** Every column of every row of the targets register, read into JS values. */
async function rawScan(dataDir: string): Promise<object> {
  const rt = await openRuntime(dataDir);
  try {
    await rt.projections.catchUp();
    const t0 = performance.now();
    let n = 0;
    for (const _ of rt.projectionDb.prepare('SELECT * FROM reg_targets').iterate()) n++;
    const ms = performance.now() - t0;
    return { ms: Math.round(ms), rows: n, rowsPerSecond: rate(n, ms) };
  } finally {
    await rt.close();
  }
}

const [step, a, b, c] = process.argv.slice(2);
const result =
  step === 'import' ? await importStep(a!, b as TableFormat, c!) : step === 'raw-insert' ? await rawInsert(a!, b!) : step === 'raw-parse' ? await rawParse(a!) : await rawScan(a!);
process.stdout.write(`${JSON.stringify(result)}\n`);
