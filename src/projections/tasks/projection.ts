import type { Database } from 'better-sqlite3';
import type { TaskEvent } from '../../domain/tasks/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { bool, domainEvent, stmt } from '../registers/sql.js';

/**
 * T1–T4, PL6: one row per task, folded from its stream's events. The task stream itself stays the
 * source of truth (GET /tasks/:id folds it); this table only serves lists and filters, and a
 * rebuild from the ledger gives the same rows. Payloads are read field by field, so optional
 * fields (e.g. `excluded` on a lock) change nothing here. Version 2: `participants` of a joint task.
 */
export const tasksProjection: Projection = {
  name: 'tasks',
  version: 2,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS tasks (
        task_id TEXT PRIMARY KEY, department TEXT NOT NULL, name TEXT NOT NULL, year INTEGER NOT NULL, items TEXT NOT NULL,
        directional INTEGER NOT NULL, ad_hoc INTEGER NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL, executing_units TEXT NOT NULL,
        participants TEXT NOT NULL DEFAULT '[]', delegate TEXT, delegate_accepted INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL,
        locked_draw_id TEXT, locked_count INTEGER, dispatched TEXT,
        created_position INTEGER NOT NULL, locked_position INTEGER, dispatched_position INTEGER);
      CREATE TABLE IF NOT EXISTS task_units (executing_unit TEXT NOT NULL, task_id TEXT NOT NULL, PRIMARY KEY (executing_unit, task_id));
      CREATE INDEX IF NOT EXISTS tasks_department ON tasks (department, task_id);`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS tasks; DROP TABLE IF EXISTS task_units;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    const e = domainEvent<TaskEvent>(recorded);
    const at = recorded.position;
    switch (e.type) {
      case 'TaskCreated': {
        const p = e.payload;
        stmt(
          db,
          `INSERT OR REPLACE INTO tasks (task_id, department, name, year, items, directional, ad_hoc, window_from, window_to, executing_units, participants, status, created_position)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)`,
        ).run(p.taskId, p.departmentId, p.name, p.year, JSON.stringify(p.items), bool(p.directional), bool(p.adHoc), p.window.from, p.window.to, JSON.stringify(p.executingUnits), JSON.stringify(p.participants ?? []), at);
        const unit = stmt(db, 'INSERT OR IGNORE INTO task_units VALUES (?, ?)');
        for (const u of p.executingUnits) unit.run(u, p.taskId);
        return;
      }
      case 'TaskDelegated':
        // T1: a task has at most one delegation (the decider refuses a second one).
        stmt(db, 'UPDATE tasks SET delegate = ?, delegate_accepted = 0 WHERE task_id = ?').run(e.payload.delegate, e.payload.taskId);
        return;
      case 'TaskDelegationAccepted':
        stmt(db, 'UPDATE tasks SET delegate_accepted = 1 WHERE task_id = ? AND delegate = ?').run(e.payload.taskId, e.payload.delegate);
        // T1: from now on the delegate executes the task, so its queue lists it.
        stmt(db, 'INSERT OR IGNORE INTO task_units VALUES (?, ?)').run(e.payload.delegate, e.payload.taskId);
        return;
      case 'TaskListLocked':
        stmt(db, "UPDATE tasks SET status = 'locked', locked_draw_id = ?, locked_count = ?, locked_position = ? WHERE task_id = ?").run(
          e.payload.drawId,
          e.payload.targets.length,
          at,
          e.payload.taskId,
        );
        return;
      case 'TaskDispatched': {
        const counts = e.payload.assignments.map((a) => ({ executingUnit: a.executingUnit, targets: a.targets.length }));
        stmt(db, "UPDATE tasks SET status = 'dispatched', dispatched = ?, dispatched_position = ? WHERE task_id = ?").run(JSON.stringify(counts), at, e.payload.taskId);
        return;
      }
      default:
        return;
    }
  },
};
