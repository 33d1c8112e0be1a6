import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { createWitnessKey, readWitnessKey, runWitness } from '../../app/witness/index.js';
import { SuijiError } from '../../domain/errors.js';
import { NoteError, parseVerifierKey, ED25519_KEY_TYPE, type VerifierKey } from '../../verify/note.js';
import { act, type CliContext, type ExitBox } from '../context.js';

interface RunOptions {
  readonly log: string;
  readonly logKey: string;
  readonly key: string;
  readonly state?: string;
}

const DEFAULT_KEY = 'witness.key';
const DEFAULT_STATE = 'witness-state';

/**
 * `suiji witness --log URL --log-key VKEY --key FILE [--state DIR]` and `suiji witness init`
 * (issue 11): a higher department witnesses a county's log. Exit 0 cosigned; 1 refused (a
 * smaller tree, a fork, a bad signature or proof, the county unreachable or refusing), with a
 * bilingual line naming the sizes; 2 a usage or coded error (a bad key file, a bad log key).
 */
export function registerWitness(program: Command, ctx: CliContext, box: ExitBox): void {
  const witness = program
    .command('witness')
    .description('见证县级日志：核对一致性后联署检查点 / witness a county log: check consistency, then cosign its checkpoint (C2SP tlog-cosignature)')
    .option('--log <url>', '县级服务地址 / the county server, e.g. https://suiji.yiyuan.example')
    .option('--log-key <vkey>', '县级日志的验证公钥（文本或文件） / the log\'s verifier key (text, or a file holding it)')
    .option('--key <file>', `见证方私钥文件 / the witness key file`, DEFAULT_KEY)
    .option('--state <dir>', `见证状态目录：每个日志最近联署的检查点 / state: the last checkpoint cosigned per log (default $SUIJI_WITNESS_STATE, else ./${DEFAULT_STATE})`)
    .action(act(box, (opts: Partial<RunOptions>) => run(opts, ctx)));
  witness
    .command('init')
    .description('创建见证方密钥（0600）并打印其验证公钥 / create a witness key (mode 0600) and print its verifier key')
    .requiredOption('--name <name>', '见证方名称，如 shi.example/witness / the witness name, e.g. shi.example/witness')
    .option('--key <file>', `私钥文件 / the key file to create`, DEFAULT_KEY)
    .action(act(box, (opts: { name: string; key: string }) => init(opts, ctx)));
}

async function init(opts: { name: string; key: string }, ctx: CliContext): Promise<number> {
  const key = await createWitnessKey(opts.key, opts.name);
  ctx.err(`已创建见证方密钥 / witness key created: ${opts.key} (0600). 将下行验证公钥交给县级日志配置 / give the verifier key below to the county (<data>/keys/witnesses or SUIJI_WITNESSES):\n`);
  ctx.out(key.vkey);
  return 0;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') {
    throw new SuijiError('VALIDATION_FAILED', { field: flag, reason: 'missing' }, { zh: `缺少参数 ${flag}`, en: `${flag} is required` });
  }
  return value;
}

/** `--log-key`: the vkey itself, or a file whose first line is one. */
function logKeyOf(text: string): VerifierKey {
  const vkey = !text.includes('+') && existsSync(text) ? readFileSync(text, 'utf8').trim() : text.trim();
  try {
    const key = parseVerifierKey(vkey);
    if (key.type !== ED25519_KEY_TYPE) throw new NoteError('bad-verifier-key', 'not an Ed25519 (type 0x01) log key');
    return key;
  } catch (e) {
    if (!(e instanceof NoteError)) throw e;
    throw new SuijiError('VALIDATION_FAILED', { field: '--log-key', reason: e.code }, {
      zh: '日志验证公钥格式错误：应为 名称+密钥编号+base64(0x01‖公钥)',
      en: 'Malformed log verifier key: expected name+keyid+base64(0x01 ‖ key)',
    });
  }
}

async function run(opts: Partial<RunOptions>, ctx: CliContext): Promise<number> {
  const log = required(opts.log, '--log');
  const logKey = logKeyOf(required(opts.logKey, '--log-key'));
  const key = await readWitnessKey(opts.key ?? DEFAULT_KEY);
  const stateDir = opts.state ?? process.env.SUIJI_WITNESS_STATE ?? DEFAULT_STATE;
  const outcome = await runWitness({ log, logKey, key, stateDir });
  if (!outcome.ok) {
    ctx.out(`拒绝联署 / REFUSED (${outcome.reason}): ${outcome.zh} / ${outcome.en}`);
    return 1;
  }
  const since = outcome.previous === null ? '首次 / first checkpoint of this log' : `延续大小 ${outcome.previous} / extends size ${outcome.previous}`;
  ctx.out(`已联署 / cosigned ${outcome.origin} size ${outcome.size} root ${outcome.root} (${since})`);
  ctx.write(outcome.cosignature);
  return 0;
}
