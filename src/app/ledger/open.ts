import { SuijiError } from '../../domain/errors.js';
import { PostgresLedgerTree, SqliteLedgerTree, isEsdbUrl, isPostgresUrl, type LedgerTree } from '../../store/index.js';
import { loadLogKey } from './keys.js';
import { LedgerPublic, type LedgerPublicOptions } from './service.js';

/** LedgerPublic on a data directory whose SQLite ledger exists; the caller closes the returned tree. */
export function openLedgerPublic(
  dataDir: string,
  options: Omit<LedgerPublicOptions, 'tree' | 'loadKey'> = {},
): { ledger: LedgerPublic; close: () => void } {
  const tree = new SqliteLedgerTree(dataDir);
  const ledger = new LedgerPublic({ ...options, tree, loadKey: () => loadLogKey(dataDir) });
  return { ledger, close: () => tree.close() };
}

/** The coded refusal of signed checkpoints, proofs and cosignatures on a store that cannot hold them. */
export const ledgerPublicUnsupported = (store: string): SuijiError =>
  new SuijiError('STORE_FEATURE_UNSUPPORTED', { field: '--store', feature: 'signed-checkpoints', store: store.split(':')[0] }, {
    zh: 'EventStoreDB 账本暂不支持签名检查点、证明与见证副署（请使用 SQLite 或 PostgreSQL）',
    en: 'Signed checkpoints, proofs and witness cosignatures are not supported on an EventStoreDB ledger yet (use SQLite or PostgreSQL)',
  });

/** Every call refuses with STORE_FEATURE_UNSUPPORTED: the server keeps serving everything else. */
function refusingTree(store: string): LedgerTree {
  const refuse = async (): Promise<never> => {
    throw ledgerPublicUnsupported(store);
  };
  return { head: refuse, leaves: refuse, subtrees: refuse, fillSome: refuse, auditBlocks: refuse, lastSigned: refuse, signedAt: refuse, signExclusively: refuse, close: async () => undefined };
}

/**
 * LedgerPublic on the ledger the runtime opened: the SQLite file in `dataDir` (no `store`), the
 * PostgreSQL schema named by a postgres:// URL (signed checkpoints shared by every instance on
 * it), or — on EventStoreDB — a service whose every answer is STORE_FEATURE_UNSUPPORTED.
 */
export async function openLedgerPublicOn(
  dataDir: string,
  store: string | undefined,
  options: Omit<LedgerPublicOptions, 'tree' | 'loadKey'> = {},
): Promise<{ ledger: LedgerPublic; tree: LedgerTree | SqliteLedgerTree; close: () => Promise<void> }> {
  let tree: LedgerTree | SqliteLedgerTree;
  if (store === undefined) tree = new SqliteLedgerTree(dataDir);
  else if (isPostgresUrl(store)) tree = await PostgresLedgerTree.open(store);
  else if (isEsdbUrl(store)) tree = refusingTree(store);
  else throw ledgerPublicUnsupported(store);
  const t = tree;
  const ledger = new LedgerPublic({ ...options, tree, loadKey: () => loadLogKey(dataDir) });
  return { ledger, tree, close: async () => void (await t.close()) };
}
