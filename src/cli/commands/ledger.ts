import { type ParsedArgs, dataDirOf } from '../args.js';
import { openRuntime } from '../runtime.js';
import { verifyLedger } from '../../store/verify-ledger.js';

/** `suiji ledger verify [--data DIR]`: exit 0 when every leaf and the root match, 1 naming the first bad position. */
export async function ledger(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const sub = args.positional[1];
  if (sub !== 'verify') {
    out('用法 / usage: suiji ledger verify [--data DIR]');
    return 2;
  }
  const rt = await openRuntime(dataDirOf(args));
  try {
    const report = await verifyLedger(rt.store);
    if (report.ok) {
      out(`账本完整 / ledger intact: ${report.size} events, root ${report.root}`);
      return 0;
    }
    out(`账本校验失败 / ledger verification FAILED at position ${report.position}: ${report.reason}`);
    return 1;
  } finally {
    await rt.close();
  }
}
