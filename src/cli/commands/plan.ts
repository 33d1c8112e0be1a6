import type { Command } from 'commander';
import { coverage, planDiff, planDiffQuerySchema, PlanService, planView } from '../../app/plans/index.js';
import { planDraftSchema, type PlanDraft } from '../../domain/plans/index.js';
import { idSchema, notFound, reasonSchema } from '../../domain/registers/index.js';
import { planVersions } from '../../projections/plans/index.js';
import { actingUserId, userRequired } from '../cli-actor.js';
import { act, type CliContext, type DrawRuntime, type ExitBox } from '../context.js';
import { dataOption, userOption } from '../options.js';
import { requestFrom } from './request-file.js';
import { actingAs, checked, printer, withRuntime, type Opened } from './workflow-common.js';

// The path and body schemas of src/api/routes/plans.ts, so the console accepts what HTTP accepts.
const year = { type: 'string', pattern: '^(20[0-9]{2}|2100)$' } as const;
const version = { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } as const;
const planParams = { type: 'object', additionalProperties: false, required: ['departmentId', 'year'], properties: { departmentId: idSchema, year } } as const;
const versionParams = { type: 'object', additionalProperties: false, required: ['departmentId', 'year', 'version'], properties: { departmentId: idSchema, year, version } } as const;
const { departmentId: _d, year: _y, ...draftProperties } = planDraftSchema.properties;
const draftBody = { type: 'object', additionalProperties: false, required: ['items', 'reason'], properties: draftProperties } as const;
const yearParams = { type: 'object', additionalProperties: false, required: ['year'], properties: { year } } as const;
const returnBody = { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: reasonSchema } } as const;

type DraftBody = Omit<PlanDraft, 'departmentId' | 'year'>;
interface VersionKey {
  readonly departmentId: string;
  readonly year: number;
  readonly version: number;
}

const versionKey = (departmentId: string, y: string, v: string): VersionKey => {
  checked(versionParams, { departmentId, year: y, version: v }, 'plan version');
  return { departmentId, year: Number(y), version: Number(v) };
};

/**
 * `suiji plan draft|file|acknowledge|return|show|diff|coverage`: annual plans (PL1–PL4, P2), as
 * PUT /departments/{D}/plans/{Y}/draft, POST …/versions/{V}/filing|acknowledgement|return,
 * GET /departments/{D}/plans/{Y}[/versions/{V}], GET …/plans/{Y}/diff and GET /plans/{Y}/coverage. Writes act as the registered `--user` under the
 * route's access check (an operator or principal drafts; a principal files; a principal of the
 * parent acknowledges or returns), and print the route's write result.
 */
export function registerPlan(program: Command, ctx: CliContext, box: ExitBox): void {
  const plan = program.command('plan').description('年度抽查工作计划 / annual inspection plans (PL1–PL4)');
  const print = printer(ctx);

  plan
    .command('draft')
    .description('保存计划草稿（无草稿时为下一版本） / save the draft (the next version when none is open)')
    .requiredOption('--department <id>', '计划所属部门 / the plan\'s department')
    .requiredOption('--year <year>', '年度 / the year')
    .requiredOption('--file <draft.json>', '草稿 JSON {items, reason}，同 PUT …/plans/{year}/draft 请求体 / the draft JSON, as the body of PUT …/plans/{year}/draft')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (opts: Opened & { department: string; year: string; file: string }) => {
        if (actingUserId(opts.user) === undefined) throw userRequired();
        checked(planParams, { departmentId: opts.department, year: opts.year }, 'plan');
        const body = requestFrom<DraftBody>(opts.file, draftBody, 'plan draft');
        return withRuntime(ctx, opts, true, async (rt) => {
          const meta = await actingAs(rt, opts, 'plan.draft');
          print(await new PlanService(rt).saveDraft(meta, { ...body, departmentId: opts.department, year: Number(opts.year) }));
          return 0;
        });
      }),
    );

  const answer = (name: string, description: string, run: (service: PlanService, rt: DrawRuntime, key: VersionKey, opts: Opened & { reason?: string }) => Promise<unknown>): Command =>
    plan
      .command(name)
      .description(description)
      .argument('<department>', '计划所属部门 / the plan\'s department')
      .argument('<year>', '年度 / the year')
      .argument('<version>', '版本号 / the version')
      .addOption(dataOption())
      .addOption(userOption())
      .action(
        act(box, (d: string, y: string, v: string, opts: Opened & { reason?: string }) => {
          const key = versionKey(d, y, v);
          return withRuntime(ctx, opts, true, async (rt) => {
            print(await run(new PlanService(rt), rt, key, opts));
            return 0;
          });
        }),
      );

  answer('file', '部门负责人向上级备案并公示草稿 / a principal files the draft with the parent and publishes it (PL1/PL2/P2)', async (service, rt, key, opts) =>
    service.file(await actingAs(rt, opts, 'plan.file'), key),
  );
  answer('acknowledge', '上级部门负责人确认备案 / the parent\'s principal acknowledges the filing (PL1)', async (service, rt, key, opts) =>
    service.acknowledge(await actingAs(rt, opts, 'plan.acknowledge'), key),
  );
  answer('return', '上级部门负责人退回备案（须说明理由） / the parent\'s principal returns the filing with a reason (PL1)', async (service, rt, key, opts) => {
    const { reason } = checked<{ reason: string }>(returnBody, { reason: opts.reason }, 'plan return');
    return service.returnFiling(await actingAs(rt, opts, 'plan.acknowledge'), key, reason);
  }).requiredOption('--reason <text>', '退回理由 / why it is returned');

  plan
    .command('show')
    .description('显示计划：各版本、现行版本、不再覆盖的事项；给出版本号则显示该版本及其事项 / show the plan (versions, version in force, items no longer covered), or one version with its items')
    .argument('<department>', '计划所属部门 / the plan\'s department')
    .argument('<year>', '年度 / the year')
    .argument('[version]', '版本号（可选） / a version (optional)')
    .addOption(dataOption())
    .action(
      act(box, (d: string, y: string, v: string | undefined, opts: Opened) => {
        if (v === undefined) checked(planParams, { departmentId: d, year: y }, 'plan');
        const key = v === undefined ? undefined : versionKey(d, y, v);
        return withRuntime(ctx, opts, false, async (rt) => {
          const service = new PlanService(rt);
          // context() catches the read models up first, as HTTP reads freshen them.
          const { context } = await service.context(d);
          if (key === undefined) {
            const view = planView(rt.projections.db, d, Number(y), context);
            if (!view) throw notFound('年度抽查工作计划 annual plan', `${d}/${y}`);
            print(view);
          } else {
            const found = planVersions(rt.projections.db, d, key.year).find((x) => x.version === key.version);
            if (!found) throw notFound('年度抽查工作计划版本 plan version', `${d}/${y}/${v}`);
            print(found);
          }
          return 0;
        });
      }),
    );

  plan
    .command('diff')
    .description('两个版本之间的调整：新增、删除、变更的事项 / what an adjustment changed between two versions (PL1)')
    .argument('<department>', '计划所属部门 / the plan\'s department')
    .argument('<year>', '年度 / the year')
    .requiredOption('--from <version>', '原版本（0 为首个版本之前的空计划） / the earlier version (0: the empty plan before version 1)')
    .requiredOption('--to <version>', '新版本 / the later version')
    .addOption(dataOption())
    .action(
      act(box, (d: string, y: string, opts: Opened & { from: string; to: string }) => {
        checked(planParams, { departmentId: d, year: y }, 'plan');
        const q = checked<{ from: string; to: string }>(planDiffQuerySchema, { from: opts.from, to: opts.to }, 'plan diff');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          print(planDiff(rt.projections.db, d, Number(y), Number(q.from), Number(q.to)));
          return 0;
        });
      }),
    );

  plan
    .command('coverage')
    .description('全局统一清单的计划覆盖情况：各事项由哪个部门的现行计划覆盖 / PL2 coverage of the unified list: which department\'s plan in force covers each item')
    .argument('<year>', '年度 / the year')
    .addOption(dataOption())
    .action(
      act(box, (y: string, opts: Opened) => {
        checked(yearParams, { year: y }, 'plan coverage');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          print(coverage(rt.projections.db, Number(y)));
          return 0;
        });
      }),
    );
}
