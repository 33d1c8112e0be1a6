export { openPostgresStore, PostgresEventStore, type PostgresStoreOptions } from './postgres-store.js';
export { isPostgresUrl, parsePostgresUrl, redactUrl, DEFAULT_SCHEMA } from './location.js';
export { PG_SCHEMA_VERSION } from './schema.js';
