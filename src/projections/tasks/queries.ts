import type { Database } from 'better-sqlite3';
import { stmt } from '../registers/sql.js';

interface Row {
  task_id: string;
  department: string;
  name: string;
  year: number;
  items: string;
  directional: number;
  ad_hoc: number;
  window_from: string;
  window_to: string;
  executing_units: string;
  participants: string;
  delegate: string | null;
  delegate_accepted: number;
  status: 'created' | 'locked' | 'dispatched';
  locked_draw_id: string | null;
  locked_count: number | null;
  dispatched: string | null;
  created_position: number;
  locked_position: number | null;
  dispatched_position: number | null;
}

/** One task as GET /tasks lists it: enough to find and triage it; GET /tasks/:id has the rest. */
export interface TaskSummary {
  readonly taskId: string;
  readonly departmentId: string;
  readonly name: string;
  readonly year: number;
  readonly items: string[];
  readonly directional: boolean;
  readonly adHoc: boolean;
  readonly window: { from: string; to: string };
  readonly executingUnits: string[];
  /** T1/joint: the participating departments of a joint task (the task's department leads); empty otherwise. */
  readonly participants: string[];
  readonly delegation: { delegate: string; accepted: boolean } | null;
  readonly status: 'created' | 'locked' | 'dispatched';
  readonly locked: { drawId: string; count: number } | null;
  /** T4: how many targets each executing unit received. */
  readonly dispatched: { executingUnit: string; targets: number }[] | null;
  /** Ledger positions of the creation, the lock and the dispatch. */
  readonly positions: { created: number; locked: number | null; dispatched: number | null };
}

// Rows hold what catalogue-validated task events carried.
const toSummary = (r: Row): TaskSummary => ({
  taskId: r.task_id,
  departmentId: r.department,
  name: r.name,
  year: r.year,
  items: JSON.parse(r.items) as string[],
  directional: r.directional === 1,
  adHoc: r.ad_hoc === 1,
  window: { from: r.window_from, to: r.window_to },
  executingUnits: JSON.parse(r.executing_units) as string[],
  participants: JSON.parse(r.participants) as string[],
  delegation: r.delegate === null ? null : { delegate: r.delegate, accepted: r.delegate_accepted === 1 },
  status: r.status,
  locked: r.locked_draw_id === null ? null : { drawId: r.locked_draw_id, count: r.locked_count ?? 0 },
  dispatched: r.dispatched === null ? null : (JSON.parse(r.dispatched) as TaskSummary['dispatched']),
  positions: { created: r.created_position, locked: r.locked_position, dispatched: r.dispatched_position },
});

export interface TaskListQuery {
  readonly department?: string;
  readonly year?: number;
  readonly status?: 'created' | 'locked' | 'dispatched';
  /** PL6: only ad-hoc tasks (true) or only planned ones (false). */
  readonly adHoc?: boolean;
  /** T1/T4: tasks this unit executes — one of the task's executing units, or its accepted delegate. */
  readonly executingUnit?: string;
  /** Keyset paging: the task id of the last task of the previous page. */
  readonly after?: string;
  readonly limit: number;
}

/** Tasks in task-id order (stable across pages and rebuilds). */
export function listTasks(db: Database, q: TaskListQuery): TaskSummary[] {
  const where = ['t.task_id > @after'];
  const params: Record<string, string | number> = { after: q.after ?? '', limit: q.limit };
  if (q.department !== undefined) (where.push('t.department = @department'), (params.department = q.department));
  if (q.year !== undefined) (where.push('t.year = @year'), (params.year = q.year));
  if (q.status !== undefined) (where.push('t.status = @status'), (params.status = q.status));
  if (q.adHoc !== undefined) (where.push('t.ad_hoc = @adHoc'), (params.adHoc = q.adHoc ? 1 : 0));
  if (q.executingUnit !== undefined) {
    where.push('EXISTS (SELECT 1 FROM task_units u WHERE u.executing_unit = @unit AND u.task_id = t.task_id)');
    params.unit = q.executingUnit;
  }
  const rows = stmt(db, `SELECT t.* FROM tasks t WHERE ${where.join(' AND ')} ORDER BY t.task_id LIMIT @limit`).all(params) as Row[];
  return rows.map(toSummary);
}
