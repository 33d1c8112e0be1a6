import type { Command } from 'commander';
import { DirectedOrderService, recordDirectedOrderSchema, type RecordDirectedOrderRequest } from '../../app/draws/orders.js';
import { actingUserId, userMetadata, userRequired } from '../cli-actor.js';
import { act, type CliContext, type DrawRuntime, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, userOption } from '../options.js';
import { requestFrom } from './request-file.js';

interface Opened {
  readonly data?: string;
  readonly user?: string;
}

/**
 * `suiji order record|approve|show`: directed special orders (PL5), as POST /directed-orders,
 * POST /directed-orders/{id}/approval and GET /directed-orders/{id}. Record and approve act as
 * the registered user `--user`, so the decider's rules hold at the console too: an operator,
 * principal or admin records; a principal of the department (or an admin) approves, never the
 * user who recorded it (four eyes).
 */
export function registerOrder(program: Command, ctx: CliContext, box: ExitBox): void {
  const order = program.command('order').description('专项整治/上级指令 / directed special orders (PL5)');

  const withService = async (opts: Opened, write: boolean, run: (service: DirectedOrderService, rt: DrawRuntime) => Promise<number>): Promise<number> => {
    if (write && actingUserId(opts.user) === undefined) throw userRequired();
    const rt = await ctx.openDraw(dataDirOf(opts));
    try {
      return await run(new DirectedOrderService(rt.store), rt);
    } finally {
      await rt.close();
    }
  };
  const print = (v: unknown): void => ctx.out(JSON.stringify(v, null, 2));

  order
    .command('record')
    .description('登记指令（文号、下达机关、所列主体） / record an order (document number, issuing authority, the entities it names)')
    .requiredOption('--file <order.json>', '指令 JSON，同 POST /directed-orders 请求体 / the order JSON, as the body of POST /directed-orders')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (opts: Opened & { file: string }) => {
        if (actingUserId(opts.user) === undefined) throw userRequired();
        const request = requestFrom<RecordDirectedOrderRequest>(opts.file, recordDirectedOrderSchema, 'directed order');
        return withService(opts, true, async (service, rt) => {
          const orderId = await service.record(await userMetadata(rt.store, opts.user), request);
          print(await service.get(orderId));
          return 0;
        });
      }),
    );

  order
    .command('approve')
    .description('部门负责人审批指令 / a principal of the department approves the order')
    .argument('<id>', '指令编号 / order id')
    .addOption(dataOption())
    .addOption(userOption())
    .action(
      act(box, (id: string, opts: Opened) =>
        withService(opts, true, async (service, rt) => {
          print(await service.approve(await userMetadata(rt.store, opts.user), id));
          return 0;
        }),
      ),
    );

  order
    .command('show')
    .description('显示指令及其审批 / show an order and its approval')
    .argument('<id>', '指令编号 / order id')
    .addOption(dataOption())
    .action(
      act(box, (id: string, opts: Opened) =>
        withService(opts, false, async (service) => {
          print(await service.get(id));
          return 0;
        }),
      ),
    );
}
