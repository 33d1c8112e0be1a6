import type { Database } from 'better-sqlite3';
import type { ItemListEvent } from '../../domain/registers/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { domainEvent, stmt } from './sql.js';

/** L1: every published version of every department's item list, kept whole for GET version n. */
export const itemListProjection: Projection = {
  name: 'registers.itemList',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS reg_item_list_versions (
        department_id TEXT NOT NULL, version INTEGER NOT NULL, reason TEXT NOT NULL, published_at TEXT NOT NULL,
        published_by TEXT NOT NULL, items TEXT NOT NULL, changes TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (department_id, version));`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS reg_item_list_versions;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    const e = domainEvent<ItemListEvent>(recorded);
    if (e.type !== 'ItemListVersionPublished') return;
    const p = e.payload;
    stmt(db, 'INSERT OR REPLACE INTO reg_item_list_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      p.departmentId, p.version, p.reason, recorded.recordedAt, recorded.actor.userId, JSON.stringify(p.items), JSON.stringify(p.changes), recorded.position,
    );
  },
};
