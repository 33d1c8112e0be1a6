import { mintToken } from '../../api/tokens.js';
import { roles, type Role } from '../../domain/actor.js';
import { SuijiError } from '../../domain/errors.js';
import { tokenDecider, tokenStreamId } from '../../domain/tokens/index.js';
import { handleCommand } from '../../store/handle-command.js';
import { type ParsedArgs, dataDirOf, stringFlag } from '../args.js';
import { cliMetadata } from '../cli-actor.js';
import { openRuntime } from '../runtime.js';

const required = (args: ParsedArgs, name: string): string => {
  const v = stringFlag(args, name);
  if (!v) throw new SuijiError('VALIDATION_FAILED', { field: `--${name}` }, { zh: `缺少参数 --${name}`, en: `--${name} is required` });
  return v;
};

/** `suiji token create --user U --role R --department D [--label L]`: prints the token once. */
export async function token(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  if (args.positional[1] !== 'create') {
    out('用法 / usage: suiji token create --user U --role R --department D [--label L] [--data DIR]');
    return 2;
  }
  const role = required(args, 'role');
  if (!(roles as readonly string[]).includes(role) || role === 'system')
    throw new SuijiError('VALIDATION_FAILED', { field: '--role', value: role }, { zh: `角色必须是 ${roles.filter((r) => r !== 'system').join('、')} 之一`, en: `role must be one of ${roles.filter((r) => r !== 'system').join(', ')}` });
  const userId = required(args, 'user');
  const department = required(args, 'department');
  const label = stringFlag(args, 'label');
  const minted = mintToken();
  const rt = await openRuntime(dataDirOf(args));
  try {
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
