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
 *
 * Built after a rebuild, not during it (issue 13: 15% of a rebuild's CPU): the rebuild leaves
 * the index empty with a build row saying how far (in uscc order) it covers; `buildNameIndexStep`
 * extends it a slice per transaction in the background. Meanwhile a search does not use it
 * (`nameCandidates` returns null) and walks the register with LIKE: the same results, slower.
 */
const FTS = 'reg_target_name_fts';
const VOCAB = 'reg_target_name_terms';
/** Present while the index is being built: `after` is the last uscc it covers ('' = none). */
const BUILD = 'reg_target_name_build';

/**
 * What this connection knows of the index (the runner's connection is the only writer):
 * `after` null = complete and maintained event by event; a string = being built, names of
 * targets up to it are maintained, the rest are left to the build. No entry: absent (a rebuild).
 */
const state = new WeakMap<Database, { after: string | null }>();

const tablePresent = (db: Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

export function dropNameIndex(db: Database): void {
  state.delete(db);
  db.exec(`DROP TABLE IF EXISTS ${BUILD}; DROP TABLE IF EXISTS ${VOCAB}; DROP TABLE IF EXISTS ${FTS}; DROP TABLE IF EXISTS reg_target_names;`);
}

/**
 * Creates the index if it is missing — empty, to be built by `buildNameIndexStep` (at once if
 * there are no targets); idempotent. Called by setup() and afterRebuild(): a rebuild drops the
 * index first (beforeRebuild), and a process that died mid-rebuild or mid-build finds it
 * missing or part-built at its next start and builds the rest — so no target is ever left out.
 */
export function ensureNameIndex(db: Database): void {
  if (!tablePresent(db, FTS)) {
    db.exec(`
      DROP TABLE IF EXISTS ${BUILD}; DROP TABLE IF EXISTS ${VOCAB}; DROP TABLE IF EXISTS reg_target_names;
      CREATE TABLE reg_target_names (id INTEGER PRIMARY KEY, uscc TEXT NOT NULL UNIQUE);
      CREATE VIRTUAL TABLE ${FTS} USING fts5(key, content='', contentless_delete=1, tokenize='trigram case_sensitive 1');
      CREATE VIRTUAL TABLE ${VOCAB} USING fts5vocab(${FTS}, 'instance');`);
    if (db.prepare('SELECT 1 FROM reg_targets LIMIT 1').get() !== undefined) {
      db.exec(`CREATE TABLE ${BUILD} (id INTEGER PRIMARY KEY CHECK (id = 1), after TEXT NOT NULL); INSERT INTO ${BUILD} VALUES (1, '');`);
    }
  }
  const build = tablePresent(db, BUILD) ? (db.prepare(`SELECT after FROM ${BUILD} WHERE id = 1`).pluck().get() as string | undefined) : undefined;
  state.set(db, { after: build ?? null });
}

/** Names indexed per step: ~5,000 trigram rows are a few tens of ms, like a catch-up page. */
export const NAME_INDEX_STEP = 5_000;

/**
 * Extends a part-built index by the next `rows` targets in uscc order, in one transaction;
 * returns true while targets remain. Names of targets it already covers are kept current by
 * `indexName`, those after it are read as they are when the build reaches them.
 */
export function buildNameIndexStep(db: Database, rows = NAME_INDEX_STEP): boolean {
  const s = state.get(db);
  if (!s || s.after === null) return false;
  // The file, not this connection's memory, says where the build is (another process may have extended it).
  const next = db.transaction((): string | null => {
    if (!tablePresent(db, BUILD)) return null;
    const from = stmt(db, `SELECT after FROM ${BUILD} WHERE id = 1`).pluck().get() as string;
    const { n, last } = stmt(db, 'SELECT count(*) AS n, max(uscc) AS last FROM (SELECT uscc FROM reg_targets WHERE uscc > ? ORDER BY uscc LIMIT ?)').get(from, rows) as { n: number; last: string | null };
    if (last !== null) {
      stmt(db, 'INSERT INTO reg_target_names (uscc) SELECT uscc FROM reg_targets WHERE uscc > ? AND uscc <= ? ORDER BY uscc').run(from, last);
      stmt(db, `INSERT INTO ${FTS} (rowid, key) SELECT n.id, lower(t.name) || char(1) FROM reg_targets t JOIN reg_target_names n ON n.uscc = t.uscc WHERE t.uscc > ? AND t.uscc <= ?`).run(from, last);
    }
    // Fewer than asked: that was the last of them, and the index is complete.
    if (n < rows) {
      db.exec(`DROP TABLE ${BUILD}`);
      return null;
    }
    stmt(db, `UPDATE ${BUILD} SET after = ? WHERE id = 1`).run(last);
    return last;
  }).immediate();
  // Only once committed: a rolled-back step leaves the index where it was.
  s.after = next;
  return next !== null;
}

/** Keeps the index current for one target's (new) name; a no-op for what a build will still read, or while a rebuild has dropped it. */
export function indexName(db: Database, uscc: string, name: string): void {
  const s = state.get(db);
  if (!s || (s.after !== null && uscc > s.after)) return;
  const id = stmt(db, 'INSERT INTO reg_target_names (uscc) VALUES (?) ON CONFLICT (uscc) DO UPDATE SET uscc = excluded.uscc RETURNING id').pluck().get(uscc) as number;
  stmt(db, `DELETE FROM ${FTS} WHERE rowid = ?`).run(id);
  stmt(db, `INSERT INTO ${FTS} (rowid, key) VALUES (?, lower(?) || char(1))`).run(id, name);
}

/** Complete and usable, as the file says (a search may run on a connection that did not build it). */
export const nameIndexReady = (db: Database): boolean => tablePresent(db, FTS) && !tablePresent(db, BUILD);

/** ASCII-only lower case, as SQLite's lower() (without ICU) and LIKE fold. */
const lowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/**
 * Ids of at most `max` targets whose name may contain `text` (≥ 2 characters), a superset of
 * those that do when fewer than `max` are returned; null while the index is not complete (the
 * caller then decides by LIKE alone). Cost: bounded by `max` documents read from the index,
 * however common the text.
 */
export function nameCandidates(db: Database, text: string, max: number): number[] | null {
  if (!nameIndexReady(db)) return null;
  const q = lowerAscii(text);
  if ([...q].length >= 3) {
    // A quoted FTS5 string is literal; a double quote inside is doubled.
    return stmt(db, `SELECT rowid FROM ${FTS} WHERE ${FTS} MATCH ? LIMIT ?`).pluck().all(`"${q.replace(/"/g, '""')}"`, max) as number[];
  }
  return stmt(db, `SELECT DISTINCT doc FROM ${VOCAB} WHERE term >= ? AND term <= ? LIMIT ?`).pluck().all(q, `${q}\u{10FFFF}`, max) as number[];
}
