import type { Database } from 'better-sqlite3';
import { stmt } from './sql.js';

/**
 * The index behind `GET /targets?name=` (issue 8 §4): an SQLite FTS5 table with the `trigram`
 * tokenizer over each target's search key. The index only narrows: every candidate is
 * re-checked with the exact `LIKE` of query-targets.ts, so the index must never miss a match
 * (no false negatives) but may over-match.
 *
 * - Key: `lower(name) || char(1)`. SQLite's built-in lower() folds ASCII only, exactly what
 *   LIKE folds, and the tokenizer runs `case_sensitive 1`; so "LIKE '%q%' matches" implies
 *   "the key contains lower_ascii(q)" for every q.
 * - Three or more characters: a phrase of the query's trigrams (FTS5 trigram = substring).
 * - Two characters (common in Chinese names: 百货, 药房), which have no trigram: every
 *   occurrence of a 2-character text in a key is the start of some trigram, because the key
 *   ends in the extra char(1). So the documents holding a trigram term in [q, q + U+10FFFF] —
 *   a range over the index's own term B-tree via fts5vocab — are the candidates. No side
 *   table: rebuilding costs nothing beyond the trigram index.
 * - Ids: FTS5 needs integer rowids; reg_targets is keyed by uscc, so reg_target_names gives
 *   each target an integer id (in uscc order when built in bulk).
 */
const FTS = 'reg_target_name_fts';
const VOCAB = 'reg_target_name_terms';

/** Connections whose index exists and is maintained event by event (not during a rebuild). */
const maintained = new WeakSet<Database>();

export function dropNameIndex(db: Database): void {
  maintained.delete(db);
  db.exec(`DROP TABLE IF EXISTS ${VOCAB}; DROP TABLE IF EXISTS ${FTS}; DROP TABLE IF EXISTS reg_target_names;`);
}

/**
 * Creates the index if it is missing, building it in one pass over reg_targets; idempotent.
 * Called by setup() and afterRebuild(): a rebuild drops the index first (beforeRebuild) and
 * builds it once at the end, and a process that died mid-rebuild finds it missing at its next
 * start and builds it over what was applied — so no target is ever left out of it.
 */
export function ensureNameIndex(db: Database): void {
  const present = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(FTS) !== undefined;
  if (!present) {
    db.exec(`
      DROP TABLE IF EXISTS ${VOCAB}; DROP TABLE IF EXISTS reg_target_names;
      CREATE TABLE reg_target_names (id INTEGER PRIMARY KEY, uscc TEXT NOT NULL UNIQUE);
      CREATE VIRTUAL TABLE ${FTS} USING fts5(key, content='', contentless_delete=1, tokenize='trigram case_sensitive 1');
      CREATE VIRTUAL TABLE ${VOCAB} USING fts5vocab(${FTS}, 'instance');
      INSERT INTO reg_target_names (uscc) SELECT uscc FROM reg_targets ORDER BY uscc;
      INSERT INTO ${FTS} (rowid, key) SELECT n.id, lower(t.name) || char(1) FROM reg_target_names n JOIN reg_targets t ON t.uscc = n.uscc;`);
  }
  maintained.add(db);
}

/** Keeps the index current for one target's (new) name; a no-op while a rebuild defers the index. */
export function indexName(db: Database, uscc: string, name: string): void {
  if (!maintained.has(db)) return;
  const id = stmt(db, 'INSERT INTO reg_target_names (uscc) VALUES (?) ON CONFLICT (uscc) DO UPDATE SET uscc = excluded.uscc RETURNING id').pluck().get(uscc) as number;
  stmt(db, `DELETE FROM ${FTS} WHERE rowid = ?`).run(id);
  stmt(db, `INSERT INTO ${FTS} (rowid, key) VALUES (?, lower(?) || char(1))`).run(id, name);
}

/** ASCII-only lower case, as SQLite's lower() (without ICU) and LIKE fold. */
const lowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/**
 * Ids of at most `max` targets whose name may contain `text` (≥ 2 characters), a superset of
 * those that do when fewer than `max` are returned. Cost: bounded by `max` documents read from
 * the index, however common the text.
 */
export function nameCandidates(db: Database, text: string, max: number): number[] {
  const q = lowerAscii(text);
  if ([...q].length >= 3) {
    // A quoted FTS5 string is literal; a double quote inside is doubled.
    return stmt(db, `SELECT rowid FROM ${FTS} WHERE ${FTS} MATCH ? LIMIT ?`).pluck().all(`"${q.replace(/"/g, '""')}"`, max) as number[];
  }
  return stmt(db, `SELECT DISTINCT doc FROM ${VOCAB} WHERE term >= ? AND term <= ? LIMIT ?`).pluck().all(q, `${q}\u{10FFFF}`, max) as number[];
}
