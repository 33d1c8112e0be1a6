import type { Database } from 'better-sqlite3';
import type { TaskEvent } from '../../domain/tasks/index.js';
import { mergeVisits, type VisitAssignment } from '../../domain/visits/index.js';
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

/**
 * T5/T6: the visits of each executing unit. TaskCreated gives a task's items and window,
 * TaskDispatched its (unit, target) pairs; after each dispatch the visits of every touched
 * (unit, target) are recomputed with the pure rule (src/domain/visits) over all assignments of
 * that pair — so the table always equals mergeVisits over the whole ledger, whatever the order
 * the tasks were dispatched in, and a bridging task merges earlier visits.
 */
export const visitsProjection: Projection = {
  name: 'visits',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS visit_tasks (task_id TEXT PRIMARY KEY, items TEXT NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS visit_assignments (executing_unit TEXT NOT NULL, uscc TEXT NOT NULL, task_id TEXT NOT NULL, PRIMARY KEY (executing_unit, uscc, task_id));
      CREATE TABLE IF NOT EXISTS visits (
        visit_id TEXT PRIMARY KEY, executing_unit TEXT NOT NULL, uscc TEXT NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL,
        items TEXT NOT NULL, tasks TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS visits_unit ON visits (executing_unit, visit_id);
      CREATE INDEX IF NOT EXISTS visits_target ON visits (executing_unit, uscc);`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS visit_tasks; DROP TABLE IF EXISTS visit_assignments; DROP TABLE IF EXISTS visits;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    const e = domainEvent<TaskEvent>(recorded);
    if (e.type === 'TaskCreated') {
      const p = e.payload;
      stmt(db, 'INSERT OR REPLACE INTO visit_tasks VALUES (?, ?, ?, ?)').run(p.taskId, JSON.stringify(p.items), p.window.from, p.window.to);
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

function recompute(db: Database, unit: string, uscc: string): void {
  const rows = stmt(
    db,
    `SELECT a.task_id, a.uscc, a.executing_unit, t.items, t.window_from, t.window_to
     FROM visit_assignments a JOIN visit_tasks t ON t.task_id = a.task_id WHERE a.executing_unit = ? AND a.uscc = ?`,
  ).all(unit, uscc) as AssignmentRow[];
  const assignments = rows.map(
    (r): VisitAssignment => ({ taskId: r.task_id, uscc: r.uscc, executingUnit: r.executing_unit, items: JSON.parse(r.items) as string[], window: { from: r.window_from, to: r.window_to } }),
  );
  stmt(db, 'DELETE FROM visits WHERE executing_unit = ? AND uscc = ?').run(unit, uscc);
  const insert = stmt(db, 'INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const v of mergeVisits(assignments)) insert.run(v.visitId, v.executingUnit, v.uscc, v.window.from, v.window.to, JSON.stringify(v.items), JSON.stringify(v.tasks));
}
