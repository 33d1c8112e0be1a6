/**
 * The embedded store's tables (docs/ledger-format.md §6). `events.position` is the global,
 * gap-free, 0-based position and the Merkle leaf index; `ledger_head` keeps the RFC 6962
 * frontier so the root is O(log n) per append; one checkpoint per append transaction.
 */
import type Database from 'better-sqlite3';
import { SuijiError } from '../../domain/errors.js';

export const SCHEMA_VERSION = 1;
export const DB_FILE = 'suiji.db';

export const EVENTS_DDL = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  stream_id      TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  recorded_at    TEXT    NOT NULL,
  actor          TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  causation_id   TEXT,
  payload        TEXT    NOT NULL,
  hash           TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
)`;

const DDL = [
  EVENTS_DDL,
  `CREATE TABLE IF NOT EXISTS streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS ledger_head (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     size INTEGER NOT NULL,
     frontier BLOB NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS checkpoints (size INTEGER PRIMARY KEY, root TEXT NOT NULL, recorded_at TEXT NOT NULL)`,
  `INSERT OR IGNORE INTO ledger_head (id, size, frontier) VALUES (1, 0, x'')`,
];

/** Same durability settings for the store and for the raw baseline in bench/append.ts. */
export function applyPragmas(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  // FULL: a transaction acknowledged to the caller survives power loss (WAL + fsync per commit).
  db.pragma('synchronous = FULL');
}

export function migrate(db: Database.Database, create: boolean): void {
  const version = db.pragma('user_version', { simple: true });
  if (version === SCHEMA_VERSION) return;
  if (!create || version !== 0) {
    throw new SuijiError('LEDGER_CORRUPT', { reason: 'schema-missing', userVersion: version }, {
      zh: `账本文件结构不符（user_version=${String(version)}）`,
      en: `Ledger file has an unexpected schema (user_version=${String(version)})`,
    });
  }
  db.transaction(() => {
    for (const stmt of DDL) db.exec(stmt);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
