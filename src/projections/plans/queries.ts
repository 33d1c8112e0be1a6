import type { Database } from 'better-sqlite3';
import type { Notice } from '../../domain/notices/index.js';
import type { PlanItem, PlanStatus } from '../../domain/plans/index.js';
import { stmt } from '../registers/sql.js';

interface VersionRow {
  department_id: string;
  year: number;
  version: number;
  status: PlanStatus;
  items: string;
  reason: string;
  drafted_at: string;
  drafted_by: string;
  filed_with: string | null;
  filed_at: string | null;
  filed_by: string | null;
  filed_position: number | null;
  list_basis: string | null;
  covered_items: string | null;
  changes: string | null;
  answered_at: string | null;
  answered_by: string | null;
  answered_by_department: string | null;
  return_reason: string | null;
}

export interface PlanVersionView {
  readonly departmentId: string;
  readonly year: number;
  readonly version: number;
  readonly status: PlanStatus;
  readonly reason: string;
  readonly drafted: { readonly at: string; readonly by: string };
  /** null until filed; `filedWith: null` is the root's filing with nobody. */
  readonly filing: {
    readonly filedWith: string | null;
    readonly at: string;
    readonly by: string;
    readonly position: number;
    readonly listBasis: { departmentId: string; version: number }[];
    readonly coveredItems: string[];
    readonly changes: { added: string[]; changed: string[]; removed: string[] };
  } | null;
  /** The parent's acknowledgement or return. */
  readonly answer: { readonly at: string; readonly by: string; readonly department: string; readonly returnReason: string | null } | null;
  readonly items: PlanItem[];
}

// Rows hold payloads of catalogue-validated plan events.
const toView = (r: VersionRow): PlanVersionView => ({
  departmentId: r.department_id,
  year: r.year,
  version: r.version,
  status: r.status,
  reason: r.reason,
  drafted: { at: r.drafted_at, by: r.drafted_by },
  filing:
    r.filed_at === null
      ? null
      : {
          filedWith: r.filed_with,
          at: r.filed_at,
          by: r.filed_by ?? '',
          position: r.filed_position ?? -1,
          listBasis: JSON.parse(r.list_basis ?? '[]') as { departmentId: string; version: number }[],
          coveredItems: JSON.parse(r.covered_items ?? '[]') as string[],
          changes: JSON.parse(r.changes ?? '{"added":[],"changed":[],"removed":[]}') as { added: string[]; changed: string[]; removed: string[] },
        },
  answer: r.answered_at === null ? null : { at: r.answered_at, by: r.answered_by ?? '', department: r.answered_by_department ?? '', returnReason: r.return_reason },
  items: JSON.parse(r.items) as PlanItem[],
});

/** PL1: the versions of one department's plan for a year, oldest first. */
export function planVersions(db: Database, departmentId: string, year: number): PlanVersionView[] {
  const rows = stmt(db, 'SELECT * FROM plan_versions WHERE department_id = ? AND year = ? ORDER BY version').all(departmentId, year) as VersionRow[];
  return rows.map(toView);
}

/** PL1: every department's versions for a year (the bureau-wide view), by department then version. */
export function planVersionsOfYear(db: Database, year: number): PlanVersionView[] {
  const rows = stmt(db, 'SELECT * FROM plan_versions WHERE year = ? ORDER BY department_id, version').all(year) as VersionRow[];
  return rows.map(toView);
}

/** The version in force: the latest filed or acknowledged one (a returned version never applies). */
export const inForce = (versions: readonly PlanVersionView[]): PlanVersionView | undefined =>
  [...versions].reverse().find((v) => v.status === 'filed' || v.status === 'acknowledged');

export interface NoticeView extends Omit<Notice, 'subject'> {
  readonly subject: Notice['subject'] & { readonly position: number | null };
  readonly publishedAt: string;
  /** Ledger position of the notice event itself. */
  readonly position: number;
}

interface NoticeRow {
  notice_id: string;
  kind: Notice['kind'];
  title: string;
  department: string;
  subject_stream: string;
  subject_revision: number;
  subject_type: string;
  subject_position: number | null;
  body: string;
  published_at: string;
  position: number;
}

const toNotice = (r: NoticeRow): NoticeView => ({
  noticeId: r.notice_id,
  kind: r.kind,
  title: r.title,
  department: r.department,
  subject: { streamId: r.subject_stream, revision: r.subject_revision, eventType: r.subject_type, position: r.subject_position },
  body: JSON.parse(r.body) as Notice['body'],
  publishedAt: r.published_at,
  position: r.position,
});

export function getNotice(db: Database, noticeId: string): NoticeView | undefined {
  const r = stmt(db, 'SELECT * FROM notices WHERE notice_id = ?').get(noticeId) as NoticeRow | undefined;
  return r ? toNotice(r) : undefined;
}

/** P2: notices in ledger order, optionally of one kind or department; `after` is a ledger position (keyset paging). */
export function listNotices(db: Database, q: { kind?: string; department?: string; after?: number; limit: number }): NoticeView[] {
  const where = ['position > @after', ...(q.kind === undefined ? [] : ['kind = @kind']), ...(q.department === undefined ? [] : ['department = @department'])];
  const rows = stmt(db, `SELECT * FROM notices WHERE ${where.join(' AND ')} ORDER BY position LIMIT @limit`).all({
    after: q.after ?? -1,
    limit: q.limit,
    ...(q.kind !== undefined && { kind: q.kind }),
    ...(q.department !== undefined && { department: q.department }),
  }) as NoticeRow[];
  return rows.map(toNotice);
}
