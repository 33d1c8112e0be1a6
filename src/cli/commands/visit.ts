import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { DrawService } from '../../app/draws/index.js';
import { visitIdParamsSchema } from '../../app/tasks/index.js';
import {
  VisitService, assignVisitSchema, commitMatchingSchema, matchingDrawParamsSchema, replacementRequestParamsSchema, requestReplacementSchema,
  type AssignVisitRequest, type CommitMatchingRequest, type RequestReplacementRequest, type VisitWriteResult,
} from '../../app/visits/index.js';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { DuplicateKeyError, parseJsonStrict } from '../../verify/index.js';
import { userMetadata } from '../cli-actor.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataOption, userOption } from '../options.js';
import { checked, printer, withRuntime, type Opened } from './workflow-common.js';

/**
 * A JSON-valued option: inline JSON (it starts with `{` or `[`), else the path of a JSON file.
 * Hostile text is a coded error naming the option, never a raw exception (STYLE habit 6).
 */
function jsonOption(value: string, flag: string): unknown {
  let text = value;
  if (!/^\s*[[{]/.test(value)) {
    try {
      text = readFileSync(value, 'utf8');
    } catch {
      throw new SuijiError('NOT_FOUND', { field: flag, path: value }, { zh: `${flag}：无法读取文件 ${value}`, en: `${flag}: cannot read ${value}` });
    }
  }
  try {
    return parseJsonStrict(text);
  } catch (e) {
    const where = e instanceof DuplicateKeyError ? { reason: 'DUPLICATE_KEY', key: e.key, pointer: e.pointer } : {};
    throw new SuijiError('BAD_REQUEST', { field: flag, ...where }, { zh: `${flag} 不是有效的 JSON（或含重复键名）`, en: `${flag} is not valid JSON (or repeats a key)` });
  }
}

/** `A,B,C` as the body's array; empty entries stay, so the schema names them (`/members/1`). */
const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()));
/** A decimal integer as a number; anything else stays a string, so the schema refuses it naming the field. */
const int = (v: string | undefined): number | string | undefined => (v !== undefined && /^-?\d{1,15}$/.test(v) ? Number(v) : v);
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * `--witness ID:COMMITMENT …` (the V3 witness plan most matchings use) or the whole entropy plan
 * (`--entropy`, as in a draw request: drand, ceremony). Chosen: minReveals defaults to every
 * witness and onMissing to `abandon`, the strict choice (a missing witness never lets the others decide).
 */
function entropyOf(opts: MatchOpts): unknown {
  if (opts.entropy !== undefined) return jsonOption(opts.entropy, '--entropy');
  if (opts.witness === undefined)
    throw new SuijiError('VALIDATION_FAILED', { field: '--witness' }, { zh: '缺少参数 --witness 或 --entropy', en: '--witness or --entropy is required' });
  const members = opts.witness.map((w) => {
    const at = w.lastIndexOf(':');
    return at < 0 ? { id: w } : { id: w.slice(0, at), commitment: w.slice(at + 1) };
  });
  return { witnesses: { members, minReveals: int(opts.minReveals) ?? members.length, onMissing: opts.onMissing ?? 'abandon' } };
}

interface MatchOpts extends Opened {
  readonly department?: string;
  readonly visits: string;
  readonly inspectors: string;
  readonly neighbours?: string;
  readonly groupSize: string;
  readonly maxLoad: string;
  readonly experts?: string;
  readonly witness?: string[];
  readonly minReveals?: string;
  readonly onMissing?: string;
  readonly entropy?: string;
  readonly revealDeadline: string;
  readonly drandFallbackAfter?: string;
}

/** The `POST /visits/matchings` body from the options; checked by the route's own schema before the ledger is opened. */
function matchingRequest(opts: MatchOpts): CommitMatchingRequest {
  const body = {
    ...(opts.department !== undefined && { department: opts.department }),
    visits: list(opts.visits),
    inspectors: jsonOption(opts.inspectors, '--inspectors'),
    ...(opts.neighbours !== undefined && { neighbours: jsonOption(opts.neighbours, '--neighbours') }),
    groupSize: int(opts.groupSize),
    maxLoad: int(opts.maxLoad),
    ...(opts.experts !== undefined && { experts: jsonOption(opts.experts, '--experts') }),
    entropy: entropyOf(opts),
    revealDeadline: opts.revealDeadline,
    ...(opts.drandFallbackAfter !== undefined && { drandFallbackAfter: opts.drandFallbackAfter }),
  };
  return checked<CommitMatchingRequest>(commitMatchingSchema, body, 'visit matching');
}

/**
 * `suiji visit match|apply|assign|replace|approve`: inspector matching per visit (T6–T8, T10) at
 * the console, as POST /visits/matchings, …/:drawId/application, /visits/:id/assignment,
 * …/replacements and …/replacements/:n/approval. The same request schemas and the same
 * VisitService as the routes; like the routes (requireActor), any registered `--user` may call
 * and the visit decider decides the role and department (an operator cannot assign or approve).
 * Each prints the route's write result `{ drawId, visits, events, position, replayed }`.
 */
export function registerVisit(program: Command, ctx: CliContext, box: ExitBox): void {
  const visit = program.commands.find((c) => c.name() === 'visit') ?? program.command('visit').description('检查（一次上门）与执行单位的检查清单 / visits (T5) and executing units\' work queues (T6)');
  const print = printer(ctx);

  /** Opens the ledger as the registered `--user`, runs one VisitService call, prints its result. */
  const write = (opts: Opened, run: (service: VisitService, meta: CommandMetadata) => Promise<VisitWriteResult>): Promise<number> =>
    withRuntime(ctx, opts, true, async (rt) => {
      const meta = await userMetadata(rt.store, opts.user);
      const service = new VisitService({ store: rt.store, projections: rt.projections, draws: new DrawService({ store: rt.store, projections: rt.projections }) });
      print(await run(service, meta));
      return 0;
    });
  const command = (name: string, description: string): Command => visit.command(name).description(description).addOption(dataOption()).addOption(userOption());
  const visitIdOf = (id: string): string => checked<{ visitId: string }>(visitIdParamsSchema, { visitId: id }, 'visit').visitId;

  command('match', '执行单位对所列检查摇号匹配检查人员（提交承诺；之后用 suiji draw reveal/complete，再 visit apply） / T6 commit an inspector-group draw over the listed visits (then suiji draw reveal/complete, then visit apply)')
    .requiredOption('--visits <ids>', '检查编号，逗号分隔（本单位的，或参与的联合检查） / visit ids, comma-separated (the unit\'s own, or joint visits it takes part in)')
    .requiredOption('--inspectors <json|file>', '检查人员筛选条件 JSON（或其文件），同请求体 inspectors / the inspector filter as JSON (or a file), as the body\'s inspectors')
    .option('--neighbours <json|file>', 'T8 相邻地区检查人员筛选条件，仅本地不足时使用 / T8 the neighbouring region\'s inspector filter, used only where local ones run short')
    .requiredOption('--group-size <n>', '每组人数 2–20 / inspectors per group, 2–20')
    .requiredOption('--max-load <n>', '每名检查人员最多参加的组数 / at most this many groups per inspector')
    .option('--experts <json|file>', 'T7 专家 {filter, perTarget, maxLoad} JSON（或其文件） / T7 experts {filter, perTarget, maxLoad} as JSON (or a file)')
    .addOption(new Option('--witness <id:commitment>', '见证人及其承诺（SHA-256 十六进制），可重复 / a witness and its commitment (SHA-256 hex); repeat for each').argParser(collect))
    .option('--min-reveals <n>', '至少揭示的见证人数，默认全部 / witnesses that must reveal (default: all)')
    .addOption(new Option('--on-missing <what>', '见证人未揭示时 / when a witness does not reveal').choices(['abandon', 'proceed']))
    .addOption(new Option('--entropy <json|file>', '完整熵源计划 JSON（drand、现场仪式），同摇号请求 / the whole entropy plan as JSON (drand, ceremony), as in a draw request').conflicts(['witness', 'minReveals', 'onMissing']))
    .requiredOption('--reveal-deadline <instant>', '揭示截止时间 ISO 8601 UTC，如 2026-03-01T12:00:00Z / the reveal deadline, ISO 8601 UTC')
    .option('--drand-fallback-after <instant>', '此后改用 drand 后备轮次 / use the drand fallback round after this instant')
    .option('--department <id>', '出人的部门（缺省为 --user 的部门） / the contributing department (default: --user\'s own)')
    .action(
      act(box, (opts: MatchOpts) => {
        const req = matchingRequest(opts);
        return write(opts, (service, meta) => service.commitMatching(meta, req));
      }),
    );

  command('apply', '把已完成（或已废弃）的匹配摇号结果记入各检查 / T6 record each visit\'s group from the completed (or abandoned) matching draw')
    .argument('<drawId>', '匹配摇号编号 / the matching draw id')
    .action(
      act(box, (id: string, opts: Opened) => {
        const { drawId } = checked<{ drawId: string }>(matchingDrawParamsSchema, { drawId: id }, 'matching draw');
        return write(opts, (service, meta) => service.applyMatching(meta, drawId));
      }),
    );

  command('assign', '部门负责人对未匹配的检查直接指派检查组，须说明理由 / T8/T7 a principal assigns an unmatched visit\'s group directly, with a reason')
    .argument('<id>', '检查编号 / visit id')
    .requiredOption('--leader <id>', '组长（须为组员之一） / the leader (one of the members)')
    .requiredOption('--members <ids>', '检查人员，逗号分隔，至少两名 / inspectors, comma-separated, at least two')
    .option('--experts <ids>', '专家，逗号分隔 / experts, comma-separated')
    .requiredOption('--reason <text>', '直接指派的理由 / why the group is assigned directly')
    .option('--department <id>', '出人的部门（缺省为 --user 的部门） / the contributing department (default: --user\'s own)')
    .action(
      act(box, (id: string, opts: Opened & { leader: string; members: string; experts?: string; reason: string; department?: string }) => {
        const visitId = visitIdOf(id);
        const body = checked<AssignVisitRequest>(assignVisitSchema, {
          ...(opts.department !== undefined && { department: opts.department }),
          leader: opts.leader, members: list(opts.members), ...(opts.experts !== undefined && { experts: list(opts.experts) }), reason: opts.reason,
        }, 'visit assignment');
        return write(opts, (service, meta) => service.assign(meta, visitId, body));
      }),
    );

  command('replace', '申请更换检查组成员，说明原因 / T10 request the replacement of a group member, naming the reason')
    .argument('<id>', '检查编号 / visit id')
    .requiredOption('--target-member <id>', '被更换的检查人员 / the member to replace')
    .requiredOption('--reason <reason>', '原因 / reason: postChange | workConflict | health')
    .action(
      act(box, (id: string, opts: Opened & { targetMember: string; reason: string }) => {
        const visitId = visitIdOf(id);
        const body = checked<RequestReplacementRequest>(requestReplacementSchema, { member: opts.targetMember, reason: opts.reason }, 'replacement request');
        return write(opts, (service, meta) => service.requestReplacement(meta, visitId, body));
      }),
    );

  command('approve', '部门负责人以本人身份审批更换；随即摇号更换并记入检查 / T10 a principal approves as themself; the replacement is drawn and recorded')
    .argument('<id>', '检查编号 / visit id')
    .argument('<n>', '更换申请序号 / the replacement request number')
    .action(
      act(box, (id: string, n: string, opts: Opened) => {
        const p = checked<{ visitId: string; request: string }>(replacementRequestParamsSchema, { visitId: id, request: n }, 'replacement approval');
        return write(opts, (service, meta) => service.approveReplacement(meta, p.visitId, Number(p.request)));
      }),
    );
}
