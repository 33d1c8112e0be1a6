import { exportPublicCommand } from './export-public.js';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { authorize } from '../../domain/access.js';
import { SuijiError } from '../../domain/errors.js';
import { listDepartments } from '../../projections/registers/index.js';
import {
  boundHeapGrowthForImport, exportInspectors, exportTargets, fileSource, formatOf, importFile, importLimitsFromEnv, storeBatchExecutor, storeExecutor, summariseReport, writeImportReport,
  type ImportKindName, type ImportProgress, type Source,
} from '../../app/registers-io/index.js';
import { actingUserId, userMetadata, userRequired } from '../cli-actor.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, userOption } from '../options.js';
import { openRuntime } from '../runtime.js';

const isKind = (k: string): k is ImportKindName => k === 'targets' || k === 'inspectors';

function kindOf(k: string): ImportKindName {
  if (!isKind(k))
    throw new SuijiError('VALIDATION_FAILED', { field: 'kind', value: k }, { zh: '类型必须是 targets 或 inspectors', en: 'kind must be targets or inspectors' });
  return k;
}

function fileOf(path: string): { path: string; format: 'csv' | 'xlsx' } {
  const format = formatOf(path);
  if (!format)
    throw new SuijiError('VALIDATION_FAILED', { field: 'file', value: path }, { zh: '文件名必须以 .csv 或 .xlsx 结尾', en: 'the file name must end in .csv or .xlsx' });
  return { path, format };
}

/**
 * A progress bar (cli-progress) on stderr, only when stderr is a terminal: piped or redirected
 * output stays free of carriage returns and bar frames (long imports: 100,000 rows).
 */
function progressBar(): { update: (p: ImportProgress) => void; stop: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({ stream: process.stderr, format: '导入中 importing [{bar}] {value}/{total} {percentage}%', barCompleteChar: '#', barIncompleteChar: '.', hideCursor: true });
  let started = false;
  return {
    update: ({ done, total }) => {
      // A streamed import only estimates its total until the end (from the bytes read): keep the bar's total current.
      if (!started) bar.start(total, done);
      else {
        bar.setTotal(total);
        bar.update(done);
      }
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

interface ImportOptions {
  readonly data?: string;
  readonly department?: string;
  readonly user?: string;
}

export function registerImport(program: Command, ctx: CliContext, box: ExitBox): void {
  program
    .command('import')
    .description('导入名录库 CSV/XLSX，行报告写在文件旁 / import a CSV/XLSX register; the row report goes next to FILE')
    .argument('<kind>', 'targets | inspectors')
    .argument('<file>', '.csv 或 .xlsx / a .csv or .xlsx file')
    .addOption(dataOption())
    .addOption(userOption())
    .option('--department <id>', '（可选）核对：须为 --user 登记的部门 / (optional) check: must be the department --user is registered in')
    .action(act(box, (kind: string, file: string, opts: ImportOptions) => importCommand(kindOf(kind), fileOf(file), opts, ctx)));
}

/**
 * Each row is a Sync command by the registered user `--user`, under the access rules of
 * POST /imports: the role must maintain this register at all, and each row's 管辖部门/所属部门
 * is the decider's check (L4), so a row of another department is refused exactly as over HTTP.
 */
async function importCommand(kind: ImportKindName, { path, format }: { path: string; format: 'csv' | 'xlsx' }, opts: ImportOptions, ctx: CliContext): Promise<number> {
  if (actingUserId(opts.user) === undefined) throw userRequired();
  let source: Source;
  try {
    source = fileSource(path);
  } catch {
    throw new SuijiError('NOT_FOUND', { field: 'file', value: path }, { zh: `无法读取文件 ${path}`, en: `cannot read ${path}` });
  }
  // A4: county limits unless SUIJI_IMPORT_LIMITS=province or a SUIJI_IMPORT_MAX_* variable says otherwise.
  const limits = importLimitsFromEnv();
  // This process exists for the import: keep V8's heap near what the import holds (peak RSS, issue 13).
  boundHeapGrowthForImport();
  const rt = await openRuntime(dataDirOf(opts));
  try {
    const meta = await userMetadata(rt.store, opts.user, opts.department);
    const denied = authorize(meta.actor, kind === 'targets' ? 'target.write' : 'inspector.write', { department: meta.actor.department });
    if (denied) throw denied;
    await rt.projections.catchUp();
    const departments = listDepartments(rt.projectionDb).map((d) => ({ departmentId: d.departmentId, name: d.name }));
    // Every 管辖部门/所属部门 must be a known department: on a new ledger, say how to get them.
    if (departments.length === 0)
      ctx.out('注意：账本中还没有部门，所有行都会因未知部门被拒绝；请先登记部门（或 suiji demo seed --targets 0） / note: the ledger has no departments yet, so every row will be refused as an unknown department; register them first (or suiji demo seed --targets 0)');
    const bar = progressBar();
    let report;
    try {
      // Streamed (issue 13): the file is hashed, then read row by row; memory does not grow with its size.
      report = await importFile({
        kind, source, format, limits, fileName: basename(path), actor: meta.actor, now: meta.now,
        execute: storeExecutor(rt.store),
        // DEFAULT_BATCH rows per ledger transaction: one fsync per row made 100,000 rows take minutes (bench/import.ts).
        executeBatch: storeBatchExecutor(rt.store),
        departments,
        ...(bar ? { onProgress: bar.update } : {}),
      });
    } finally {
      bar?.stop();
    }
    const written = writeImportReport(path, report);
    ctx.out(summariseReport(report));
    ctx.out(`报告 / report: ${written.json}, ${written.csv}`);
    return report.rejected > 0 ? 1 : 0;
  } finally {
    await rt.close();
  }
}

export function registerExport(program: Command, ctx: CliContext, box: ExitBox): void {
  program
    .command('export')
    .description('导出名录库为 CSV/XLSX（按扩展名），列同导入 / export a register as CSV/XLSX (by extension), the import\'s columns')
    .argument('<kind>', 'targets | inspectors | public（公开网站与数据，静态文件 / the public site and data as static files）')
    .argument('<file>', '.csv 或 .xlsx；public 时为空目录 / a .csv or .xlsx file; for public an empty directory')
    .addOption(dataOption())
    .option('--department <id>', '只导出此部门 / only this department')
    .action(act(box, (kind: string, file: string, opts: { data?: string; department?: string }) =>
      kind === 'public' ? exportPublicCommand(file, opts, ctx) : exportCommand(kindOf(kind), fileOf(file), opts, ctx)));
}

async function exportCommand(kind: ImportKindName, { path, format }: { path: string; format: 'csv' | 'xlsx' }, opts: { data?: string; department?: string }, ctx: CliContext): Promise<number> {
  const rt = await openRuntime(dataDirOf(opts));
  try {
    await rt.projections.catchUp();
    const options = { format, ...(opts.department ? { department: opts.department } : {}) };
    const bytes = kind === 'targets' ? await exportTargets(rt.projectionDb, options) : await exportInspectors(rt.projectionDb, options);
    try {
      writeFileSync(path, bytes);
    } catch {
      throw new SuijiError('VALIDATION_FAILED', { field: 'file', value: path }, { zh: `无法写入文件 ${path}`, en: `cannot write ${path}` });
    }
    ctx.out(`已导出 / exported ${kind} to ${path} (${bytes.length} bytes)`);
    return 0;
  } finally {
    await rt.close();
  }
}
