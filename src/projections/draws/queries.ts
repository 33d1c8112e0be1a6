import type { Database } from 'better-sqlite3';

export interface DrawRow {
  readonly drawId: string;
  readonly task: string;
  readonly purpose: string;
  readonly kind: string;
  readonly department: string;
  readonly status: 'committed' | 'completed' | 'abandoned';
  readonly commitmentHash: string;
  readonly committedAt: string;
  readonly revealDeadline: string;
  readonly dueAt: string;
  /** Issue 7 §1: still committed at `now` although every planned source was due. */
  readonly overdue: boolean;
  readonly poolSize: number;
  readonly excluded: number;
  readonly completedAt: string | null;
  readonly abandonedAt: string | null;
  readonly abandonReason: string | null;
  readonly selected: string[] | null;
}

interface Raw {
  draw_id: string; task: string; purpose: string; kind: string; department: string; status: DrawRow['status']; commitment_hash: string;
  committed_at: string; reveal_deadline: string; pool_size: number; excluded: number; completed_at: string | null; abandoned_at: string | null;
  abandon_reason: string | null; selected: string | null; due_at: string;
}

const toRow = (r: Raw, now: string): DrawRow => ({
  drawId: r.draw_id, task: r.task, purpose: r.purpose, kind: r.kind, department: r.department, status: r.status,
  commitmentHash: r.commitment_hash, committedAt: r.committed_at, revealDeadline: r.reveal_deadline, dueAt: r.due_at,
  overdue: r.status === 'committed' && Date.parse(now) >= Date.parse(r.due_at), poolSize: r.pool_size,
  excluded: r.excluded, completedAt: r.completed_at, abandonedAt: r.abandoned_at, abandonReason: r.abandon_reason,
  selected: r.selected === null ? null : (JSON.parse(r.selected) as string[]),
});

export interface DrawListFilter {
  readonly task?: string;
  readonly status?: DrawRow['status'];
  /** true: only committed draws past their due time; false: every other draw. */
  readonly overdue?: boolean;
  readonly limit?: number;
}

/** V1: every draw ever committed, abandoned ones included (abandoning is public, V3). Newest first; `now` decides overdue. */
export function listDraws(db: Database, f: DrawListFilter = {}, now: string = new Date().toISOString()): DrawRow[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.task !== undefined) {
    where.push('task = ?');
    params.push(f.task);
  }
  if (f.status !== undefined) {
    where.push('status = ?');
    params.push(f.status);
  }
  if (f.overdue !== undefined) {
    // ISO instants of one format (the schema's) compare as strings; julianday copes with the optional milliseconds.
    where.push(`${f.overdue ? '' : 'NOT '}(status = 'committed' AND julianday(due_at) <= julianday(?))`);
    params.push(now);
  }
  const sql = `SELECT * FROM draws ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY committed_position DESC LIMIT ?`;
  return (db.prepare(sql).all(...params, f.limit ?? 100) as Raw[]).map((r) => toRow(r, now));
}

export function getDrawRow(db: Database, drawId: string, now: string = new Date().toISOString()): DrawRow | undefined {
  const r = db.prepare('SELECT * FROM draws WHERE draw_id = ?').get(drawId) as Raw | undefined;
  return r && toRow(r, now);
}

/** PL5: random draws so far of each given entity in `year` (absent = 0). May lag the ledger; see pl5.ts. */
export function drawCountsOf(db: Database, ids: readonly string[], year: number): Map<string, number> {
  // One indexed scan of the year: entities drawn in a year are far fewer than register queries per member.
  const drawn = db.prepare('SELECT uscc, count FROM draw_counts WHERE year = ?').all(year) as { uscc: string; count: number }[];
  const out = new Map<string, number>();
  if (drawn.length === 0) return out;
  // Issue 13: a province's pool is 15,000,000 ids; a sorted pool (every register pool is) is
  // searched per drawn entity instead of copied into a Set.
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  const has = sorted ? (id: string): boolean => ids[lowerBound(ids, id)] === id : ((set) => (id: string) => set.has(id))(new Set(ids));
  for (const r of drawn) if (has(r.uscc)) out.set(r.uscc, r.count);
  return out;
}

/** The first index whose id is not below `id` in a strictly ascending list. */
function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
