import { SqliteLedgerTree } from '../../store/index.js';
import { loadLogKey } from './keys.js';
import { LedgerPublic, type LedgerPublicOptions } from './service.js';

/** LedgerPublic on a data directory whose ledger exists; the caller closes the returned tree. */
export function openLedgerPublic(
  dataDir: string,
  options: Omit<LedgerPublicOptions, 'tree' | 'loadKey'> = {},
): { ledger: LedgerPublic; close: () => void } {
  const tree = new SqliteLedgerTree(dataDir);
  const ledger = new LedgerPublic({ ...options, tree, loadKey: () => loadLogKey(dataDir) });
  return { ledger, close: () => tree.close() };
}
