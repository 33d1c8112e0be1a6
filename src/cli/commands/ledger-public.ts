import type { Command } from 'commander';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, nonNegativeInt } from '../options.js';
import { openLedgerPublicOn, type LedgerPublic } from '../../app/ledger/index.js';
import { storeLocationOf } from '../../store/index.js';

async function withLedger(opts: { data?: string }, run: (ledger: LedgerPublic) => Promise<void>): Promise<number> {
  // No throttle for the operator: `ledger checkpoint` signs the head now if it is newer.
  // The ledger `--store` / SUIJI_STORE names (program.ts sets SUIJI_STORE from --store).
  const { ledger, close } = await openLedgerPublicOn(dataDirOf(opts), storeLocationOf(), { minIntervalMs: 0 });
  try {
    await run(ledger);
    return 0;
  } finally {
    await close();
  }
}

/**
 * `suiji ledger checkpoint` prints the latest signed checkpoint (signing the head first when
 * it is newer — the same signer and refusal as GET /ledger/checkpoint); `suiji ledger proof
 * inclusion|consistency` print the JSON of the matching /ledger/proof/* route.
 */
export function registerLedgerPublic(ledger: Command, ctx: CliContext, box: ExitBox): void {
  ledger
    .command('checkpoint')
    .description('打印最新签名检查点（账本增长时先签名） / print the latest signed checkpoint, signing the head first when it grew')
    .addOption(dataOption())
    .action(act(box, (opts: { data?: string }) => withLedger(opts, async (l) => ctx.write((await l.checkpoint()).note))));
  const proof = ledger.command('proof').description('默克尔证明 / Merkle proofs (RFC 9162)');
  proof
    .command('inclusion')
    .description('第 --index 个事件在 --size 大小的树中的包含证明 / inclusion proof of leaf --index in the tree of --size leaves')
    .addOption(dataOption())
    .requiredOption('--index <n>', '叶序号 / leaf index (ledger position)', nonNegativeInt('--index'))
    .requiredOption('--size <n>', '树大小 / tree size', nonNegativeInt('--size'))
    .action(act(box, (opts: { data?: string; index: number; size: number }) => withLedger(opts, async (l) => ctx.out(JSON.stringify(await l.inclusion(opts.index, opts.size))))));
  proof
    .command('consistency')
    .description('从 --from 到 --to 的一致性证明 / consistency proof from the tree of --from leaves to that of --to')
    .addOption(dataOption())
    .requiredOption('--from <n>', '旧树大小 / old tree size', nonNegativeInt('--from'))
    .requiredOption('--to <n>', '新树大小 / new tree size', nonNegativeInt('--to'))
    .action(act(box, (opts: { data?: string; from: number; to: number }) => withLedger(opts, async (l) => ctx.out(JSON.stringify(await l.consistency(opts.from, opts.to))))));
}
