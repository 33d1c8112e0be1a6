/**
 * The store's public surface: the port, the adapter factory, ledger verification.
 * Adapters are chosen here (PostgreSQL and EventStoreDB will join the SQLite one).
 */
import type { EventStore, EventValidator } from './port.js';
import { openSqliteStore } from './sqlite/index.js';

export type * from './port.js';
export { openSqliteStore, SqliteEventStore, verifySqliteLedger, type SqliteStoreOptions } from './sqlite/index.js';
export { verifyLedger, type LedgerVerification, type LedgerFault, type VerifyLedgerOptions } from './verify-ledger.js';
export { prepareWrites, expectedHolds, type PreparedEvent, type PreparedWrite } from './prepare.js';
export { envelopeJcs } from './envelope.js';
export { isBulkEventReader, type BulkEventReader } from './bulk-read.js';

export interface StoreOptions {
  readonly dataDir: string;
  readonly validate?: EventValidator;
  readonly clock?: () => Date;
}

export async function openStore(options: StoreOptions): Promise<EventStore> {
  return openSqliteStore(options);
}
