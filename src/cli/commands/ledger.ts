import { type ParsedArgs, dataDirOf } from '../args.js';
import { verifySqliteLedger } from '../../store/index.js';

/**
 * `suiji ledger verify [--data DIR]`: exit 0 when every leaf and the root match, 1 naming
 * the first bad position. Opens the file without creating it and never runs projections, so
 * verification cannot invent an empty ledger or change anything.
 */
export async function ledger(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  if (args.positional[1] !== 'verify') {
    out('用法 / usage: suiji ledger verify [--data DIR]');
    return 2;
  }
  const report = await verifySqliteLedger(dataDirOf(args));
  if (report.ok) {
    out(`账本完整 / ledger intact: ${report.size} events, root ${report.root}, ${report.checkpoints} checkpoints`);
    return 0;
  }
  const range = report.until !== undefined && report.until > report.position + 1 ? ` (somewhere in [${report.position}, ${report.until}))` : '';
  out(`账本校验失败 / ledger verification FAILED at position ${report.position}${range}: ${report.reason} — ${report.detail}`);
  return 1;
}
