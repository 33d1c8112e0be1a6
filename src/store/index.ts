/**
 * The store's public surface: the port, the adapter factory, ledger verification.
 * Adapters are chosen here (PostgreSQL and EventStoreDB will join the SQLite one).
 */
import type { EventStore, EventValidator, LedgerHead } from './port.js';
import { openSqliteStore } from './sqlite/index.js';

export type * from './port.js';
export { openSqliteStore, SqliteEventStore, verifySqliteLedger, type SqliteStoreOptions } from './sqlite/index.js';
export { SqliteLedgerTree, CACHE_LEVEL, BLOCK_LEAVES, type StoredSignedCheckpoint } from './sqlite/ledger-tree.js';
export { verifyLedger, type LedgerVerification, type LedgerFault, type VerifyLedgerOptions } from './verify-ledger.js';
export { prepareWrites, expectedHolds, type PreparedEvent, type PreparedWrite } from './prepare.js';
export { envelopeJcs } from './envelope.js';
export { ledgerRootAt, checkExtends, type ExtensionFault } from './root-at.js';
export { CHECKPOINT_FILE, CheckpointKeeper, guardCheckpoint, readCheckpointFile, writeCheckpointFile, defaultOrigin, type CheckpointGuardOptions } from './checkpoint-file.js';
export { isBulkEventReader, type BulkEventReader } from './bulk-read.js';
export { isOwnAppends, type OwnAppends } from './own-appends.js';

export interface StoreOptions {
  readonly dataDir: string;
  readonly validate?: EventValidator;
  readonly clock?: () => Date;
  /** Called after each committed append with the new head. */
  readonly onCommitted?: (head: LedgerHead) => void;
}

export async function openStore(options: StoreOptions): Promise<EventStore> {
  return openSqliteStore(options);
}
