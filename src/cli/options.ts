import { Option } from 'commander';
import { SuijiError } from '../domain/errors.js';

/**
 * Option parsers shared by every command. A bad value is a coded error naming the option
 * (exit 2), thrown while commander parses, so nothing has been opened or written yet.
 */
export function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
      throw new SuijiError('VALIDATION_FAILED', { field: flag, value }, { zh: `参数 ${flag} 必须是非负整数`, en: `${flag} must be a non-negative integer` });
    return Number(value);
  };
}

/** `--data DIR`, on every command that opens a ledger. */
export const dataOption = (): Option => new Option('--data <dir>', '数据目录 / data directory (default: $SUIJI_DATA, else ./data)');

/** The data directory: `--data DIR`, else `SUIJI_DATA`, else `./data`. */
export const dataDirOf = (opts: { readonly data?: string }): string => opts.data ?? process.env.SUIJI_DATA ?? './data';

/** `--user ID`: the registered user a write acts as (issue 8 §2). */
export const userOption = (): Option =>
  new Option('--user <id>', '以此登记用户的身份执行（角色与部门取自用户登记） / act as this registered user (role and department from the register; default: $SUIJI_USER)');

/** `--store URL`: the ledger in PostgreSQL instead of the data directory's SQLite file (default: $SUIJI_STORE). */
export const storeOption = (): Option =>
  new Option('--store <url>', '账本位置：postgres://… 或 esdb://…（默认 $SUIJI_STORE，否则为数据目录中的 SQLite） / ledger location: postgres://… or esdb://… (default: $SUIJI_STORE, else SQLite in the data directory)');
