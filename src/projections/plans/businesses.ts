import type { Database } from 'better-sqlite3';
import type { NoticeEvent, ResultNoticeBody, TaskNoticeBody } from '../../domain/notices/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { domainEvent, stmt } from '../registers/sql.js';

/**
 * P2, issue 11: the public notices about each business, so the public site can show one page
 * per business and search the businesses that appear in a notice. Built from NoticePublished
 * events only (what was published, nothing else): a task notice that publishes its drawn list
 * names each listed business; a result notice and its correction name their target. A business
 * that never appears in a notice has no row — the site shows only what was made public.
 * Also which notice each correction (E6) corrects.
 */
export const businessNoticesProjection: Projection = {
  name: 'notices.businesses',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS pub_business_notices (
        uscc TEXT NOT NULL, position INTEGER NOT NULL, notice_id TEXT NOT NULL, kind TEXT NOT NULL,
        PRIMARY KEY (uscc, position)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS pub_businesses (uscc TEXT PRIMARY KEY, name TEXT, first_position INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS pub_corrections (corrects TEXT NOT NULL, position INTEGER NOT NULL, notice_id TEXT NOT NULL, PRIMARY KEY (corrects, position)) WITHOUT ROWID;`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS pub_business_notices; DROP TABLE IF EXISTS pub_businesses; DROP TABLE IF EXISTS pub_corrections;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    if (recorded.type !== 'NoticePublished') return;
    const e = domainEvent<NoticeEvent>(recorded);
    if (e.type !== 'NoticePublished') return;
    const p = e.payload;
    const add = (uscc: string, name: string | null): void => {
      stmt(db, 'INSERT OR IGNORE INTO pub_business_notices VALUES (?, ?, ?, ?)').run(uscc, recorded.position, p.noticeId, p.kind);
      // The name a result notice published is the one shown; a task notice lists credit codes only.
      stmt(db, `INSERT INTO pub_businesses VALUES (?, ?, ?)
        ON CONFLICT (uscc) DO UPDATE SET name = coalesce(excluded.name, name)`).run(uscc, name, recorded.position);
    };
    if (p.kind === 'taskNotice') {
      const targets = (p.body as TaskNoticeBody).targets;
      for (const t of targets ?? []) add(t.uscc, null);
    } else if (p.kind === 'resultNotice' || p.kind === 'resultCorrectionNotice') {
      const t = (p.body as ResultNoticeBody).target;
      add(t.uscc, t.name);
      const c = (p.body as ResultNoticeBody).correction;
      // E6: which notice each correction corrects, so a result notice links to its corrections.
      if (c !== null) stmt(db, 'INSERT OR IGNORE INTO pub_corrections VALUES (?, ?, ?)').run(c.corrects, recorded.position, p.noticeId);
    }
  },
};
