import type { Command } from 'commander';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption } from '../options.js';
import { defaultLogOrigin, initLogKey } from '../../app/ledger/index.js';

/**
 * `suiji keys init [--origin O] [--force]`: a new Ed25519 log key in `<data>/keys/log.key`
 * (0600, Go note signer format) and `<data>/keys/log.vkey`; prints the verifier key, which is
 * what auditors and witnesses pin. Refuses to replace an existing key without --force.
 */
export function registerKeys(program: Command, ctx: CliContext, box: ExitBox): void {
  program
    .command('keys')
    .description('签名密钥 / signing keys')
    .command('init')
    .description('生成日志签名密钥并打印公钥（验证者密钥） / create the log signing key and print its verifier key')
    .addOption(dataOption())
    .option('--origin <name>', `检查点来源名（即密钥名） / checkpoint origin, the key name (default: $SUIJI_LOG_ORIGIN, else ${defaultLogOrigin()})`)
    .option('--force', '替换已有密钥（此前签名的检查点将无法用新公钥核验） / replace an existing key (checkpoints signed before will not verify with the new key)')
    .action(
      act(box, async (opts: { data?: string; origin?: string; force?: boolean }) => {
        const made = initLogKey(dataDirOf(opts), { ...(opts.origin !== undefined && { origin: opts.origin }), force: opts.force === true });
        ctx.err(`已写入 / wrote ${made.keyFile} (0600) and ${made.vkeyFile}\n`);
        ctx.out(made.vkey);
        return 0;
      }),
    );
}
