/**
 * Register import at province scale (issue 13): a targets CSV and a targets XLSX of
 * BENCH_IMPORT_ROWS rows (default 1,000,000; demo targets with valid credit codes), each
 * imported streamed (`importFile`, what `suiji import` and POST /imports run) into a fresh
 * SQLite ledger, then imported again (a no-op: L4 idempotent re-import). Every step runs in a
 * child process of its own (bench/import-child.ts), so its peak RSS is its own.
 *
 * Baselines in the same run, on the same file:
 *   raw insert — the same parsed rows (the streamed CSV reader) into a plain table, one
 *                transaction, the ledger's pragmas (WAL, synchronous=FULL);
 *   raw scan   — SELECT * over the register table (reg_targets) the import filled.
 * Goals: peak RSS < 300 MiB; import ≥ 0.5 of raw insert; no-op re-import ≥ 0.8 of raw scan.
 *
 *   BENCH_IMPORT_ROWS (default 1000000)
 *   BENCH_IMPORT_FORMATS (default csv,xlsx)
 *   BENCH_IMPORT_RUNS (default 1)   runs per step; medians are reported
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { targetImport, toCsv, type TableFormat } from '../src/app/registers-io/index.js';
import { demoTargets } from '../src/cli/demo/index.js';
import { envInt, writeResult } from './util.js';

const GOAL = { peakRssMiB: 300, importToRawInsert: 0.5, noOpToRawScan: 0.8 };

const rowsOf = function* (seed: number, rows: number): Generator<string[]> {
  for (const t of demoTargets(seed, rows)) yield targetImport.format(t, undefined);
};

/** Written 10,000 rows at a time: the generator never holds the file. */
export function writeCsv(path: string, seed: number, rows: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, toCsv(targetImport.headers, []));
    let chunk: string[][] = [];
    const flush = (): void => {
      const bytes = toCsv(targetImport.headers, chunk);
      // toCsv writes BOM + header line first: keep only the data lines.
      const text = Buffer.from(bytes);
      writeSync(fd, text.subarray(text.indexOf('\r\n') + 2));
      chunk = [];
    };
    for (const r of rowsOf(seed, rows)) {
      chunk.push(r);
      if (chunk.length === 10_000) flush();
    }
    if (chunk.length > 0) flush();
  } finally {
    closeSync(fd);
  }
}

/** exceljs's streaming writer, with shared strings as Excel writes them. */
export async function writeXlsx(path: string, seed: number, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('检查对象名录库');
  ws.addRow([...targetImport.headers]).commit();
  for (const r of rowsOf(seed, rows)) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

const child = (...args: string[]): Record<string, unknown> =>
  JSON.parse(execFileSync(process.execPath, [join(process.cwd(), 'dist', 'bench', 'import-child.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, unknown>;

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)]!;
};

export async function benchImport(): Promise<object> {
  const rows = envInt('BENCH_IMPORT_ROWS', 1_000_000);
  const runs = Math.max(1, envInt('BENCH_IMPORT_RUNS', 1));
  const formats = (process.env.BENCH_IMPORT_FORMATS ?? 'csv,xlsx').split(',').filter((f): f is TableFormat => f === 'csv' || f === 'xlsx');
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-import-'));
  const loadBefore = loadavg();
  try {
    const csv = join(dir, 'targets.csv');
    writeCsv(csv, 370323, rows);
    const rawInsert = Array.from({ length: runs }, (_, i) => child('raw-insert', csv, join(dir, `raw-${i}.db`)));
    const rawParse = Array.from({ length: runs }, () => child('raw-parse', csv));
    const perFormat: Record<string, object> = {};
    let scans: Record<string, unknown>[] = [];
    for (const format of formats) {
      const file = format === 'csv' ? csv : join(dir, 'targets.xlsx');
      if (format === 'xlsx') await writeXlsx(file, 370323, rows);
      const results = Array.from({ length: runs }, (_, i) => {
        const data = join(dir, `${format}-${i}`);
        const r = child('import', file, format, data);
        if (format === 'csv') scans.push(child('raw-scan', data));
        rmSync(data, { recursive: true, force: true });
        return r as { import: { rowsPerSecond: number; peakRssMiB: number }; reimportNoOp: { rowsPerSecond: number; peakRssMiB: number } };
      });
      perFormat[format] = {
        fileBytes: statSync(file).size,
        runs: results,
        median: {
          importRowsPerSecond: median(results.map((r) => r.import.rowsPerSecond)),
          noOpRowsPerSecond: median(results.map((r) => r.reimportNoOp.rowsPerSecond)),
          peakRssMiB: Math.max(...results.map((r) => Math.max(r.import.peakRssMiB, r.reimportNoOp.peakRssMiB))),
        },
      };
    }
    scans = scans.length > 0 ? scans : [];
    const insertRate = median(rawInsert.map((r) => r.rowsPerSecond as number));
    const scanRate = scans.length > 0 ? median(scans.map((r) => r.rowsPerSecond as number)) : null;
    const ratio = (x: number, y: number | null): number | null => (y ? Math.round((x / y) * 1000) / 1000 : null);
    const csvMedian = (perFormat.csv as { median: { importRowsPerSecond: number; noOpRowsPerSecond: number } } | undefined)?.median;
    const result = {
      goal: GOAL,
      rows,
      runsPerStep: runs,
      loadAverage: { before: loadBefore.map((l) => Math.round(l * 100) / 100), after: loadavg().map((l) => Math.round(l * 100) / 100) },
      baseline: {
        rawInsert: { what: 'streamed CSV parse + better-sqlite3 INSERT of the same rows into a plain table, one transaction, WAL + synchronous=FULL', runs: rawInsert, medianRowsPerSecond: insertRate },
        rawScan: { what: 'SELECT * FROM reg_targets after the CSV import (every column into JS values)', runs: scans, medianRowsPerSecond: scanRate },
        rawParse: {
          what: 'floor of any re-import: hash pass + the streamed CSV reader over every row, no ledger (a no-op re-import must at least read the file to know it is unchanged)',
          runs: rawParse,
          medianRowsPerSecond: median(rawParse.map((r) => r.rowsPerSecond as number)),
        },
      },
      formats: perFormat,
      ratios: csvMedian
        ? { importToRawInsert: ratio(csvMedian.importRowsPerSecond, insertRate), noOpToRawScan: ratio(csvMedian.noOpRowsPerSecond, scanRate) }
        : null,
    };
    writeResult('import', result);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
