export { openSqliteStore, SqliteEventStore, type SqliteStoreOptions } from './sqlite-store.js';
export { verifySqliteLedger } from './verify-file.js';
export { DB_FILE, EVENTS_DDL, applyPragmas } from './schema.js';
