import type { Database } from 'better-sqlite3';
import { stmt } from '../registers/sql.js';

interface Row {
  visit_id: string;
  executing_unit: string;
  uscc: string;
  window_from: string;
  window_to: string;
  items: string;
  tasks: string;
}

/** A visit as the read model serves it (src/domain/visits Visit, as plain JSON). */
export interface VisitView {
  readonly visitId: string;
  readonly executingUnit: string;
  readonly uscc: string;
  readonly window: { from: string; to: string };
  readonly items: string[];
  readonly tasks: { taskId: string; items: string[]; window: { from: string; to: string } }[];
}

// Rows hold what mergeVisits produced from catalogue-validated task events.
const toView = (r: Row): VisitView => ({
  visitId: r.visit_id,
  executingUnit: r.executing_unit,
  uscc: r.uscc,
  window: { from: r.window_from, to: r.window_to },
  items: JSON.parse(r.items) as string[],
  tasks: JSON.parse(r.tasks) as VisitView['tasks'],
});

export function getVisit(db: Database, visitId: string): VisitView | undefined {
  const r = stmt(db, 'SELECT * FROM visits WHERE visit_id = ?').get(visitId) as Row | undefined;
  return r ? toView(r) : undefined;
}

export interface VisitListQuery {
  /** T6: the executing unit whose work queue this is; all units when absent. */
  readonly unit?: string;
  /** Keyset paging: the visit id of the last visit of the previous page. */
  readonly after?: string;
  readonly limit: number;
}

/**
 * T6: visits in visit-id order. Within one unit that is window start, then target (the id is
 * `<unit>-<YYYYMMDD>-<uscc>`), i.e. the order of the unit's work queue.
 */
export function listVisits(db: Database, q: VisitListQuery): VisitView[] {
  const where = ['visit_id > @after', ...(q.unit === undefined ? [] : ['executing_unit = @unit'])];
  const rows = stmt(db, `SELECT * FROM visits WHERE ${where.join(' AND ')} ORDER BY visit_id LIMIT @limit`).all({
    after: q.after ?? '',
    limit: q.limit,
    ...(q.unit !== undefined && { unit: q.unit }),
  }) as Row[];
  return rows.map(toView);
}
