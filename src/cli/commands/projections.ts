import { type ParsedArgs, dataDirOf } from '../args.js';
import { openRuntime } from '../runtime.js';

/** `suiji projections rebuild [--data DIR]`: drop every read model and replay the ledger from zero. */
export async function projections(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  if (args.positional[1] !== 'rebuild') {
    out('用法 / usage: suiji projections rebuild [--data DIR]');
    return 2;
  }
  const rt = await openRuntime(dataDirOf(args));
  try {
    const started = performance.now();
    const n = await rt.projections.rebuild();
    const seconds = (performance.now() - started) / 1000;
    out(`投影已重建 / projections rebuilt: ${n} events in ${seconds.toFixed(2)} s`);
    return 0;
  } finally {
    await rt.close();
  }
}
