import { mintToken } from '../../api/tokens.js';
import { roles, type Role } from '../../domain/actor.js';
import { SuijiError } from '../../domain/errors.js';
import { tokenDecider, tokenStreamId } from '../../domain/tokens/index.js';
import { listUsers } from '../../projections/registers/index.js';
import { listTokens } from '../../projections/tokens/projection.js';
import { handleCommand } from '../../store/handle-command.js';
import { type ParsedArgs, dataDirOf, stringFlag } from '../args.js';
import { cliMetadata } from '../cli-actor.js';
import { openRuntime } from '../runtime.js';

const required = (args: ParsedArgs, name: string): string => {
  const v = stringFlag(args, name);
  if (!v) throw new SuijiError('VALIDATION_FAILED', { field: `--${name}` }, { zh: `缺少参数 --${name}`, en: `--${name} is required` });
  return v;
};

const USAGE = `用法 / usage:
  suiji token create --user U --role R --department D [--label L] [--data DIR]
  suiji token list [--user U] [--data DIR]
  suiji token revoke TOKEN_ID --reason R [--data DIR]`;

/** `suiji token create|list|revoke` (G3). */
export async function token(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  switch (args.positional[1]) {
    case 'create':
      return create(args, out);
    case 'list':
      return list(args, out);
    case 'revoke':
      return revoke(args, out);
    default:
      out(USAGE);
      return 2;
  }
}

/** `suiji token create --user U --role R --department D [--label L]`: prints the token once. */
async function create(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const role = required(args, 'role');
  if (!(roles as readonly string[]).includes(role) || role === 'system')
    throw new SuijiError('VALIDATION_FAILED', { field: '--role', value: role }, { zh: `角色必须是 ${roles.filter((r) => r !== 'system').join('、')} 之一`, en: `role must be one of ${roles.filter((r) => r !== 'system').join(', ')}` });
  const userId = required(args, 'user');
  const department = required(args, 'department');
  const label = stringFlag(args, 'label');
  const minted = mintToken();
  const rt = await openRuntime(dataDirOf(args));
  try {
    await rt.projections.catchUp();
    const problem = tokenHolderProblem(listUsers(rt.projectionDb), userId, role, department);
    if (problem) throw problem;
    await handleCommand(rt.store, {
      streamId: tokenStreamId(minted.tokenId),
      decider: tokenDecider,
      command: {
        type: 'IssueToken',
        data: { tokenId: minted.tokenId, userId, role: role as Role, department, secretHash: minted.secretHash, ...(label ? { label } : {}) },
        metadata: cliMetadata(department),
      },
    });
  } finally {
    await rt.close();
  }
  out(minted.token);
  process.stderr.write('令牌只显示这一次，请妥善保存 / This token is shown once; store it safely.\n');
  return 0;
}

/** `suiji token list [--user U]`: one tab-separated line per token, oldest first; never a secret or hash. */
async function list(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const userId = stringFlag(args, 'user');
  const rt = await openRuntime(dataDirOf(args));
  try {
    await rt.projections.catchUp();
    out(['tokenId', 'userId', 'role', 'department', 'status', 'issuedAt', 'label', 'revokedReason'].join('\t'));
    for (const t of listTokens(rt.projectionDb, userId === undefined ? {} : { userId }))
      out([t.tokenId, t.userId, t.role, t.department, t.status, t.issuedAt, t.label ?? '', t.revokedReason ?? ''].join('\t'));
  } finally {
    await rt.close();
  }
  return 0;
}

/** `suiji token revoke TOKEN_ID --reason R`: records TokenRevoked; the token is refused from the next request on. */
async function revoke(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const tokenId = args.positional[2];
  if (tokenId === undefined || !/^[a-z0-9]{16}$/.test(tokenId))
    throw new SuijiError('VALIDATION_FAILED', { field: 'TOKEN_ID', value: tokenId ?? null }, { zh: '令牌编号应为 16 位小写字母或数字（sj_ 之后、点号之前的部分）', en: 'TOKEN_ID must be 16 lower-case letters or digits (the part after sj_ and before the dot)' });
  const reason = required(args, 'reason');
  const rt = await openRuntime(dataDirOf(args));
  try {
    const handled = await handleCommand(rt.store, {
      streamId: tokenStreamId(tokenId),
      decider: tokenDecider,
      command: { type: 'RevokeToken', data: { tokenId, reason }, metadata: cliMetadata() },
    });
    out(handled.events.length > 0 ? `已吊销 / revoked ${tokenId}` : `已是吊销状态 / already revoked ${tokenId}`);
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
