import type { Command } from 'commander';
import { toVisitListQuery, visitIdParamsSchema, visitListQuerySchema, type VisitListRequest } from '../../app/tasks/index.js';
import { notFound } from '../../domain/registers/index.js';
import { getVisit, listVisits } from '../../projections/visits/index.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataOption } from '../options.js';
import { checked, printer, withRuntime, type Opened } from './workflow-common.js';

/**
 * `suiji visit list|show`: the T6 work queue and one T5 visit at the console, as GET /visits and
 * GET /visits/{id}. Reads only, so they need no `--user`, as the other CLI reads. Kept apart from
 * the `visit` writes (src/cli/commands/visit.ts) so both can grow without touching each other:
 * `parent` is the `visit` command when it already exists.
 */
export function registerVisitRead(program: Command, ctx: CliContext, box: ExitBox): void {
  const visit = program.commands.find((c) => c.name() === 'visit') ?? program.command('visit').description('检查（一次上门）与执行单位的检查清单 / visits (T5) and executing units\' work queues (T6)');
  const print = printer(ctx);

  visit
    .command('list')
    .description('执行单位的检查清单，按检查编号（即开始日期、对象）排序 / a unit\'s work queue in visit-id order (window start, then target) (T6)')
    .option('--unit <id>', '实施单位（缺省为全部） / the executing unit (all when absent)')
    .option('--status <status>', '只列已匹配或未匹配的检查 / only matched or unmatched visits: matched | unmatched')
    .option('--after <visitId>', '上一页最后一个检查编号 / the visit id of the previous page\'s last visit')
    .option('--limit <n>', '条数 1–1000，默认 100 / how many, 1–1000 (default 100)')
    .addOption(dataOption())
    .action(
      act(box, (opts: Opened & Record<string, string | undefined>) => {
        const { data: _data, ...query } = opts;
        const q = checked<VisitListRequest>(visitListQuerySchema, { ...query }, 'visit list');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          print({ items: listVisits(rt.projections.db, toVisitListQuery(q)) });
          return 0;
        });
      }),
    );

  visit
    .command('show')
    .description('显示一次上门检查：对象、时间窗、事项、合并的任务 / show one visit: target, window, items, merged tasks (T5)')
    .argument('<id>', '检查编号 <单位>-<YYYYMMDD>-<信用代码> / visit id <unit>-<YYYYMMDD>-<uscc>')
    .addOption(dataOption())
    .action(
      act(box, (id: string, opts: Opened) => {
        const { visitId } = checked<{ visitId: string }>(visitIdParamsSchema, { visitId: id }, 'visit');
        return withRuntime(ctx, opts, false, async (rt) => {
          await rt.projections.catchUp();
          const v = getVisit(rt.projections.db, visitId);
          if (!v) throw notFound('检查 visit', visitId);
          print(v);
          return 0;
        });
      }),
    );
}
