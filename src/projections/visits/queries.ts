import type { Database } from 'better-sqlite3';
import type { VisitReplacementReason } from '../../domain/visits/index.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
interface GroupView {
  via: 'draw' | 'direct';
  matchingDraw: string | null;
  drawId: string | null;
  leader: string | null;
  members: string[];
  experts: string[];
  reason: string | null;
}
import { stmt } from '../registers/sql.js';

interface Row {
  visit_id: string;
  executing_unit: string;
  uscc: string;
  window_from: string;
  window_to: string;
  items: string;
  tasks: string;
  participants: string;
  status: string;
  matching: string;
  /** E8: set when the visit was transferred to another unit and accepted there. */
  t_to?: string | null;
  t_from?: string | null;
  t_leader?: string | null;
  t_members?: string | null;
}

export const visitStatuses = ['matched', 'unmatched'] as const;

/** A visit as the read model serves it (src/domain/visits Visit, as plain JSON, with its matching). */
export interface VisitView {
  readonly visitId: string;
  readonly executingUnit: string;
  readonly uscc: string;
  readonly window: { from: string; to: string };
  readonly items: string[];
  readonly tasks: { taskId: string; items: string[]; window: { from: string; to: string } }[];
  /** Joint tasks (T1/joint): the participating departments that contribute inspectors. */
  readonly participants: string[];
  /** T6: matched when every contributing department has its group. */
  readonly status: (typeof visitStatuses)[number];
  /** T6: frozen once a matching draw was committed over it or it was assigned directly. */
  readonly frozen: boolean;
  readonly group: { leader: string | null; members: string[]; experts: string[] } | null;
  readonly contributions: { department: string; pending: string | null; group: GroupView | null; unmatched: { drawId: string; need: string } | null }[];
  /** E8: the unit that executed it before an accepted transfer (null when never transferred). */
  readonly transferredFrom?: string | null;
  readonly requests: Mutable<{ request: number; department: string; member: string; reason: VisitReplacementReason; requestedBy: string; approvedBy: string | null; drawId: string | null }>[];
}

// Rows hold what mergeVisits and the visit decider produced from catalogue-validated events.
const toView = (r: Row): VisitView => (r.t_to ? transferred(baseView(r), r) : baseView(r));

/** E8: after an accepted transfer the new unit executes the visit with the group its principal named. */
function transferred(v: VisitView, r: Row): VisitView {
  const members = JSON.parse(r.t_members!) as string[];
  return { ...v, executingUnit: r.t_to!, transferredFrom: r.t_from!, status: 'matched', participants: [], group: { leader: r.t_leader!, members, experts: [] } };
}

const SELECT = 'SELECT v.*, t.to_unit AS t_to, t.from_unit AS t_from, t.leader AS t_leader, t.members AS t_members FROM visits v LEFT JOIN visit_transfers t ON t.visit_id = v.visit_id';

const baseView = (r: Row): VisitView => ({
  visitId: r.visit_id,
  executingUnit: r.executing_unit,
  uscc: r.uscc,
  window: { from: r.window_from, to: r.window_to },
  items: JSON.parse(r.items) as string[],
  tasks: JSON.parse(r.tasks) as VisitView['tasks'],
  participants: JSON.parse(r.participants) as string[],
  status: r.status as VisitView['status'],
  ...(JSON.parse(r.matching) as Pick<VisitView, 'frozen' | 'group' | 'contributions' | 'requests'>),
});

export function getVisit(db: Database, visitId: string): VisitView | undefined {
  const r = stmt(db, `${SELECT} WHERE v.visit_id = ?`).get(visitId) as Row | undefined;
  return r ? toView(r) : undefined;
}

export interface VisitListQuery {
  /** T6: the unit whose work queue this is (its visits and the joint visits it takes part in); all units when absent. */
  readonly unit?: string;
  /** T6: matched or unmatched visits only. */
  readonly status?: (typeof visitStatuses)[number];
  /** Keyset paging: the visit id of the last visit of the previous page. */
  readonly after?: string;
  readonly limit: number;
}

/**
 * T6: visits in visit-id order. Within one unit that is window start, then target (the id is
 * `<unit>-<YYYYMMDD>-<uscc>`), i.e. the order of the unit's work queue.
 */
export function listVisits(db: Database, q: VisitListQuery): VisitView[] {
  // E8: a transferred visit leaves the old unit's queue and joins the new unit's.
  const unitOf = 'COALESCE(t.to_unit, v.executing_unit)';
  const where = [
    'v.visit_id > @after',
    ...(q.unit === undefined ? [] : [`(${unitOf} = @unit OR (t.to_unit IS NULL AND EXISTS (SELECT 1 FROM json_each(v.participants) WHERE value = @unit)))`]),
    ...(q.status === undefined ? [] : [`(CASE WHEN t.to_unit IS NULL THEN v.status ELSE 'matched' END) = @status`]),
  ];
  const rows = stmt(db, `${SELECT} WHERE ${where.join(' AND ')} ORDER BY v.visit_id LIMIT @limit`).all({
    after: q.after ?? '',
    limit: q.limit,
    ...(q.unit !== undefined && { unit: q.unit }),
    ...(q.status !== undefined && { status: q.status }),
  }) as Row[];
  return rows.map(toView);
}
