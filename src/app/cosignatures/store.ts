/**
 * Accepted cosignatures, kept in suiji.db next to the ledger and its signed checkpoints, on a
 * connection of their own (WAL: readers and the ledger's writer do not block each other).
 * One row per (checkpoint size, witness key); a later cosignature of the same checkpoint by
 * the same witness replaces an earlier one (the newest statement "the largest tree I saw").
 * The log-signed note of every cosigned checkpoint is kept too, so the newest cosigned
 * checkpoint can be served whole even after the log has signed newer ones.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DB_FILE, applyPragmas } from '../../store/sqlite/schema.js';

const DDL = [
  `CREATE TABLE IF NOT EXISTS ledger_cosigned_checkpoints (
     size INTEGER PRIMARY KEY,
     root TEXT NOT NULL,
     note TEXT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS ledger_cosignatures (
     size        INTEGER NOT NULL,
     root        TEXT    NOT NULL,
     witness     TEXT    NOT NULL,
     key_id      TEXT    NOT NULL,
     timestamp   INTEGER NOT NULL,
     line        TEXT    NOT NULL,
     received_at TEXT    NOT NULL,
     PRIMARY KEY (size, witness, key_id)
   )`,
];

export interface StoredCosignature {
  readonly size: number;
  readonly root: string;
  readonly witness: string;
  /** Lowercase hex of the 4-byte key id. */
  readonly keyId: string;
  readonly timestamp: number;
  /** The signature line, with its newline. */
  readonly line: string;
  readonly receivedAt: string;
}

/**
 * Where accepted cosignatures are kept: SQLite next to the ledger (CosignatureStore) or the
 * ledger's PostgreSQL schema (PostgresCosignatureStore, src/app/cosignatures/store-postgres.ts),
 * so every instance on one database serves the same cosignatures.
 */
export interface CosignatureRecords {
  put(c: StoredCosignature, logSignedNote: string): Promise<boolean>;
  lines(size: number, root: string): Promise<string[]>;
  linesAt(size: number): Promise<string[]>;
  newest(): Promise<{ size: number; root: string; note: string } | null>;
  close(): Promise<void>;
}

/** CosignatureRecords over a SQLite CosignatureStore. */
export const sqliteCosignatureRecords = (s: CosignatureStore): CosignatureRecords => ({
  put: async (c, note) => s.put(c, note),
  lines: async (size, root) => s.lines(size, root),
  linesAt: async (size) => s.linesAt(size),
  newest: async () => s.newest(),
  close: async () => s.close(),
});

export class CosignatureStore {
  private constructor(private readonly db: Database.Database) {}

  /**
   * Opens suiji.db in `dataDir` (which must exist: the ledger is opened first). The file itself
   * may not exist yet: with the ledger in PostgreSQL (--store) nothing else creates it, and
   * `serve`/`token create` failed there with "unable to open database file" (issue 12 crash suite).
   */
  static open(dataDir: string): CosignatureStore {
    const db = new Database(join(dataDir, DB_FILE));
    applyPragmas(db, 5000);
    db.transaction(() => DDL.forEach((s) => db.exec(s))).immediate();
    return new CosignatureStore(db);
  }

  /**
   * Records a verified cosignature and the log-signed note it cosigns. Returns false when the
   * witness had already cosigned this checkpoint at the same or a later time (nothing changes).
   */
  put(c: StoredCosignature, logSignedNote: string): boolean {
    return this.db
      .transaction((): boolean => {
        this.db.prepare('INSERT OR IGNORE INTO ledger_cosigned_checkpoints (size, root, note) VALUES (?, ?, ?)').run(c.size, c.root, logSignedNote);
        const r = this.db
          .prepare(
            `INSERT INTO ledger_cosignatures (size, root, witness, key_id, timestamp, line, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (size, witness, key_id) DO UPDATE SET root = excluded.root, timestamp = excluded.timestamp, line = excluded.line, received_at = excluded.received_at
             WHERE excluded.timestamp > ledger_cosignatures.timestamp`,
          )
          .run(c.size, c.root, c.witness, c.keyId, c.timestamp, c.line, c.receivedAt);
        return r.changes > 0;
      })
      .immediate();
  }

  /** The cosignature lines of the checkpoint (size, root), ordered by witness name. */
  lines(size: number, root: string): string[] {
    const rows = this.db.prepare('SELECT line FROM ledger_cosignatures WHERE size = ? AND root = ? ORDER BY witness, key_id').all(size, root) as { line: string }[];
    return rows.map((r) => r.line);
  }

  /** The cosignature lines stored for `size` (the log signs one root per size, so the size names the checkpoint). */
  linesAt(size: number): string[] {
    const rows = this.db.prepare('SELECT line FROM ledger_cosignatures WHERE size = ? ORDER BY witness, key_id').all(size) as { line: string }[];
    return rows.map((r) => r.line);
  }

  list(size: number): StoredCosignature[] {
    const rows = this.db
      .prepare('SELECT size, root, witness, key_id AS keyId, timestamp, line, received_at AS receivedAt FROM ledger_cosignatures WHERE size = ? ORDER BY witness, key_id')
      .all(size) as StoredCosignature[];
    return rows;
  }

  /** The newest cosigned checkpoint: its log-signed note (without cosignatures), size and root; null when none. */
  newest(): { size: number; root: string; note: string } | null {
    const row = this.db
      .prepare('SELECT c.size, c.root, c.note FROM ledger_cosigned_checkpoints c WHERE EXISTS (SELECT 1 FROM ledger_cosignatures s WHERE s.size = c.size AND s.root = c.root) ORDER BY c.size DESC LIMIT 1')
      .get() as { size: number; root: string; note: string } | undefined;
    return row ?? null;
  }

  close(): void {
    this.db.close();
  }
}
