import type { Database } from 'better-sqlite3';
import type { DepartmentEvent, UserEvent } from '../../domain/registers/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { bool, domainEvent, stmt } from './sql.js';

/** G3: departments and users, for the organisation chart, T8 neighbours and token checks. */
export const organisationProjection: Projection = {
  name: 'registers.organisation',
  version: 1,
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS reg_departments (
        department_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, parent_department TEXT,
        region_code TEXT NOT NULL, neighbouring_regions TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS reg_departments_parent ON reg_departments (parent_department);
      CREATE TABLE IF NOT EXISTS reg_users (
        user_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, department TEXT NOT NULL, active INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS reg_users_department ON reg_users (department);`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS reg_departments; DROP TABLE IF EXISTS reg_users;');
  },
  apply(db: Database, recorded: RecordedEvent) {
    const e = domainEvent<DepartmentEvent | UserEvent>(recorded);
    switch (e.type) {
      case 'DepartmentRegistered': {
        const p = e.payload;
        stmt(db, 'INSERT OR REPLACE INTO reg_departments VALUES (?, ?, ?, ?, ?, ?)').run(
          p.departmentId, p.name, p.kind, p.parentDepartment, p.regionCode, JSON.stringify(p.neighbouringRegions),
        );
        return;
      }
      case 'DepartmentUpdated': {
        const { departmentId, changes: c } = e.payload;
        stmt(db, `UPDATE reg_departments SET name = coalesce(?, name), parent_department = CASE WHEN ? THEN ? ELSE parent_department END,
          region_code = coalesce(?, region_code), neighbouring_regions = coalesce(?, neighbouring_regions) WHERE department_id = ?`).run(
          c.name ?? null, bool('parentDepartment' in c), c.parentDepartment ?? null, c.regionCode ?? null,
          c.neighbouringRegions ? JSON.stringify(c.neighbouringRegions) : null, departmentId,
        );
        return;
      }
      case 'UserRegistered':
        stmt(db, 'INSERT OR REPLACE INTO reg_users VALUES (?, ?, ?, ?, 1)').run(e.payload.userId, e.payload.name, e.payload.role, e.payload.department);
        return;
      case 'UserRoleChanged':
        stmt(db, 'UPDATE reg_users SET role = ?, department = ? WHERE user_id = ?').run(e.payload.role, e.payload.department, e.payload.userId);
        return;
      case 'UserDeactivated':
        stmt(db, 'UPDATE reg_users SET active = 0 WHERE user_id = ?').run(e.payload.userId);
        return;
      default:
        return;
    }
  },
};
