import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadCalendar } from '../../app/calendar/index.js';
import { visitIdParamsSchema } from '../../app/tasks/index.js';
import {
  ResultService, correctResultsSchema, decideObjectionSchema, objectionFeedbackSchema, objectionParamsSchema, receiveObjectionSchema, resultListQuerySchema, reviewResultsSchema, submitResultsSchema,
  type CorrectResultsRequest, type DecideObjectionRequest, type ReceiveObjectionRequest, type ResultsWriteResult, type ReviewResultsRequest, type SubmitResultsRequest,
} from '../../app/results/index.js';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { parseJsonStrict } from '../../verify/index.js';
import { act, type CliContext, type DrawRuntime, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, userOption } from '../options.js';
import { actingAs, checked, printer, withRuntime, type Opened } from './workflow-common.js';

/** `--results` as inline JSON (starts with `[`) or a file; hostile text is a coded error naming the option. */
function resultsOption(value: string): unknown {
  let text = value;
  if (!/^\s*\[/.test(value)) {
    try {
      text = readFileSync(value, 'utf8');
    } catch {
      throw new SuijiError('NOT_FOUND', { field: '--results', path: value }, { zh: `--results：无法读取文件 ${value}`, en: `--results: cannot read ${value}` });
    }
  }
  try {
    return parseJsonStrict(text);
  } catch {
    throw new SuijiError('BAD_REQUEST', { field: '--results' }, { zh: '--results 不是有效的 JSON', en: '--results is not valid JSON' });
  }
}

/**
 * `suiji result …`: the results routes at the console (E5, P2, E6, E7) — the same request
 * schemas, the same ResultService and the same access check as HTTP; the decider names the one
 * person who may act (the leader submits; the unit principal reviews, corrects and decides).
 */
export function registerResult(program: Command, ctx: CliContext, box: ExitBox): void {
  const result = program.command('result').description('抽查结果：提交、审核公示、更正、异议 / results: submit, review and publish, correct, objections (E5–E7)');
  const print = printer(ctx);
  // The data directory's calendar (package data plus holiday files, A4), as the server uses.
  const service = (rt: DrawRuntime, opts: Opened) =>
    new ResultService({ store: rt.store, projections: rt.projections, calendar: loadCalendar(dataDirOf(opts)).calendar });
  const write = (opts: Opened, run: (s: ResultService, meta: CommandMetadata) => Promise<ResultsWriteResult>): Promise<number> =>
    withRuntime(ctx, opts, true, async (rt) => {
      const meta = await actingAs(rt, opts, 'result.write');
      print(await run(service(rt, opts), meta));
      return 0;
    });
  const command = (name: string, description: string): Command => result.command(name).description(description).addOption(dataOption()).addOption(userOption());
  const visitIdOf = (id: string): string => checked<{ visitId: string }>(visitIdParamsSchema, { visitId: id }, 'visit').visitId;

  command('submit', '组长提交检查结果（每个事项一条） / E5 the group leader submits one result per item')
    .argument('<visit>', '检查编号 / visit id')
    .requiredOption('--results <json|file>', '结果 JSON 数组 [{itemId, category, kind?, detail?}]（或其文件） / the results as a JSON array (or a file)')
    .action(act(box, (id: string, opts: Opened & { results: string }) => {
      const visitId = visitIdOf(id);
      const body = checked<SubmitResultsRequest>(submitResultsSchema, { results: resultsOption(opts.results) }, 'results');
      return write(opts, (s, meta) => s.submit(meta, visitId, body.results));
    }));

  command('review', '负责人审核：通过即公示（或不予公开），或退回并说明理由 / P2 a principal approves (published at once, or exempt) or returns with a reason')
    .argument('<visit>', '检查编号 / visit id')
    .addOption(new Option('--decision <d>', '审核决定 / the decision').choices(['approve', 'return']).makeOptionMandatory())
    .option('--reason <text>', '退回理由 / why it is returned')
    .option('--exempt-reason <text>', '不予公开的理由 / why it is exempt from disclosure')
    .option('--exempt-basis <text>', '不予公开的法律依据 / the legal basis of the exemption')
    .action(act(box, (id: string, opts: Opened & { decision: string; reason?: string; exemptReason?: string; exemptBasis?: string }) => {
      const visitId = visitIdOf(id);
      const body = checked<ReviewResultsRequest>(reviewResultsSchema, {
        decision: opts.decision,
        ...(opts.reason !== undefined && { reason: opts.reason }),
        ...((opts.exemptReason !== undefined || opts.exemptBasis !== undefined) && { exemption: { reason: opts.exemptReason, basis: opts.exemptBasis } }),
      }, 'review');
      return write(opts, (s, meta) => s.review(meta, visitId, { decision: body.decision, ...(body.reason !== undefined && { reason: body.reason }), ...(body.exemption !== undefined && { exemption: body.exemption }) }));
    }));

  command('correct', '单位负责人以本人身份更正已公示的结果（原结果保留） / E6 the unit principal corrects a published result; the original stays')
    .argument('<visit>', '检查编号 / visit id')
    .requiredOption('--reason <text>', '更正理由 / the reason')
    .requiredOption('--results <json|file>', '更正后的结果 / the corrected results')
    .option('--objection <n>', '据以更正的异议序号 / the objection that found the result wrong')
    .action(act(box, (id: string, opts: Opened & { reason: string; results: string; objection?: string }) => {
      const visitId = visitIdOf(id);
      const body = checked<CorrectResultsRequest>(correctResultsSchema, {
        reason: opts.reason, results: resultsOption(opts.results), ...(opts.objection !== undefined && { objection: /^\d{1,6}$/.test(opts.objection) ? Number(opts.objection) : opts.objection }),
      }, 'correction');
      return write(opts, (s, meta) => s.correct(meta, visitId, { reason: body.reason, results: body.results, ...(body.objection !== undefined && { objection: body.objection }) }));
    }));

  command('object', '工作人员登记检查对象的异议 / E7 staff record an objection of the target')
    .argument('<visit>', '检查编号 / visit id')
    .requiredOption('--uscc <code>', '统一社会信用代码 / the credit code')
    .requiredOption('--contact <text>', '联系人及方式 / contact')
    .requiredOption('--statement <text>', '异议内容 / the objection')
    .option('--received-on <date>', '收到日期 YYYY-MM-DD（缺省今天） / the day it arrived (default today)')
    .action(act(box, (id: string, opts: Opened & { uscc: string; contact: string; statement: string; receivedOn?: string }) => {
      const visitId = visitIdOf(id);
      const body = checked<ReceiveObjectionRequest>(receiveObjectionSchema, { uscc: opts.uscc, contact: opts.contact, statement: opts.statement, ...(opts.receivedOn !== undefined && { receivedOn: opts.receivedOn }) }, 'objection');
      return write(opts, (s, meta) => s.receiveObjection(meta, visitId, { channel: 'staff', ...body }));
    }));

  command('decide', '负责人作出异议复核决定 / E7 the principal\'s re-check decision')
    .argument('<visit>', '检查编号 / visit id')
    .argument('<n>', '异议序号 / the objection number')
    .addOption(new Option('--outcome <o>', '复核结论 / the outcome').choices(['resultStands', 'resultWrong']).makeOptionMandatory())
    .requiredOption('--reason <text>', '理由 / the reason')
    .action(act(box, (id: string, n: string, opts: Opened & { outcome: string; reason: string }) => {
      const p = checked<{ visitId: string; objection: string }>(objectionParamsSchema, { visitId: id, objection: n }, 'objection');
      const body = checked<DecideObjectionRequest>(decideObjectionSchema, { outcome: opts.outcome, reason: opts.reason }, 'decision');
      return write(opts, (s, meta) => s.decideObjection(meta, p.visitId, { objection: Number(p.objection), ...body }));
    }));

  command('feedback', '向检查对象反馈复核结果 / E7 feedback to the target')
    .argument('<visit>', '检查编号 / visit id')
    .argument('<n>', '异议序号 / the objection number')
    .requiredOption('--feedback <text>', '反馈内容 / the feedback')
    .action(act(box, (id: string, n: string, opts: Opened & { feedback: string }) => {
      const p = checked<{ visitId: string; objection: string }>(objectionParamsSchema, { visitId: id, objection: n }, 'objection');
      const body = checked<{ feedback: string }>(objectionFeedbackSchema, { feedback: opts.feedback }, 'feedback');
      return write(opts, (s, meta) => s.giveFeedback(meta, p.visitId, { objection: Number(p.objection), feedback: body.feedback }));
    }));

  command('show', '检查结果、公示期限、更正与异议 / E5–E7 a visit\'s results, deadline, corrections and objections')
    .argument('<visit>', '检查编号 / visit id')
    .action(act(box, (id: string, opts: Opened) => {
      const visitId = visitIdOf(id);
      return withRuntime(ctx, opts, false, async (rt) => {
        await actingAs(rt, opts, 'result.read');
        print(await service(rt, opts).view(visitId));
        return 0;
      });
    }));

  command('list', '按单位、状态、是否逾期列出结果 / E5 results by unit, status and overdue')
    .option('--unit <id>', '执行单位 / the executing unit')
    .option('--status <s>', '状态 / notSubmitted | submitted | returned | published | exempt')
    .option('--overdue', '仅逾期或迟延公示的 / overdue or published late only')
    .option('--limit <n>', '最多条数 1–500 / at most this many visits', '100')
    .action(act(box, (opts: Opened & { unit?: string; status?: string; overdue?: boolean; limit: string }) => {
      const q = checked<{ unit?: string; status?: string; overdue?: string; limit?: string }>(resultListQuerySchema, {
        ...(opts.unit !== undefined && { unit: opts.unit }), ...(opts.status !== undefined && { status: opts.status }), ...(opts.overdue && { overdue: 'true' }), limit: opts.limit,
      }, 'result list');
      return withRuntime(ctx, opts, false, async (rt) => {
        await actingAs(rt, opts, 'result.read');
        print(await service(rt, opts).list({ limit: Number(q.limit ?? 100), ...(q.unit !== undefined && { unit: q.unit }), ...(q.status !== undefined && { status: q.status }), ...(q.overdue !== undefined && { overdue: true }) }));
        return 0;
      });
    }));
}
