import type { Command } from 'commander';
import { NonRandomInspectionService, nonRandomIdParamsSchema, nonRandomListQuerySchema, nonRandomYearSchema } from '../../app/nonrandom-inspections/index.js';
import { nonRandomInspectionSchema, nonRandomKinds, type NonRandomInspectionRequest, type NonRandomKind } from '../../domain/nonrandom-inspections/index.js';
import { listNonRandomInspections, nonRandomStatistics } from '../../projections/nonrandom-inspections/index.js';
import { actingUserId, userRequired } from '../cli-actor.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataOption, userOption } from '../options.js';
import { requestFrom } from './request-file.js';
import { actingAs, checked, printer, withRuntime, type Opened } from './workflow-common.js';

// The same path and query schemas as the HTTP routes.
const listQuery = nonRandomListQuerySchema;
const params = nonRandomIdParamsSchema;
const yearParams = { type: 'object', additionalProperties: false, required: ['year'], properties: { year: nonRandomYearSchema } } as const;

interface ListOptions extends Opened {
  readonly kind?: NonRandomKind;
  readonly department?: string;
  readonly target?: string;
  readonly year?: string;
  readonly after?: string;
  readonly limit?: string;
}

/**
 * `suiji inspection record|show|list|statistics`: inspections other than random ones (G2: complaints,
 * big-data alerts, higher-level orders, transferred cases, emergencies, violations found in
 * duty), as POST /non-random-inspections, GET /non-random-inspections/{id}, GET
 * /non-random-inspections and GET /non-random-inspections/statistics/{year}. Named `inspection` at the console; every record says `random: false`.
 * An operator or principal records for the own department; they never enter a draw or a PL5 count.
 */
export function registerInspection(program: Command, ctx: CliContext, box: ExitBox): void {
  const inspection = program
    .command('inspection')
    .description('双随机以外的检查（投诉举报、大数据预警、上级交办等） / non-random inspections (G2: complaints, alerts, orders, transfers, emergencies)');
  const print = printer(ctx);

  inspection
    .command('record')
    .description('登记一次双随机以外的检查及其来源文件 / record a non-random inspection with its source document (G2)')
    .requiredOption('--file <inspection.json>', '检查 JSON，同 POST /non-random-inspections 请求体 / the inspection JSON, as the body of POST /non-random-inspections')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (opts: Opened & { file: string }) => {
        if (actingUserId(opts.user) === undefined) throw userRequired();
        const request = requestFrom<NonRandomInspectionRequest>(opts.file, nonRandomInspectionSchema, 'non-random inspection');
        return withRuntime(ctx, opts, true, async (rt) => {
          const service = new NonRandomInspectionService(rt);
          const written = await service.record(await actingAs(rt, opts, 'nonRandomInspection.record'), request);
          await rt.projections.catchUp();
          // The write result and the record as GET answers it, so the operator sees `random: false` at once.
          print({ ...written, inspection: service.get(written.inspectionId) });
          return 0;
        });
      }),
    );

  inspection
    .command('show')
    .description('显示一条检查记录 / show one non-random inspection')
    .argument('<id>', '检查编号 / inspection id')
    .addOption(dataOption())
    .action(
      act(box, (id: string, opts: Opened) => {
        const { inspectionId } = checked<{ inspectionId: string }>(params, { inspectionId: id }, 'non-random inspection');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          print(new NonRandomInspectionService(rt).get(inspectionId));
          return 0;
        });
      }),
    );

  inspection
    .command('list')
    .description('按账本顺序列出检查记录（可按类型、部门、对象、年度筛选） / list in ledger order, optionally by kind, department, target, year')
    .option('--kind <kind>', `类型 / kind: ${nonRandomKinds.join(' | ')}`)
    .option('--department <id>', '部门 / department')
    .option('--target <uscc>', '统一社会信用代码 / a target\'s credit code')
    .option('--year <year>', '年度 / year')
    .option('--after <position>', '上一页最后一条的 position / the position of the previous page\'s last record')
    .option('--limit <n>', '条数 1–1000，默认 100 / how many, 1–1000 (default 100)')
    .addOption(dataOption())
    .action(
      act(box, (opts: ListOptions) => {
        const { data: _data, ...query } = opts;
        const q = checked<Omit<ListOptions, 'data' | 'user'>>(listQuery, { ...query }, 'non-random inspection list');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          const items = listNonRandomInspections(rt.projections.db, {
            limit: q.limit === undefined ? 100 : Number(q.limit),
            ...(q.kind !== undefined && { kind: q.kind }),
            ...(q.department !== undefined && { department: q.department }),
            ...(q.target !== undefined && { target: q.target }),
            ...(q.year !== undefined && { year: Number(q.year) }),
            ...(q.after !== undefined && { after: Number(q.after) }),
          });
          print({ items });
          return 0;
        });
      }),
    );

  inspection
    .command('statistics')
    .description('某年度双随机以外的检查统计：按类型、按部门的检查数与对象数 / a year\'s figures per kind and per department (records and targets)')
    .argument('<year>', '年度（按北京时间登记日） / the year (of recording, Asia/Shanghai)')
    .addOption(dataOption())
    .action(
      act(box, (y: string, opts: Opened) => {
        checked(yearParams, { year: y }, 'non-random inspection statistics');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          print(nonRandomStatistics(rt.projections.db, Number(y)));
          return 0;
        });
      }),
    );
}
