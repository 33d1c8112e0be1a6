import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SuijiError } from '../../domain/errors.js';
import { listDepartments } from '../../projections/registers/index.js';
import {
  exportInspectors, exportTargets, formatOf, hashFile, importTable, readTable, storeBatchExecutor, storeExecutor, summariseReport, writeImportReport,
  type ImportKindName, type ImportProgress,
} from '../../app/registers-io/index.js';
import { type ParsedArgs, dataDirOf, stringFlag } from '../args.js';
import { cliMetadata } from '../cli-actor.js';
import { openRuntime } from '../runtime.js';

const isKind = (k: string | undefined): k is ImportKindName => k === 'targets' || k === 'inspectors';

function kindOf(args: ParsedArgs): ImportKindName {
  const k = args.positional[1];
  if (!isKind(k))
    throw new SuijiError('VALIDATION_FAILED', { field: 'kind', value: k ?? null }, { zh: '类型必须是 targets 或 inspectors', en: 'kind must be targets or inspectors' });
  return k;
}

function fileOf(args: ParsedArgs): { path: string; format: 'csv' | 'xlsx' } {
  const path = args.positional[2];
  const format = path ? formatOf(path) : undefined;
  if (!path || !format)
    throw new SuijiError('VALIDATION_FAILED', { field: 'file', value: path ?? null }, { zh: '文件名必须以 .csv 或 .xlsx 结尾', en: 'the file name must end in .csv or .xlsx' });
  return { path, format };
}

/** A one-line progress bar, only on a terminal (long imports: 100,000 rows). */
function progressBar(): ((p: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ done, total }) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r导入中 importing [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
}

/** `suiji import targets|inspectors FILE [--data DIR] [--department D]`: row report next to FILE. */
export async function importCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const kind = kindOf(args);
  const { path, format } = fileOf(args);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new SuijiError('NOT_FOUND', { field: 'file', value: path }, { zh: `无法读取文件 ${path}`, en: `cannot read ${path}` });
  }
  const table = await readTable(bytes, format);
  const rt = await openRuntime(dataDirOf(args));
  try {
    await rt.projections.catchUp();
    const meta = cliMetadata(stringFlag(args, 'department') ?? 'system');
    const departments = listDepartments(rt.projectionDb).map((d) => ({ departmentId: d.departmentId, name: d.name }));
    // Every 管辖部门/所属部门 must be a known department: on a new ledger, say how to get them.
    if (departments.length === 0)
      out('注意：账本中还没有部门，所有行都会因未知部门被拒绝；请先登记部门（或 suiji demo seed --targets 0） / note: the ledger has no departments yet, so every row will be refused as an unknown department; register them first (or suiji demo seed --targets 0)');
    const bar = progressBar();
    const report = await importTable({
      kind, table, fileHash: hashFile(bytes), fileName: basename(path), actor: meta.actor, now: meta.now,
      execute: storeExecutor(rt.store),
      // DEFAULT_BATCH rows per ledger transaction: one fsync per row made 100,000 rows take minutes (bench/import.ts).
      executeBatch: storeBatchExecutor(rt.store),
      departments,
      ...(bar ? { onProgress: bar } : {}),
    });
    if (bar) process.stderr.write('\n');
    const written = writeImportReport(path, report);
    out(summariseReport(report));
    out(`报告 / report: ${written.json}, ${written.csv}`);
    return report.rejected > 0 ? 1 : 0;
  } finally {
    await rt.close();
  }
}

/** `suiji export targets|inspectors FILE [--data DIR] [--department D]`: CSV or XLSX by extension, the import's columns. */
export async function exportCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const kind = kindOf(args);
  const { path, format } = fileOf(args);
  const rt = await openRuntime(dataDirOf(args));
  try {
    await rt.projections.catchUp();
    const department = stringFlag(args, 'department');
    const options = { format, ...(department ? { department } : {}) };
    const bytes = kind === 'targets' ? await exportTargets(rt.projectionDb, options) : await exportInspectors(rt.projectionDb, options);
    try {
      writeFileSync(path, bytes);
    } catch {
      throw new SuijiError('VALIDATION_FAILED', { field: 'file', value: path }, { zh: `无法写入文件 ${path}`, en: `cannot write ${path}` });
    }
    out(`已导出 / exported ${kind} to ${path} (${bytes.length} bytes)`);
    return 0;
  } finally {
    await rt.close();
  }
}
