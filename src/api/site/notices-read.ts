import type { Database } from 'better-sqlite3';
import type { Notice, PlanNoticeBody, ResultNoticeBody, TaskNoticeBody } from '../../domain/notices/index.js';
import { stmt } from '../../projections/registers/sql.js';

/** A notice as the site lists it: never the body (a task notice's drawn list can be long). */
export interface NoticeSummary {
  readonly noticeId: string;
  readonly kind: Notice['kind'];
  readonly title: string;
  readonly department: string;
  readonly publishedAt: string;
  readonly position: number;
}

export interface NoticeFull extends NoticeSummary { readonly body: PlanNoticeBody | TaskNoticeBody | ResultNoticeBody }

interface Row { notice_id: string; kind: Notice['kind']; title: string; department: string; published_at: string; position: number }
const summary = (r: Row): NoticeSummary => ({ noticeId: r.notice_id, kind: r.kind, title: r.title, department: r.department, publishedAt: r.published_at, position: r.position });

const COLS = 'notice_id, kind, title, department, published_at, position';

/**
 * Notices of the given kinds, newest first; `after` is the position of the last one shown (the
 * next page holds older ones). Walks the position index backwards: a page costs `limit` rows of
 * the kinds asked for plus the other kinds it passes.
 */
export function noticesNewestFirst(db: Database, kinds: readonly Notice['kind'][], after: number | undefined, limit: number): NoticeSummary[] {
  const sql = `SELECT ${COLS} FROM notices WHERE position < ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY position DESC LIMIT ?`;
  return (stmt(db, sql).all(after ?? Number.MAX_SAFE_INTEGER, ...kinds, limit) as Row[]).map(summary);
}

export function noticeById(db: Database, noticeId: string): NoticeFull | undefined {
  const r = stmt(db, `SELECT ${COLS}, body FROM notices WHERE notice_id = ?`).get(noticeId) as (Row & { body: string }) | undefined;
  return r && { ...summary(r), body: JSON.parse(r.body) as NoticeFull['body'] };
}

export function noticesByIds(db: Database, ids: readonly string[]): Map<string, NoticeSummary> {
  const out = new Map<string, NoticeSummary>();
  for (const id of new Set(ids)) {
    const r = stmt(db, `SELECT ${COLS} FROM notices WHERE notice_id = ?`).get(id) as Row | undefined;
    if (r) out.set(id, summary(r));
  }
  return out;
}

/** Corrections (E6) published for a result notice: `correction.corrects` names the notice they correct. */
export function correctionsOf(db: Database, noticeId: string): NoticeSummary[] {
  const sql = `SELECT ${COLS.split(', ').map((c) => `n.${c}`).join(', ')} FROM pub_corrections c JOIN notices n ON n.notice_id = c.notice_id WHERE c.corrects = ? ORDER BY c.position`;
  return (stmt(db, sql).all(noticeId) as Row[]).map(summary);
}

/** A result notice as the results list shows it (E5 columns), read with json_extract: no body parse in JS. */
export interface ResultRow extends NoticeSummary {
  readonly name: string;
  readonly uscc: string;
  readonly approvedOn: string;
  readonly corrects: string | null;
  readonly results: readonly { itemName: string; category: string; kind: string | null; detail: string | null }[];
}

export function resultNoticesNewestFirst(db: Database, after: number | undefined, limit: number): ResultRow[] {
  const sql = `SELECT ${COLS}, json_extract(body, '$.target.name') AS name, json_extract(body, '$.target.uscc') AS uscc, json_extract(body, '$.approvedOn') AS approved_on,
    json_extract(body, '$.correction.corrects') AS corrects, json_extract(body, '$.results') AS results
    FROM notices WHERE position < ? AND kind IN ('resultNotice', 'resultCorrectionNotice') ORDER BY position DESC LIMIT ?`;
  type R = Row & { name: string; uscc: string; approved_on: string; corrects: string | null; results: string };
  return (stmt(db, sql).all(after ?? Number.MAX_SAFE_INTEGER, limit) as R[]).map((r) => ({
    ...summary(r), name: r.name, uscc: r.uscc, approvedOn: r.approved_on, corrects: r.corrects, results: JSON.parse(r.results) as ResultRow['results'],
  }));
}
