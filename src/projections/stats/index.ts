/**
 * P3/A1: the statistics read model — the fold's entities (src/domain/stats) kept in one table, one
 * row per entity, so an event rewrites a few rows and a read loads the whole state to compute the
 * figures for the period asked (lateness needs the calendar and the day, so figures are not stored).
 */
import type { Database } from 'better-sqlite3';
import { evolveStats, statsEventTypes, type StatsEntity, type StatsState } from '../../domain/stats/index.js';
import type { Projection } from '../projection.js';
import { stmt } from '../registers/sql.js';

/**
 * Entities written during the runner's current transaction, per connection, flushed at its end.
 * A register bucket takes up to BUCKET (1,000) events in a row; reading, parsing, serialising and
 * rewriting it for each of them was a third of a 1,000,000-event rebuild (docs/performance.md).
 */
const pending = new WeakMap<Database, Map<string, StatsEntity>>();

const pendingOf = (db: Database): Map<string, StatsEntity> => {
  let m = pending.get(db);
  if (!m) pending.set(db, (m = new Map()));
  return m;
};

const sqlState = (db: Database, dirty: Map<string, StatsEntity>): StatsState => ({
  get: (key) => {
    const held = dirty.get(key);
    if (held !== undefined) return held;
    const row = stmt(db, 'SELECT value FROM stats_entities WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as StatsEntity) : undefined;
  },
  set: (key, value) => void dirty.set(key, value),
});

export const statsProjection: Projection = {
  name: 'stats',
  version: 3,
  setup(db) {
    db.exec('CREATE TABLE IF NOT EXISTS stats_entities (key TEXT PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL);');
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS stats_entities;');
  },
  apply(db, recorded) {
    if (!statsEventTypes.has(recorded.type)) return;
    // The full recorded payload: the fold reads only STATS_FIELDS of it (tests compare with the export's fold).
    evolveStats(sqlState(db, pendingOf(db)), { position: recorded.position, hash: recorded.hash, type: recorded.type, recordedAt: recorded.recordedAt, department: recorded.actor.department, payload: recorded.payload });
  },
  flush(db) {
    const dirty = pending.get(db);
    if (!dirty || dirty.size === 0) return;
    const put = stmt(db, 'INSERT OR REPLACE INTO stats_entities (key, kind, value) VALUES (?, ?, ?)');
    for (const [key, value] of dirty) put.run(key, value.kind, JSON.stringify(value));
    dirty.clear();
  },
  discard(db) {
    pending.get(db)?.clear();
  },
};

/** The ledger position the stats read model has applied up to (its checkpoint): a cache key. */
export function statsPosition(db: Database): number {
  const row = stmt(db, "SELECT position FROM projection_checkpoints WHERE name = 'stats'").get() as { position: number } | undefined;
  return row?.position ?? -1;
}

/** Every entity of the fold, for computing figures. */
export function loadStatsEntities(db: Database): StatsEntity[] {
  return (stmt(db, 'SELECT value FROM stats_entities ORDER BY key').all() as { value: string }[]).map((r) => JSON.parse(r.value) as StatsEntity);
}
