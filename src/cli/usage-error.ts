import type { Command, CommanderError } from 'commander';
import { SuijiError } from '../domain/errors.js';

/** Commander's error codes in Chinese, so a usage error reads like every other coded error. */
const zhOf: Record<string, string> = {
  'commander.unknownOption': '未知选项',
  'commander.unknownCommand': '未知命令',
  'commander.missingArgument': '缺少参数',
  'commander.optionMissingArgument': '选项缺少取值',
  'commander.missingMandatoryOptionValue': '缺少必需的选项',
  'commander.excessArguments': '参数过多',
  'commander.invalidArgument': '参数取值无效',
  'commander.conflictingOption': '选项互相冲突',
};

/** The command the words of argv reach (`suiji draw reveal`), for the "see --help" hint. */
export function commandPathOf(program: Command, argv: readonly string[]): string {
  const path = [program.name()];
  let current = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const sub = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    path.push(sub.name());
    current = sub;
  }
  return path.join(' ');
}

/**
 * A commander usage error as a coded VALIDATION_FAILED naming the offending option, argument
 * or command, printed on one line like every other error (exit 2).
 */
export function usageError(e: CommanderError, program: Command, argv: readonly string[]): SuijiError {
  const en = e.message.replace(/^error:\s*/, '').split('\n')[0]!;
  const quoted = /'([^']+)'/.exec(en)?.[1];
  const field =
    e.code === 'commander.unknownCommand' ? 'command'
    : e.code === 'commander.excessArguments' ? 'arguments'
    : e.code === 'commander.missingArgument' && quoted ? quoted.toUpperCase()
    : (quoted?.split(/[ ,]/)[0] ?? 'arguments');
  const help = `${commandPathOf(program, argv)} --help`;
  return new SuijiError('VALIDATION_FAILED', { field, reason: 'USAGE', help }, {
    zh: `命令行用法错误：${zhOf[e.code] ?? '用法不正确'}（${quoted ?? en}），见 ${help}`,
    en: `usage error: ${en}; see ${help}`,
  });
}
