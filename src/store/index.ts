/**
 * The store's public surface: the port, the adapter factory, ledger verification.
 * Adapters are chosen here: SQLite in the data directory by default, PostgreSQL for a
 * `postgres://` location, EventStoreDB for `esdb://` / `esdb+discover://`.
 */
import type { EventStore, EventValidator, LedgerHead } from './port.js';
import { openSqliteStore, verifySqliteLedger } from './sqlite/index.js';
import { isPostgresUrl, openPostgresStore, parsePostgresUrl, redactUrl } from './postgres/index.js';
import { isEsdbUrl, openEsdbStore, parseEsdbUrl } from './esdb/index.js';
import { verifyLedger, type LedgerVerification, type VerifyLedgerOptions } from './verify-ledger.js';
import { isSuijiError, SuijiError } from '../domain/errors.js';

export type * from './port.js';
export { openSqliteStore, SqliteEventStore, verifySqliteLedger, type SqliteStoreOptions } from './sqlite/index.js';
export { SqliteLedgerTree, SqliteLedgerTreePort, CACHE_LEVEL, BLOCK_LEAVES } from './sqlite/ledger-tree.js';
export { subtreesNeeded, withSubtrees, type LedgerTree, type StoredSignedCheckpoint, type SubtreeNeed } from './ledger-tree.js';
export { PostgresLedgerTree } from './postgres/ledger-tree.js';
export { openPostgresStore, PostgresEventStore, isPostgresUrl, parsePostgresUrl, redactUrl, type PostgresStoreOptions } from './postgres/index.js';
export { openEsdbStore, EsdbEventStore, isEsdbUrl, parseEsdbUrl, type EsdbStoreOptions } from './esdb/index.js';
export { verifyLedger, type LedgerVerification, type LedgerFault, type VerifyLedgerOptions } from './verify-ledger.js';
export { prepareWrites, expectedHolds, type PreparedEvent, type PreparedWrite } from './prepare.js';
export { envelopeJcs } from './envelope.js';
export { ledgerRootAt, checkExtends, type ExtensionFault } from './root-at.js';
export { CHECKPOINT_FILE, CheckpointKeeper, guardCheckpoint, readCheckpointFile, writeCheckpointFile, defaultLogOrigin, DEFAULT_LOG_ORIGIN, type CheckpointGuardOptions } from './checkpoint-file.js';
export { isBulkEventReader, type BulkEventReader } from './bulk-read.js';
export { isOwnAppends, type OwnAppends } from './own-appends.js';

export interface StoreOptions {
  readonly dataDir: string;
  /**
   * Where the ledger lives when not in `dataDir`: a `postgres://…` URL (`?schema=NAME`, default
   * `suiji`) or an `esdb://…` / `esdb+discover://…` connection string (`ledger=NAME`, default
   * `suiji`). Undefined or empty: the embedded SQLite file in `dataDir`.
   */
  readonly store?: string | undefined;
  readonly validate?: EventValidator;
  readonly clock?: () => Date;
  /** Called after each committed append with the new head. */
  readonly onCommitted?: (head: LedgerHead) => void;
}

/** `--store` else `SUIJI_STORE`; empty means the embedded default. */
export const storeLocationOf = (flag?: string): string | undefined => {
  const v = flag ?? process.env.SUIJI_STORE;
  return v === undefined || v === '' ? undefined : v;
};

/** A location that is neither a PostgreSQL URL nor an EventStoreDB connection string is refused, naming where it came from. */
function checkLocation(store: string, field: string): void {
  if (!isPostgresUrl(store) && !isEsdbUrl(store)) {
    throw new SuijiError('VALIDATION_FAILED', { field, value: redactUrl(store) }, {
      zh: `${field} 须为 postgres:// 或 esdb:// 地址（省略则使用数据目录中的 SQLite 账本）`,
      en: `${field} must be a postgres:// URL or an esdb:// connection string (leave it out for the SQLite ledger in the data directory)`,
    });
  }
}

export async function openStore(options: StoreOptions): Promise<EventStore> {
  const { store, ...rest } = options;
  if (store === undefined || store === '') return openSqliteStore(rest);
  checkLocation(store, '--store');
  if (isEsdbUrl(store)) return openEsdbStore({ ...rest, ...parseEsdbUrl(store) });
  const { connectionString, schema } = parsePostgresUrl(store);
  return openPostgresStore({ ...rest, connectionString, schema });
}

/** The ledger as a human reads its location in logs: the data directory, or the URL without its password. */
export const describeStore = (options: Pick<StoreOptions, 'dataDir' | 'store'>): string =>
  options.store ? redactUrl(options.store) : options.dataDir;

/**
 * `ledger verify` on either store: opens without creating anything (verification must not
 * invent an empty ledger) and reports a ledger that cannot be opened as a failed verification.
 */
export async function verifyStoreLedger(
  location: Pick<StoreOptions, 'dataDir' | 'store'>,
  options: VerifyLedgerOptions = {},
): Promise<LedgerVerification> {
  const { dataDir, store } = location;
  if (store === undefined || store === '') return verifySqliteLedger(dataDir, options);
  checkLocation(store, '--store');
  let opened: EventStore;
  try {
    // EventStoreDB has no schema to create: opening only reads, so an absent ledger verifies as empty.
    opened = isEsdbUrl(store) ? await openEsdbStore(parseEsdbUrl(store)) : await openPostgresStore({ ...parsePostgresUrl(store), create: false });
  } catch (err) {
    const detail = isSuijiError(err) ? `${err.messageEn} ${JSON.stringify(err.details)}` : String(err);
    return { ok: false, position: 0, reason: isSuijiError(err) && err.code === 'LEDGER_CORRUPT' ? 'store-corrupt' : 'store-error', detail };
  }
  try {
    return await verifyLedger(opened, options);
  } finally {
    await opened.close().catch(() => undefined);
  }
}
