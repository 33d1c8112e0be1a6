import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { SuijiError } from '../../domain/errors.js';
import { dayNumber, shanghaiDate } from '../../domain/calendar/index.js';
import type { StatsQuery, StatsReport } from '../../domain/stats/index.js';
import { StatsService, calendarYearsOf, openStatsExport, statsCsv, statsTable, statsXlsx, writeStatsExport } from '../../app/stats/index.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption } from '../options.js';
import { openRuntime } from '../runtime.js';

interface StatsOptions {
  data?: string;
  year?: string;
  quarter?: string;
  department?: string;
  format: 'table' | 'csv' | 'xlsx';
  out?: string;
  fromExport?: string;
  writeExport?: string;
  asOf?: string;
}

const bad = (field: string, zh: string, en: string): SuijiError => new SuijiError('VALIDATION_FAILED', { field }, { zh, en });

function queryOf(o: StatsOptions, asOf: string): StatsQuery {
  const year = o.year === undefined ? Number(asOf.slice(0, 4)) : Number(o.year);
  if (!/^\d{4}$/.test(o.year ?? '2000')) throw bad('--year', '--year 须为四位年份', '--year must be a four-digit year');
  if (o.quarter !== undefined && !/^[1-4]$/.test(o.quarter)) throw bad('--quarter', '--quarter 须为 1 至 4', '--quarter must be 1 to 4');
  return { year, ...(o.quarter !== undefined && { quarter: Number(o.quarter) }), ...(o.department !== undefined && { department: o.department }) };
}

/**
 * `suiji stats`: the assessment statistics (P3, A1–A4) per department and period, from the read
 * model; `--from-export DIR` recomputes them from the public export alone and prints the same.
 */
export function registerStats(program: Command, ctx: CliContext, box: ExitBox): void {
  program
    .command('stats')
    .description('考核统计（A1–A4） / assessment statistics per department and period')
    .addOption(dataOption())
    .option('--year <y>', '年度（默认今年） / calendar year (default: this year, Asia/Shanghai)')
    .option('--quarter <q>', '季度 1–4 / quarter 1–4')
    .option('--department <id>', '部门 / one department (default: every department and the total)')
    .addOption(new Option('--format <f>', '输出格式 / output format').choices(['table', 'csv', 'xlsx']).default('table'))
    .option('--out <file>', '写入文件（xlsx 必须） / write to a file (required for xlsx)')
    .option('--as-of <date>', '统计日（默认今天） / the day deadlines are judged on (default: today)')
    .option('--from-export <dir>', '仅凭公开导出重算 / recompute from the public export DIR/stats alone')
    .option('--write-export <dir>', '写出公开统计导出 DIR/stats / write the public statistics export DIR/stats')
    .action(
      act(box, async (o: StatsOptions) => {
        if (o.asOf !== undefined) dayNumber(o.asOf, '--as-of');
        if (o.format === 'xlsx' && o.out === undefined) throw bad('--out', 'xlsx 格式须指定 --out 文件', 'xlsx needs --out FILE');
        let report: StatsReport;
        if (o.fromExport !== undefined) {
          const exp = openStatsExport(o.fromExport);
          report = exp.report(queryOf(o, exp.manifest.asOf));
        } else {
          const rt = await openRuntime(dataDirOf(o));
          try {
            await rt.projections.catchUp();
            const asOf = o.asOf ?? shanghaiDate(Date.now());
            if (o.writeExport !== undefined) {
              const m = await writeStatsExport({ store: rt.store, calendarYears: calendarYearsOf(rt.dataDir), asOf }, o.writeExport);
              ctx.err(`统计导出已写入 / statistics export written: ${o.writeExport}/stats (${m.events} events, ledger size ${m.ledger.size})\n`);
            }
            report = new StatsService({ db: rt.projections.db, calendar: rt.calendar }, { clock: () => new Date(`${asOf}T12:00:00+08:00`) }).report(queryOf(o, asOf));
          } finally {
            await rt.close();
          }
        }
        if (o.format === 'xlsx') writeFileSync(o.out!, await statsXlsx([report]));
        else {
          const text = o.format === 'csv' ? statsCsv([report]) : statsTable([report]);
          if (o.out !== undefined) writeFileSync(o.out, text);
          else ctx.write(text);
        }
        return 0;
      }),
    );
}
