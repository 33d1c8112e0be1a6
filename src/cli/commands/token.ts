import type { Command } from 'commander';
import { mintToken } from '../../api/tokens.js';
import { roles, type Role } from '../../domain/actor.js';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { tokenDecider, tokenStreamId } from '../../domain/tokens/index.js';
import { listUsers } from '../../projections/registers/index.js';
import { bootstrapOpen, listTokens } from '../../projections/tokens/projection.js';
import { handleCommand } from '../../store/handle-command.js';
import { actingUserId, cliCommandId, cliMetadata, registeredActor, userRequired } from '../cli-actor.js';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, userOption } from '../options.js';
import { openRuntime, type Runtime } from '../runtime.js';

interface CreateOptions {
  readonly data?: string;
  readonly user: string;
  readonly role: string;
  readonly department: string;
  readonly label?: string;
  readonly by?: string;
}

/** `suiji token create|list|revoke` (G3). */
export function registerToken(program: Command, ctx: CliContext, box: ExitBox): void {
  const token = program.command('token').description('API 令牌 / API tokens (G3)');
  token
    .command('create')
    .description('为登记用户签发 API 令牌（只显示一次） / issue an API token for a registered user (shown once)')
    .addOption(dataOption())
    .requiredOption('--user <id>', '令牌持有人（须已登记，首个管理员引导时除外） / the token holder (registered, except the first admin bootstrap)')
    .requiredOption('--role <role>', `持有人登记的角色 / the holder's registered role (${roles.filter((r) => r !== 'system').join(', ')})`)
    .requiredOption('--department <id>', "持有人登记的部门 / the holder's registered department")
    .option('--label <text>', '备注，如设备名 / a note, e.g. the device')
    .option('--by <id>', '签发的管理员（登记用户）；尚无管理员登记时可省略 / the issuing admin (a registered user); omitted only while no admin is registered (default: $SUIJI_USER)')
    .action(act(box, (opts: CreateOptions) => create(opts, ctx)));
  token
    .command('list')
    .description('列出令牌及其状态（从不显示密钥） / list tokens and their status (never a secret)')
    .addOption(dataOption())
    .option('--user <id>', '只列此用户的令牌 / only this user\'s tokens')
    .action(act(box, (opts: { data?: string; user?: string }) => list(opts, ctx)));
  token
    .command('revoke')
    .description('吊销令牌（下一个请求起拒绝） / revoke a token (refused from the next request on)')
    .argument('<tokenId>', '令牌编号：sj_ 之后、点号之前的 16 位 / the 16 characters after sj_ and before the dot')
    .addOption(dataOption())
    .requiredOption('--reason <text>', '吊销原因 / why')
    .addOption(userOption())
    .action(act(box, (tokenId: string, opts: { data?: string; reason: string; user?: string }) => revoke(tokenId, opts, ctx)));
}

/**
 * Who a token command acts as: the registered user named (the decider then applies G3: only an
 * admin issues; an admin or the holder revokes). With none named, the process itself, but only
 * while the bootstrap is open (no admin has ever been registered, the same fact authentication
 * uses): there is nobody yet who could act.
 */
async function tokenActor(rt: Runtime, named: string | undefined, flag: '--by' | '--user', department = 'system'): Promise<CommandMetadata> {
  const userId = actingUserId(named);
  if (userId !== undefined) return { actor: await registeredActor(rt.store, userId, flag), now: new Date().toISOString(), commandId: cliCommandId() };
  await rt.projections.catchUp();
  if (bootstrapOpen(rt.projectionDb)) return cliMetadata(department);
  throw userRequired(flag);
}

/** Prints the token once. */
async function create(opts: CreateOptions, ctx: CliContext): Promise<number> {
  const { role, user: userId, department } = opts;
  if (!(roles as readonly string[]).includes(role) || role === 'system')
    throw new SuijiError('VALIDATION_FAILED', { field: '--role', value: role }, { zh: `角色必须是 ${roles.filter((r) => r !== 'system').join('、')} 之一`, en: `role must be one of ${roles.filter((r) => r !== 'system').join(', ')}` });
  const minted = mintToken();
  const rt = await openRuntime(dataDirOf(opts));
  try {
    await rt.projections.catchUp();
    const problem = tokenHolderProblem(listUsers(rt.projectionDb), userId, role, department);
    if (problem) throw problem;
    const metadata = await tokenActor(rt, opts.by, '--by', department);
    await handleCommand(rt.store, {
      streamId: tokenStreamId(minted.tokenId),
      decider: tokenDecider,
      command: {
        type: 'IssueToken',
        data: { tokenId: minted.tokenId, userId, role: role as Role, department, secretHash: minted.secretHash, ...(opts.label ? { label: opts.label } : {}) },
        metadata,
      },
    });
  } finally {
    await rt.close();
  }
  ctx.out(minted.token);
  ctx.err('令牌只显示这一次，请妥善保存 / This token is shown once; store it safely.\n');
  return 0;
}

/** One tab-separated line per token, oldest first; never a secret or hash. */
async function list(opts: { data?: string; user?: string }, ctx: CliContext): Promise<number> {
  const rt = await openRuntime(dataDirOf(opts));
  try {
    await rt.projections.catchUp();
    ctx.out(['tokenId', 'userId', 'role', 'department', 'status', 'issuedAt', 'label', 'revokedReason'].join('\t'));
    for (const t of listTokens(rt.projectionDb, opts.user === undefined ? {} : { userId: opts.user }))
      ctx.out([t.tokenId, t.userId, t.role, t.department, t.status, t.issuedAt, t.label ?? '', t.revokedReason ?? ''].join('\t'));
  } finally {
    await rt.close();
  }
  return 0;
}

/** Records TokenRevoked; the token is refused from the next request on. */
async function revoke(tokenId: string, opts: { data?: string; reason: string; user?: string }, ctx: CliContext): Promise<number> {
  if (!/^[a-z0-9]{16}$/.test(tokenId))
    throw new SuijiError('VALIDATION_FAILED', { field: 'TOKEN_ID', value: tokenId }, { zh: '令牌编号应为 16 位小写字母或数字（sj_ 之后、点号之前的部分）', en: 'TOKEN_ID must be 16 lower-case letters or digits (the part after sj_ and before the dot)' });
  const rt = await openRuntime(dataDirOf(opts));
  try {
    const metadata = await tokenActor(rt, opts.user, '--user');
    const handled = await handleCommand(rt.store, {
      streamId: tokenStreamId(tokenId),
      decider: tokenDecider,
      command: { type: 'RevokeToken', data: { tokenId, reason: opts.reason }, metadata },
    });
    ctx.out(handled.events.length > 0 ? `已吊销 / revoked ${tokenId}` : `已是吊销状态 / already revoked ${tokenId}`);
  } finally {
    await rt.close();
  }
  return 0;
}

interface RegisteredUser {
  readonly userId: string;
  readonly role: string;
  readonly department: string;
  readonly active: boolean;
}

/**
 * A token speaks for a registered user (G3), with that user's role and department, so the
 * actor recorded on every event is a real person of the register. The one exception is the
 * bootstrap: while no user is registered at all, an admin token may be issued to register them.
 */
export function tokenHolderProblem(users: readonly RegisteredUser[], userId: string, role: string, department: string): SuijiError | null {
  const user = users.find((u) => u.userId === userId);
  if (!user) {
    if (users.length === 0 && role === 'admin') return null;
    return new SuijiError('NOT_FOUND', { field: '--user', userId }, { zh: `用户 ${userId} 未登记，请先登记用户`, en: `user ${userId} is not registered; register the user first` });
  }
  if (!user.active) return new SuijiError('RULE_VIOLATION', { field: '--user', userId }, { zh: `用户 ${userId} 已停用`, en: `user ${userId} is deactivated` });
  if (user.role !== role || user.department !== department)
    return new SuijiError(
      'VALIDATION_FAILED',
      { field: user.role !== role ? '--role' : '--department', registered: { role: user.role, department: user.department } },
      { zh: `令牌的角色和部门必须与登记一致（${user.role}，${user.department}）`, en: `the token's role and department must match the register (${user.role}, ${user.department})` },
    );
  return null;
}
