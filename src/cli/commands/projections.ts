import type { Command } from 'commander';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption } from '../options.js';
import { openRuntime } from '../runtime.js';

/** `suiji projections rebuild`: drop every read model and replay the ledger from zero (writes no event). */
export function registerProjections(program: Command, ctx: CliContext, box: ExitBox): void {
  program
    .command('projections')
    .description('读模型 / the read models')
    .command('rebuild')
    .description('从头重放账本重建读模型 / replay the ledger into the read models from zero')
    .addOption(dataOption())
    .action(
      act(box, async (opts: { data?: string }) => {
        const rt = await openRuntime(dataDirOf(opts));
        try {
          const started = performance.now();
          const n = await rt.projections.rebuild();
          const seconds = (performance.now() - started) / 1000;
          ctx.out(`投影已重建 / projections rebuilt: ${n} events in ${seconds.toFixed(2)} s`);
          // The name search index is built after the read models (searches work without it, slower).
          const indexing = performance.now();
          await rt.projections.settle();
          ctx.out(`检索索引已建 / search index built in ${((performance.now() - indexing) / 1000).toFixed(2)} s`);
          return 0;
        } finally {
          await rt.close();
        }
      }),
    );
}
