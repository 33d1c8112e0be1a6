import type { Database } from 'better-sqlite3';
import type { NoticeEvent } from '../../domain/notices/index.js';
import type { PlanEvent } from '../../domain/plans/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { domainEvent, stmt } from '../registers/sql.js';

/**
 * PL1: every version of every annual plan with its state and who moved it (P1: who, which
 * department, when, why). The content of a version is its last saved draft.
 */
export const plansProjection: Projection = {
  name: 'plans',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS plan_versions (
        department_id TEXT NOT NULL, year INTEGER NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
        items TEXT NOT NULL, reason TEXT NOT NULL, drafted_at TEXT NOT NULL, drafted_by TEXT NOT NULL,
        filed_with TEXT, filed_at TEXT, filed_by TEXT, filed_position INTEGER, list_basis TEXT, covered_items TEXT, changes TEXT,
        answered_at TEXT, answered_by TEXT, answered_by_department TEXT, return_reason TEXT,
        PRIMARY KEY (department_id, year, version));
      CREATE INDEX IF NOT EXISTS plan_versions_year ON plan_versions (year, department_id);`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS plan_versions;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    const e = domainEvent<PlanEvent>(recorded);
    const at = recorded.recordedAt;
    const by = recorded.actor.userId;
    switch (e.type) {
      case 'PlanDraftSaved': {
        const p = e.payload;
        stmt(db, `INSERT INTO plan_versions (department_id, year, version, status, items, reason, drafted_at, drafted_by) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)
          ON CONFLICT (department_id, year, version) DO UPDATE SET items = excluded.items, reason = excluded.reason, drafted_at = excluded.drafted_at, drafted_by = excluded.drafted_by`).run(
          p.departmentId, p.year, p.version, JSON.stringify(p.items), p.reason, at, by,
        );
        return;
      }
      case 'PlanVersionFiled': {
        const p = e.payload;
        stmt(db, `UPDATE plan_versions SET status = 'filed', filed_with = ?, filed_at = ?, filed_by = ?, filed_position = ?, list_basis = ?, covered_items = ?, changes = ?
          WHERE department_id = ? AND year = ? AND version = ?`).run(
          p.filedWith, at, by, recorded.position, JSON.stringify(p.listBasis), JSON.stringify(p.coveredItems), JSON.stringify(p.changes), p.departmentId, p.year, p.version,
        );
        return;
      }
      case 'PlanVersionAcknowledged':
      case 'PlanVersionReturned': {
        const p = e.payload;
        const returned = e.type === 'PlanVersionReturned' ? e.payload.reason : null;
        stmt(db, 'UPDATE plan_versions SET status = ?, answered_at = ?, answered_by = ?, answered_by_department = ?, return_reason = ? WHERE department_id = ? AND year = ? AND version = ?').run(
          returned === null ? 'acknowledged' : 'returned', at, by, recorded.actor.department, returned, p.departmentId, p.year, p.version,
        );
        return;
      }
      default:
        return;
    }
  },
};

/**
 * P2: every public notice, with the ledger position of the event it publishes. That event is
 * written in the same append just before the notice, so its position is known when the notice
 * is applied (kept in notice_subjects).
 */
export const noticesProjection: Projection = {
  name: 'notices',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS notices (
        notice_id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, department TEXT NOT NULL,
        subject_stream TEXT NOT NULL, subject_revision INTEGER NOT NULL, subject_type TEXT NOT NULL, subject_position INTEGER,
        body TEXT NOT NULL, published_at TEXT NOT NULL, position INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS notices_position ON notices (position);
      CREATE TABLE IF NOT EXISTS notice_subjects (stream_id TEXT NOT NULL, revision INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (stream_id, revision));`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS notices; DROP TABLE IF EXISTS notice_subjects;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    if (recorded.type === 'PlanVersionFiled') {
      stmt(db, 'INSERT OR REPLACE INTO notice_subjects VALUES (?, ?, ?)').run(recorded.streamId, recorded.revision, recorded.position);
      return;
    }
    const e = domainEvent<NoticeEvent>(recorded);
    if (e.type !== 'NoticePublished') return;
    const p = e.payload;
    const subject = stmt(db, 'SELECT position FROM notice_subjects WHERE stream_id = ? AND revision = ?').get(p.subject.streamId, p.subject.revision) as { position: number } | undefined;
    stmt(db, 'INSERT OR REPLACE INTO notices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      p.noticeId, p.kind, p.title, p.department, p.subject.streamId, p.subject.revision, p.subject.eventType, subject?.position ?? null,
      JSON.stringify(p.body), recorded.recordedAt, recorded.position,
    );
  },
};
