import type { Database } from 'better-sqlite3';
import type { TaskEvent } from '../../domain/tasks/index.js';
import {
  combinedGroup, contributors, evolveVisit, initialVisitState, isMatched, mergeVisits, type Visit, type VisitAssignment, type VisitEvent, type VisitState,
} from '../../domain/visits/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { domainEvent, stmt } from '../registers/sql.js';

interface AssignmentRow {
  task_id: string;
  uscc: string;
  executing_unit: string;
  items: string;
  window_from: string;
  window_to: string;
}

const visitEventTypes = new Set(['VisitFrozen', 'VisitMatchingCommitted', 'VisitMatched', 'VisitLeftUnmatched', 'VisitAssigned', 'VisitReplacementRequested', 'VisitReplacementApproved']);

/**
 * T5/T6: the visits of each executing unit. TaskCreated gives a task's items, window and joint
 * participants, TaskDispatched its (unit, target) pairs; after each dispatch the visits of every
 * touched (unit, target) are recomputed with the pure rule (src/domain/visits) over all
 * assignments of that pair and its frozen visits — so the table always equals mergeVisits over the
 * whole ledger, whatever the order, and a bridging task merges earlier provisional visits.
 * A visit's own stream (VisitFrozen …) freezes it and carries its matching state.
 */
export const visitsProjection: Projection = {
  name: 'visits',
  version: 3,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS visit_tasks (task_id TEXT PRIMARY KEY, items TEXT NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL, participants TEXT NOT NULL DEFAULT '[]');
      CREATE TABLE IF NOT EXISTS visit_assignments (executing_unit TEXT NOT NULL, uscc TEXT NOT NULL, task_id TEXT NOT NULL, PRIMARY KEY (executing_unit, uscc, task_id));
      CREATE TABLE IF NOT EXISTS visit_streams (visit_id TEXT PRIMARY KEY, executing_unit TEXT NOT NULL, uscc TEXT NOT NULL, state TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS visit_streams_target ON visit_streams (executing_unit, uscc);
      CREATE TABLE IF NOT EXISTS visits (
        visit_id TEXT PRIMARY KEY, executing_unit TEXT NOT NULL, uscc TEXT NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL,
        items TEXT NOT NULL, tasks TEXT NOT NULL, participants TEXT NOT NULL, status TEXT NOT NULL, matching TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS visits_unit ON visits (executing_unit, visit_id);
      CREATE INDEX IF NOT EXISTS visits_target ON visits (executing_unit, uscc);
      CREATE TABLE IF NOT EXISTS visit_transfers (visit_id TEXT PRIMARY KEY, from_unit TEXT NOT NULL, to_unit TEXT NOT NULL, leader TEXT NOT NULL, members TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS visit_transfers_to ON visit_transfers (to_unit, visit_id);`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS visit_tasks; DROP TABLE IF EXISTS visit_assignments; DROP TABLE IF EXISTS visit_streams; DROP TABLE IF EXISTS visits; DROP TABLE IF EXISTS visit_transfers;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    // E8: an accepted transfer hands the visit to the new unit with its group (queries.ts overlays it).
    if (recorded.type === 'VisitTransferAccepted') {
      const p = recorded.payload as { visitId: string; fromUnit: string; toUnit: string; leader: string; members: string[] };
      stmt(db, 'INSERT OR REPLACE INTO visit_transfers VALUES (?, ?, ?, ?, ?)').run(p.visitId, p.fromUnit, p.toUnit, p.leader, JSON.stringify(p.members));
      return;
    }
    if (visitEventTypes.has(recorded.type)) {
      applyVisitEvent(db, domainEvent<VisitEvent>(recorded));
      return;
    }
    const e = domainEvent<TaskEvent>(recorded);
    if (e.type === 'TaskCreated') {
      const p = e.payload;
      const participants = (p as { participants?: string[] }).participants ?? [];
      stmt(db, 'INSERT OR REPLACE INTO visit_tasks VALUES (?, ?, ?, ?, ?)').run(p.taskId, JSON.stringify(p.items), p.window.from, p.window.to, JSON.stringify(participants));
      return;
    }
    if (e.type !== 'TaskDispatched') return;
    const insert = stmt(db, 'INSERT OR IGNORE INTO visit_assignments VALUES (?, ?, ?)');
    const touched = new Set<string>();
    for (const a of e.payload.assignments)
      for (const uscc of a.targets) {
        insert.run(a.executingUnit, uscc, e.payload.taskId);
        touched.add(`${a.executingUnit}\u0000${uscc}`);
      }
    for (const key of touched) {
      const [unit, uscc] = key.split('\u0000') as [string, string];
      recompute(db, unit, uscc);
    }
  },
};

function applyVisitEvent(db: Database, e: VisitEvent): void {
  const row = stmt(db, 'SELECT state FROM visit_streams WHERE visit_id = ?').get(e.payload.visitId) as { state: string } | undefined;
  const before = row ? (JSON.parse(row.state) as VisitState) : initialVisitState;
  const after = evolveVisit(before, e);
  if (!after.exists) return;
  stmt(db, 'INSERT OR REPLACE INTO visit_streams VALUES (?, ?, ?, ?)').run(after.visit.visitId, after.visit.executingUnit, after.visit.uscc, JSON.stringify(after));
  recompute(db, after.visit.executingUnit, after.visit.uscc);
}

/** What the read model shows of a visit's matching (T6–T8, T10). */
function matchingView(s: VisitState | undefined) {
  if (!s?.exists) return { frozen: false, group: null, contributions: [], requests: [] };
  return {
    frozen: true,
    group: combinedGroup(s),
    contributions: contributors(s.visit).map((department) => {
      const c = s.contributions[department];
      return { department, pending: c?.pending ?? null, group: c?.group ?? null, unmatched: c?.unmatched ?? null };
    }),
    requests: s.requests,
  };
}

function recompute(db: Database, unit: string, uscc: string): void {
  const rows = stmt(
    db,
    `SELECT a.task_id, a.uscc, a.executing_unit, t.items, t.window_from, t.window_to
     FROM visit_assignments a JOIN visit_tasks t ON t.task_id = a.task_id WHERE a.executing_unit = ? AND a.uscc = ?`,
  ).all(unit, uscc) as AssignmentRow[];
  const assignments = rows.map(
    (r): VisitAssignment => ({ taskId: r.task_id, uscc: r.uscc, executingUnit: r.executing_unit, items: JSON.parse(r.items) as string[], window: { from: r.window_from, to: r.window_to } }),
  );
  const streams = new Map(
    (stmt(db, 'SELECT visit_id, state FROM visit_streams WHERE executing_unit = ? AND uscc = ?').all(unit, uscc) as { visit_id: string; state: string }[]).map((r) => [r.visit_id, JSON.parse(r.state) as VisitState]),
  );
  const frozen: Visit[] = [...streams.values()].flatMap((s) => (s.exists ? [{ ...s.visit, tasks: s.visit.tasks }] : []));
  const participantsOf = stmt(db, 'SELECT participants FROM visit_tasks WHERE task_id = ?');
  stmt(db, 'DELETE FROM visits WHERE executing_unit = ? AND uscc = ?').run(unit, uscc);
  const insert = stmt(db, 'INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const v of mergeVisits(assignments, frozen)) {
    const s = streams.get(v.visitId);
    const participants = s?.exists
      ? s.visit.participants
      : [...new Set(v.tasks.flatMap((t) => JSON.parse((participantsOf.get(t.taskId) as { participants: string } | undefined)?.participants ?? '[]') as string[]))].filter((p) => p !== unit).sort();
    const status = s && isMatched(s) ? 'matched' : 'unmatched';
    insert.run(v.visitId, v.executingUnit, v.uscc, v.window.from, v.window.to, JSON.stringify(v.items), JSON.stringify(v.tasks), JSON.stringify(participants), status, JSON.stringify(matchingView(s)));
  }
}
