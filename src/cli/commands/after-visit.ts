import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { loadCalendar } from '../../app/calendar/index.js';
import { visitIdParamsSchema } from '../../app/tasks/index.js';
import { FollowUpService, closeFollowUpSchema, followUpListQuerySchema, openFollowUpSchema, updateFollowUpSchema, type OpenFollowUpRequest } from '../../app/followups/index.js';
import { inspectionReportRows, reportToCsv, reportToXlsx } from '../../app/reports/index.js';
import { ResultService, recordOutcomeSchema, type RecordOutcomeRequest } from '../../app/results/index.js';
import { TransferService, acceptTransferSchema, proposeTransferSchema, type AcceptTransferRequest, type ProposeTransferRequest } from '../../app/transfers/index.js';
import { dateSchema, idSchema } from '../../domain/registers/schemas.js';
import type { FollowUpKind } from '../../domain/followups/index.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, userOption } from '../options.js';
import { actingAs, checked, printer, withRuntime, type Opened } from './workflow-common.js';

const reportQuery = { type: 'object', additionalProperties: false, required: ['department', 'from', 'to'], properties: { department: idSchema, from: dateSchema, to: dateSchema } } as const;

/**
 * E8/E9/A1 at the console: `suiji visit outcome|transfer|accept-transfer`, `suiji followup
 * open|update|close|list`, `suiji report` — the same schemas, services and access checks as HTTP.
 */
export function registerAfterVisit(program: Command, ctx: CliContext, box: ExitBox): void {
  const print = printer(ctx);
  const visit = program.commands.find((c) => c.name() === 'visit') ?? program.command('visit');
  const on = (parent: Command, name: string, description: string): Command => parent.command(name).description(description).addOption(dataOption()).addOption(userOption());
  const visitIdOf = (id: string): string => checked<{ visitId: string }>(visitIdParamsSchema, { visitId: id }, 'visit').visitId;

  on(visit, 'outcome', '组长记录未检查情形（无法联系/已注销/已撤销/已吊销），视为完成 / E8 the leader records a target not inspected')
    .argument('<visit>', '检查编号 / visit id')
    .addOption(new Option('--outcome <o>', '情形 / the outcome').choices(['unreachable', 'deregistered', 'revoked', 'licenceRevoked']).makeOptionMandatory())
    .requiredOption('--basis <text>', '依据与经过 / the basis (what was found, where)')
    .option('--evidence <sha256>', '证据文件哈希 / an evidence file\'s SHA-256')
    .action(act(box, (id: string, opts: Opened & { outcome: string; basis: string; evidence?: string }) => {
      const visitId = visitIdOf(id);
      const body = checked<RecordOutcomeRequest>(recordOutcomeSchema, { outcome: opts.outcome, basis: opts.basis, ...(opts.evidence !== undefined && { evidence: opts.evidence }) }, 'outcome');
      return withRuntime(ctx, opts, true, async (rt) => {
        const meta = await actingAs(rt, opts, 'result.write');
        const s = new ResultService({ store: rt.store, projections: rt.projections, calendar: loadCalendar(dataDirOf(opts)).calendar });
        print(await s.recordOutcome(meta, visitId, body));
        return 0;
      });
    }));

  on(visit, 'transfer', '执行单位提出移交（已迁出）给新辖区单位 / E8 propose a moved target to the new jurisdiction\'s unit')
    .argument('<visit>', '检查编号 / visit id')
    .requiredOption('--to <unit>', '接收单位 / the receiving unit')
    .requiredOption('--reason <text>', '理由 / the reason')
    .action(act(box, (id: string, opts: Opened & { to: string; reason: string }) => {
      const visitId = visitIdOf(id);
      const body = checked<ProposeTransferRequest>(proposeTransferSchema, { toUnit: opts.to, reason: opts.reason }, 'transfer');
      return withRuntime(ctx, opts, true, async (rt) => {
        print(await new TransferService(rt).propose(await actingAs(rt, opts, 'afterVisit.write'), visitId, body));
        return 0;
      });
    }));

  on(visit, 'accept-transfer', '接收单位负责人接收移交并指定本单位检查组 / E8 the receiving unit\'s principal accepts, naming its group')
    .argument('<visit>', '检查编号 / visit id')
    .requiredOption('--leader <id>', '组长 / the leader')
    .requiredOption('--members <ids>', '组员（逗号分隔，含组长） / members, comma-separated, the leader included')
    .action(act(box, (id: string, opts: Opened & { leader: string; members: string }) => {
      const visitId = visitIdOf(id);
      const body = checked<AcceptTransferRequest>(acceptTransferSchema, { leader: opts.leader, members: opts.members.split(',').map((m) => m.trim()) }, 'accept-transfer');
      return withRuntime(ctx, opts, true, async (rt) => {
        print(await new TransferService(rt).accept(await actingAs(rt, opts, 'afterVisit.write'), visitId, { leader: body.leader, members: [...body.members] }));
        return 0;
      });
    }));

  const followup = program.command('followup').description('后续处置：移交日常监管、立案、移送司法、不配合措施 / follow-ups (E9)');
  on(followup, 'open', '对有问题的已公示结果开启后续处置 / E9 open a follow-up of a result with a problem')
    .argument('<visit>', '检查编号 / visit id')
    .requiredOption('--item <id>', '事项 / the item')
    .addOption(new Option('--kind <k>', '类型 / kind').choices(['handover', 'caseFiling', 'judicialReferral', 'nonCooperationMeasures']).makeOptionMandatory())
    .option('--handled-by <text>', '接收单位或机关 / the receiving unit or authority')
    .option('--case-number <text>', '立案编号 / the case number')
    .option('--note <text>', '说明 / a note')
    .action(act(box, (id: string, opts: Opened & { item: string; kind: string; handledBy?: string; caseNumber?: string; note?: string }) => {
      const body = checked<OpenFollowUpRequest>(openFollowUpSchema, {
        visitId: visitIdOf(id), itemId: opts.item, kind: opts.kind,
        ...(opts.handledBy !== undefined && { handledBy: opts.handledBy }), ...(opts.caseNumber !== undefined && { caseNumber: opts.caseNumber }), ...(opts.note !== undefined && { note: opts.note }),
      }, 'followup');
      return withRuntime(ctx, opts, true, async (rt) => {
        const { kind, handledBy, caseNumber, note, ...rest } = body;
        print(await new FollowUpService(rt).open(await actingAs(rt, opts, 'afterVisit.write'), {
          ...rest, kind: kind as FollowUpKind, ...(handledBy !== undefined && { handledBy }), ...(caseNumber !== undefined && { caseNumber }), ...(note !== undefined && { note }),
        }));
        return 0;
      });
    }));
  on(followup, 'update', '更新处置进展 / E9 a status update')
    .argument('<followUp>', '后续处置编号 / follow-up id')
    .requiredOption('--status <text>', '状态 / status')
    .requiredOption('--note <text>', '进展 / what happened')
    .action(act(box, (id: string, opts: Opened & { status: string; note: string }) => {
      const body = checked<{ status: string; note: string }>(updateFollowUpSchema, { status: opts.status, note: opts.note }, 'followup');
      return withRuntime(ctx, opts, true, async (rt) => {
        print(await new FollowUpService(rt).update(await actingAs(rt, opts, 'afterVisit.write'), id, body));
        return 0;
      });
    }));
  on(followup, 'close', '办结 / E9 close with the outcome')
    .argument('<followUp>', '后续处置编号 / follow-up id')
    .requiredOption('--outcome <text>', '办理结果 / the outcome')
    .action(act(box, (id: string, opts: Opened & { outcome: string }) => {
      const body = checked<{ outcome: string }>(closeFollowUpSchema, { outcome: opts.outcome }, 'followup');
      return withRuntime(ctx, opts, true, async (rt) => {
        print(await new FollowUpService(rt).close(await actingAs(rt, opts, 'afterVisit.write'), id, body));
        return 0;
      });
    }));
  on(followup, 'list', '列出后续处置及状态 / E9 follow-ups with their status')
    .option('--unit <id>', '执行单位 / executing unit')
    .option('--visit <id>', '检查编号 / visit id')
    .addOption(new Option('--status <s>', '状态 / status').choices(['open', 'closed']))
    .option('--limit <n>', '条数 / how many', '100')
    .action(act(box, (opts: Opened & { unit?: string; visit?: string; status?: 'open' | 'closed'; limit: string }) => {
      const q = checked<{ unit?: string; visitId?: string; status?: 'open' | 'closed'; limit: number }>(followUpListQuerySchema, {
        limit: Number(opts.limit), ...(opts.unit !== undefined && { unit: opts.unit }), ...(opts.visit !== undefined && { visitId: opts.visit }), ...(opts.status !== undefined && { status: opts.status }),
      }, 'followup list');
      return withRuntime(ctx, opts, false, async (rt) => {
        await actingAs(rt, opts, 'followUp.read');
        print(await new FollowUpService(rt).list(q));
        return 0;
      });
    }));

  program.command('report').description('上报统计：按部门和期间列出任务与检查（CSV/XLSX） / E8/A1 the upward report per department and period')
    .addOption(dataOption()).addOption(userOption())
    .requiredOption('--department <id>', '部门 / department')
    .requiredOption('--from <date>', '起始日（任务截止日在期间内） / first day (task window end in the period)')
    .requiredOption('--to <date>', '截止日 / last day')
    .addOption(new Option('--format <f>', '格式 / format').choices(['csv', 'xlsx']).default('csv'))
    .option('--out <file>', '输出文件（默认标准输出，仅 CSV） / output file (default stdout, CSV only)')
    .action(act(box, (opts: Opened & { department: string; from: string; to: string; format: 'csv' | 'xlsx'; out?: string }) => {
      const q = checked<{ department: string; from: string; to: string }>(reportQuery, { department: opts.department, from: opts.from, to: opts.to }, 'report');
      return withRuntime(ctx, opts, false, async (rt) => {
        await actingAs(rt, opts, 'report.read');
        const results = new ResultService({ store: rt.store, projections: rt.projections, calendar: loadCalendar(dataDirOf(opts)).calendar });
        const rows = await inspectionReportRows({ projections: rt.projections, results }, q);
        const bytes = opts.format === 'xlsx' ? await reportToXlsx(rows) : reportToCsv(rows);
        if (opts.out !== undefined) {
          writeFileSync(opts.out, bytes);
          ctx.out(`已写出 ${rows.length} 行 / wrote ${rows.length} rows: ${opts.out}`);
        } else if (opts.format === 'xlsx') {
          ctx.err('XLSX 须用 --out 指定文件 / XLSX needs --out\n');
          return 2;
        } else ctx.write(new TextDecoder().decode(bytes));
        return 0;
      });
    }));
}
