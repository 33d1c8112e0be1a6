import type { NonRandomInspectionEvent } from '../../domain/nonrandom-inspections/index.js';
import type { Projection } from '../projection.js';
import { domainEvent, stmt } from '../registers/sql.js';
import { shanghaiYear } from '../../domain/draws/index.js';

/**
 * G2: inspections other than random ones, in their own tables — never in `draws`, so the
 * draws list and its figures stay random-only, and every row here carries its kind.
 */
export const nonRandomInspectionsProjection: Projection = {
  name: 'nonRandomInspections',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS nonrandom_inspections (
        inspection_id TEXT PRIMARY KEY, kind TEXT NOT NULL, department TEXT NOT NULL,
        document_number TEXT NOT NULL, issuing_body TEXT NOT NULL, document_date TEXT NOT NULL,
        targets TEXT NOT NULL, items TEXT NOT NULL, reason TEXT NOT NULL,
        recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, year INTEGER NOT NULL, position INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS nonrandom_inspections_position ON nonrandom_inspections (position);
      CREATE INDEX IF NOT EXISTS nonrandom_inspections_year ON nonrandom_inspections (year, department, kind);
      CREATE TABLE IF NOT EXISTS nonrandom_inspection_targets (uscc TEXT NOT NULL, inspection_id TEXT NOT NULL, PRIMARY KEY (uscc, inspection_id));`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS nonrandom_inspections; DROP TABLE IF EXISTS nonrandom_inspection_targets;');
  },
  apply(db, recorded) {
    const e = domainEvent<NonRandomInspectionEvent>(recorded);
    if (e.type !== 'NonRandomInspectionRecorded') return;
    const p = e.payload;
    stmt(db, 'INSERT OR REPLACE INTO nonrandom_inspections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      p.inspectionId, p.kind, p.department, p.sourceDocument.number, p.sourceDocument.issuingBody, p.sourceDocument.date,
      JSON.stringify(p.targets), JSON.stringify(p.items), p.reason, p.recordedBy, recorded.recordedAt, shanghaiYear(recorded.recordedAt), recorded.position,
    );
    const link = stmt(db, 'INSERT OR IGNORE INTO nonrandom_inspection_targets VALUES (?, ?)');
    for (const t of p.targets) link.run(t, p.inspectionId);
  },
};
