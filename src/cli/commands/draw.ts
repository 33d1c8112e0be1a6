import { Option, type Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import type {
  CommitExpertsRequest, CommitInspectorGroupsRequest, CommitReplacementRequest, CommitTargetsRequest, ExtendDrawRequest, ReplaceInDrawRequest,
} from '../../app/draws/requests.js';
import type { DrawService } from '../../app/draws/service.js';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { act, type CliContext, type DrawRuntime, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, nonNegativeInt, userOption } from '../options.js';
import { describeVerdict, exitOf, readJson, readLogKey, verifyAnchoredFile, verifyFile } from './draw-files.js';

export { describeVerdict, verifyFile } from './draw-files.js';
export type { DrawRuntime, OpenDrawRuntime } from '../context.js';

interface Opened {
  readonly data?: string;
}
interface Acting extends Opened {
  readonly user?: string;
  readonly department?: string;
}

const departmentCheck = (): Option =>
  new Option('--department <id>', '（可选）核对：须为 --user 登记的部门 / (optional) check: must be the department --user is registered in');

/** A draw write: `--user` (or SUIJI_USER) is required before anything is opened. */
const writeCommand = (parent: Command, name: string, description: string): Command =>
  parent.command(name).description(description).addOption(dataOption()).addOption(userOption()).addOption(departmentCheck());

/**
 * `suiji draw …`: reading a draw, its record and its verdict needs nobody (V4: public); every
 * write acts as the registered user `--user`, so the draw service applies the same rules as
 * over HTTP (the item must be on the user's department's list, who may complete or abandon).
 */
export function registerDraw(program: Command, ctx: CliContext, box: ExitBox): void {
  const draw = program.command('draw').description('摇号 / draws: commit, reveal, drand, ceremony, complete, abandon, export, verify');

  /** Opens the ledger (or the test's stack) for one command; always closed. */
  // The draw service, the request schemas and the acting user's lookup are loaded by the commands
  // that use them: `draw verify --offline` needs none of them (issue 13: CLI start-up).
  const withService = async <T>(opts: Opened, run: (service: DrawService, rt: DrawRuntime) => Promise<T>): Promise<T> => {
    const { DrawService } = await import('../../app/draws/service.js');
    const rt = await ctx.openDraw(dataDirOf(opts));
    try {
      return await run(new DrawService({ store: rt.store, projections: rt.projections }), rt);
    } finally {
      await rt.close();
    }
  };
  const asUser = async <T>(opts: Acting, run: (service: DrawService, meta: CommandMetadata) => Promise<T>): Promise<T> => {
    const { actingUserId, userMetadata, userRequired } = await import('../cli-actor.js');
    if (actingUserId(opts.user) === undefined) throw userRequired();
    return withService(opts, async (service, rt) => run(service, await userMetadata(rt.store, opts.user, opts.department)));
  };

  draw
    .command('list')
    .description('列出摇号 / list draws')
    .addOption(dataOption())
    .option('--task <id>', '只列此任务 / only this task')
    .option('--limit <n>', '最多条数 / at most this many', nonNegativeInt('--limit'), 100)
    .action(
      act(box, (opts: Opened & { task?: string; limit: number }) =>
        withService(opts, async (_service, rt) => {
          const { listDraws } = await import('../../projections/draws/index.js');
          await rt.projections.catchUp();
          for (const d of listDraws(rt.projections.db, { ...(opts.task !== undefined && { task: opts.task }), limit: opts.limit }))
            ctx.out(`${d.drawId}\t${d.status}\t${d.committedAt}\tpool ${d.poolSize}\texcluded ${d.excluded}\t${d.commitmentHash}`);
          return 0;
        }),
      ),
    );

  draw
    .command('show')
    .description('显示一次摇号（公开视图） / show one draw (the public view)')
    .argument('<id>', '摇号编号 / draw id')
    .addOption(dataOption())
    .action(
      act(box, (id: string, opts: Opened) =>
        withService(opts, async (service) => {
          ctx.out(JSON.stringify(await service.get(id), null, 2));
          return 0;
        }),
      ),
    );

  draw
    .command('export')
    .description('导出自包含的公开记录（docs/lottery-spec.md §8） / write a draw\'s self-contained public record')
    .argument('<id>', '摇号编号 / draw id')
    .addOption(dataOption())
    .option('--out <file>', '写入文件，默认标准输出 / write to FILE instead of stdout')
    .action(
      act(box, (id: string, opts: Opened & { out?: string }) =>
        withService(opts, async (service) => {
          const record = await service.publicExport(id);
          const text = `${JSON.stringify(record, null, 2)}\n`;
          if (opts.out === undefined) ctx.write(text);
          else {
            writeFileSync(opts.out, text);
            ctx.out(`已导出 / exported ${record.commitment.drawId} → ${opts.out}`);
          }
          return 0;
        }),
      ),
    );

  draw
    .command('verify')
    .description('重放记录并与账本比对：ledger / foreign / inconsistent（退出码 0 为本账本记录，1 否则） / replay a record and compare it with the ledger (exit 0 the ledger\'s record, 1 otherwise)')
    .argument('[file]', '公开记录 JSON / a public record JSON file')
    .addOption(dataOption())
    .option('--draw <id>', '复核账本中的这次摇号 / replay this draw as stored in the ledger')
    .addOption(new Option('--offline', '只重放文件，不读账本（结论 unanchored；给出 --proof 与 --log-key 时离线锚定） / replay the file only, no ledger (verdict unanchored; anchored with --proof and --log-key)').conflicts('draw'))
    .addOption(new Option('--proof <proof.json>', '账本证明（GET /draws/:id/proof），离线锚定 / the ledger proof bundle: anchor offline').conflicts('draw'))
    .addOption(new Option('--log-key <vkey>', '日志公钥或其文件（keys/log.vkey） / the log verifier key, or its file').conflicts('draw'))
    .action(
      act(box, async (file: string | undefined, opts: Opened & { draw?: string; offline?: boolean; proof?: string; logKey?: string }) => {
        if (file === undefined && opts.draw === undefined)
          throw new SuijiError('VALIDATION_FAILED', { field: 'FILE' }, { zh: '请给出记录文件 FILE 或 --draw 编号', en: 'give a record FILE or --draw ID' });
        if (file !== undefined && opts.draw !== undefined)
          throw new SuijiError('VALIDATION_FAILED', { field: '--draw' }, { zh: 'FILE 与 --draw 只能给一个', en: 'give FILE or --draw, not both' });
        if (file !== undefined && opts.logKey !== undefined) {
          const v = verifyAnchoredFile(file, opts.proof, readLogKey(opts.logKey));
          ctx.out(describeVerdict(v));
          return exitOf(v);
        }
        if (opts.proof !== undefined)
          throw new SuijiError('VALIDATION_FAILED', { field: '--log-key' }, { zh: '离线锚定需要日志公钥 --log-key', en: 'anchoring offline needs the log verifier key: --log-key' });
        if (file !== undefined && opts.offline === true) {
          const v = verifyFile(file);
          ctx.out(describeVerdict(v));
          return exitOf(v);
        }
        return withService(opts, async (service) => {
          const v = file !== undefined ? await service.verifyRecord(readJson(file)) : await service.verifyStored(opts.draw!);
          ctx.out(describeVerdict(v));
          return exitOf(v);
        });
      }),
    );

  const commits = [
    ['commit-targets', '提交抽取对象承诺 / commit a target draw (T3, L2, PL5)', async (s: DrawService, m: CommandMetadata, f: string) => s.commitTargets(m, await requestOf<CommitTargetsRequest>(f, 'commitTargetsSchema', 'target draw request'))],
    ['commit-experts', '提交抽取专家承诺 / commit an expert draw (T7)', async (s: DrawService, m: CommandMetadata, f: string) => s.commitExperts(m, await requestOf<CommitExpertsRequest>(f, 'commitExpertsSchema', 'expert draw request'))],
    ['commit-groups', '提交匹配检查人员承诺 / commit an inspector-group draw (T7–T10)', async (s: DrawService, m: CommandMetadata, f: string) => s.commitInspectorGroups(m, await requestOf<CommitInspectorGroupsRequest>(f, 'commitInspectorGroupsSchema', 'inspector group draw request'))],
    ['replace', '提交更换人员承诺 / commit an approved replacement (T10)', async (s: DrawService, m: CommandMetadata, f: string) => s.commitReplacement(m, await requestOf<CommitReplacementRequest>(f, 'commitReplacementSchema', 'replacement request'))],
  ] as const;
  for (const [name, description, commit] of commits) {
    writeCommand(draw, name, description)
      .requiredOption('--file <request.json>', '请求 JSON，同 HTTP 请求体 / the request JSON, as the HTTP body')
      .action(
        act(box, (opts: Acting & { file: string }) =>
          asUser(opts, async (service, meta) => {
            ctx.out(await commit(service, meta, opts.file));
            return 0;
          }),
        ),
      );
  }

  // Follow-ups of a completed draw (docs/draws.md §3b): the committing principal is the approver.
  const followUps = [
    ['extend', '追加抽取（主要负责人批准） / extend a completed draw: more picks of named classes (spec §7.3; a principal)', async (s: DrawService, m: CommandMetadata, id: string, f: string) => s.commitExtension(m, id, await requestOf<ExtendDrawRequest>(f, 'extendDrawSchema', 'extension request'))],
    ['replace-in', '更换已抽中的对象或人员（主要负责人批准） / replace members of a completed draw (E8 targets, T10 people; a principal)', async (s: DrawService, m: CommandMetadata, id: string, f: string) => s.replaceInDraw(m, id, await requestOf<ReplaceInDrawRequest>(f, 'replaceInDrawSchema', 'replacement request'))],
  ] as const;
  for (const [name, description, commit] of followUps) {
    writeCommand(draw, name, description)
      .argument('<id>', '原摇号编号（其谱系中最新完成的一次） / the draw to follow up (the latest completed of its lineage)')
      .requiredOption('--file <request.json>', '请求 JSON，同 HTTP 请求体 / the request JSON, as the HTTP body')
      .action(
        act(box, (id: string, opts: Acting & { file: string }) =>
          asUser(opts, async (service, meta) => {
            ctx.out(await commit(service, meta, id, opts.file));
            return 0;
          }),
        ),
      );
  }

  writeCommand(draw, 'reveal', '见证人揭示秘密 / a witness reveals its secret (V3)')
    .argument('<id>', '摇号编号 / draw id')
    .requiredOption('--witness <name>', '见证人 / the witness')
    .addOption(new Option('--secret <text>', '秘密 / the secret'))
    .addOption(new Option('--secret-file <file>', '从文件读取秘密（不进 shell 历史） / read the secret from FILE (keeps it out of shell history)').conflicts('secret'))
    .action(
      act(box, (id: string, opts: Acting & { witness: string; secret?: string; secretFile?: string }) => {
        if (opts.secret === undefined && opts.secretFile === undefined)
          throw new SuijiError('VALIDATION_FAILED', { field: '--secret' }, { zh: '缺少参数 --secret 或 --secret-file', en: '--secret or --secret-file is required' });
        return asUser(opts, async (service, meta) => {
          // A secret file's trailing newline is not part of the secret.
          const secret = opts.secretFile !== undefined ? readSecret(opts.secretFile) : opts.secret!;
          await service.revealWitness(meta, id, { witness: opts.witness, secret });
          ctx.out('已揭示 / revealed');
          return 0;
        });
      }),
    );

  writeCommand(draw, 'drand', '记录 drand 公共随机信标轮次 / record the drand beacon round (V3)')
    .argument('<id>', '摇号编号 / draw id')
    .requiredOption('--round <n>', '轮次 / the round', nonNegativeInt('--round'))
    .addOption(new Option('--signature <hex>', '该轮签名 / the round\'s signature'))
    .addOption(new Option('--relay <url>', '从 HTTP 中继获取并验证签名 / fetch it from an HTTP relay (verified against the pinned key)').conflicts('signature'))
    .action(
      act(box, (id: string, opts: Acting & { round: number; signature?: string; relay?: string }) => {
        if (opts.signature === undefined && opts.relay === undefined)
          throw new SuijiError('VALIDATION_FAILED', { field: '--signature' }, { zh: '缺少参数 --signature 或 --relay', en: '--signature or --relay is required' });
        return asUser(opts, async (service, meta) => {
          // Pasted or fetched, the decider verifies the signature (BLS) either way.
          const signature = opts.signature ?? (await (await import('../drand-fetch.js')).fetchDrandRound(opts.relay!, opts.round)).signature;
          await service.recordDrand(meta, id, { round: opts.round, signature });
          ctx.out(`已记录 drand 轮次 / drand round recorded: ${opts.round}`);
          return 0;
        });
      }),
    );

  writeCommand(draw, 'ceremony', '记录现场仪式随机值 / record the ceremony value (V3)')
    .argument('<id>', '摇号编号 / draw id')
    .requiredOption('--value <v>', '仪式值 / the value')
    .action(
      act(box, (id: string, opts: Acting & { value: string }) =>
        asUser(opts, async (service, meta) => {
          await service.recordCeremony(meta, id, { value: opts.value });
          ctx.out('已记录现场仪式值 / ceremony value recorded');
          return 0;
        }),
      ),
    );

  writeCommand(draw, 'complete', '完成摇号 / complete the draw (V1)')
    .argument('<id>', '摇号编号 / draw id')
    .action(
      act(box, (id: string, opts: Acting) =>
        asUser(opts, async (service, meta) => {
          const record = await service.complete(meta, id);
          ctx.out(`摇号完成 / draw completed: ${record.commitment.drawId} seed ${record.seed}`);
          return 0;
        }),
      ),
    );

  writeCommand(draw, 'abandon', '公开放弃摇号 / abandon the draw publicly (V3)')
    .argument('<id>', '摇号编号 / draw id')
    .requiredOption('--reason <text>', '原因（公开） / why (public)')
    .action(
      act(box, (id: string, opts: Acting & { reason: string }) =>
        asUser(opts, async (service, meta) => {
          await service.abandon(meta, id, { reason: opts.reason });
          ctx.out('已公开废弃 / abandoned (public)');
          return 0;
        }),
      ),
    );
}

type RequestSchema = 'commitTargetsSchema' | 'commitExpertsSchema' | 'commitInspectorGroupsSchema' | 'commitReplacementSchema' | 'extendDrawSchema' | 'replaceInDrawSchema';

/** A draw request file checked against its HTTP body's schema (the schemas and ajv loaded on use). */
async function requestOf<T>(file: string, schema: RequestSchema, what: string): Promise<T> {
  const [requests, { requestFrom }] = await Promise.all([import('../../app/draws/requests.js'), import('./request-file.js')]);
  return requestFrom<T>(file, requests[schema], what);
}

function readSecret(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new SuijiError('NOT_FOUND', { field: '--secret-file', path }, { zh: `无法读取文件 ${path}`, en: `cannot read ${path}` });
  }
}
