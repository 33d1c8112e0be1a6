import type { Database } from 'better-sqlite3';
import type { ExpertEvent, InspectorEvent } from '../../domain/registers/index.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection.js';
import { domainEvent, stmt } from './sql.js';

type Kind = 'inspector' | 'expert';

/** Tables of one person register: the entry, its expertise (for filters) and its declared conflicts (T10). */
function ddl(kind: Kind, extra: string): string {
  return `
    CREATE TABLE IF NOT EXISTS reg_${kind}s (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, department TEXT NOT NULL, region TEXT NOT NULL, status TEXT NOT NULL,
      expertise TEXT NOT NULL, ${extra}) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS reg_${kind}s_department ON reg_${kind}s (department, status);
    CREATE TABLE IF NOT EXISTS reg_${kind}_expertise (id TEXT NOT NULL, expertise TEXT NOT NULL, PRIMARY KEY (id, expertise)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS reg_${kind}_expertise_value ON reg_${kind}_expertise (expertise);
    CREATE TABLE IF NOT EXISTS reg_${kind}_conflicts (id TEXT NOT NULL, uscc TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (id, uscc)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS reg_${kind}_conflicts_uscc ON reg_${kind}_conflicts (uscc);`;
}

const dropAll = (kind: Kind): string =>
  `DROP TABLE IF EXISTS reg_${kind}s; DROP TABLE IF EXISTS reg_${kind}_expertise; DROP TABLE IF EXISTS reg_${kind}_conflicts;`;

function setExpertise(db: Database, kind: Kind, id: string, expertise: readonly string[]): void {
  stmt(db, `UPDATE reg_${kind}s SET expertise = ? WHERE id = ?`).run(JSON.stringify(expertise), id);
  stmt(db, `DELETE FROM reg_${kind}_expertise WHERE id = ?`).run(id);
  const ins = stmt(db, `INSERT OR IGNORE INTO reg_${kind}_expertise VALUES (?, ?)`);
  for (const x of expertise) ins.run(id, x);
}

function setField(db: Database, kind: Kind, id: string, column: string, value: string): void {
  stmt(db, `UPDATE reg_${kind}s SET ${column} = ? WHERE id = ?`).run(value, id);
}

/** L3/T9/T10: the inspector register as the matching lottery reads it. */
export const inspectorsProjection: Projection = {
  name: 'registers.inspectors',
  version: 1,
  setup(db) {
    db.exec(ddl('inspector', 'qualification_number TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL'));
  },
  reset(db) {
    db.exec(dropAll('inspector'));
  },
  apply(db, recorded: RecordedEvent) {
    const e = domainEvent<InspectorEvent>(recorded);
    switch (e.type) {
      case 'InspectorRegistered': {
        const p = e.payload;
        stmt(db, 'INSERT OR REPLACE INTO reg_inspectors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          p.inspectorId, p.name, p.department, p.region, p.status, '[]', p.qualification.number, p.qualification.validFrom, p.qualification.validTo,
        );
        setExpertise(db, 'inspector', p.inspectorId, p.expertise);
        return;
      }
      case 'InspectorUpdated': {
        const { inspectorId: id, changes: c } = e.payload;
        if (c.name !== undefined) setField(db, 'inspector', id, 'name', c.name);
        if (c.region !== undefined) setField(db, 'inspector', id, 'region', c.region);
        if (c.qualification !== undefined) {
          stmt(db, 'UPDATE reg_inspectors SET qualification_number = ?, valid_from = ?, valid_to = ? WHERE id = ?').run(
            c.qualification.number, c.qualification.validFrom, c.qualification.validTo, id,
          );
        }
        if (c.expertise !== undefined) setExpertise(db, 'inspector', id, c.expertise);
        return;
      }
      case 'InspectorStatusChanged':
        setField(db, 'inspector', e.payload.inspectorId, 'status', e.payload.status);
        return;
      case 'InspectorConflictDeclared':
        stmt(db, 'INSERT OR REPLACE INTO reg_inspector_conflicts VALUES (?, ?, ?)').run(e.payload.inspectorId, e.payload.uscc, e.payload.reason);
        return;
      case 'InspectorConflictWithdrawn':
        stmt(db, 'DELETE FROM reg_inspector_conflicts WHERE id = ? AND uscc = ?').run(e.payload.inspectorId, e.payload.uscc);
        return;
      default:
        return;
    }
  },
};

/** L5: the expert register. */
export const expertsProjection: Projection = {
  name: 'registers.experts',
  version: 1,
  setup(db) {
    db.exec(ddl('expert', 'organisation TEXT NOT NULL, title TEXT NOT NULL'));
  },
  reset(db) {
    db.exec(dropAll('expert'));
  },
  apply(db, recorded: RecordedEvent) {
    const e = domainEvent<ExpertEvent>(recorded);
    switch (e.type) {
      case 'ExpertRegistered': {
        const p = e.payload;
        stmt(db, 'INSERT OR REPLACE INTO reg_experts VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(p.expertId, p.name, p.department, p.region, p.status, '[]', p.organisation, p.title);
        setExpertise(db, 'expert', p.expertId, p.expertise);
        return;
      }
      case 'ExpertUpdated': {
        const { expertId: id, changes: c } = e.payload;
        for (const col of ['name', 'region', 'organisation', 'title'] as const) {
          const v = c[col];
          if (v !== undefined) setField(db, 'expert', id, col, v);
        }
        if (c.expertise !== undefined) setExpertise(db, 'expert', id, c.expertise);
        return;
      }
      case 'ExpertStatusChanged':
        setField(db, 'expert', e.payload.expertId, 'status', e.payload.status);
        return;
      case 'ExpertConflictDeclared':
        stmt(db, 'INSERT OR REPLACE INTO reg_expert_conflicts VALUES (?, ?, ?)').run(e.payload.expertId, e.payload.uscc, e.payload.reason);
        return;
      case 'ExpertConflictWithdrawn':
        stmt(db, 'DELETE FROM reg_expert_conflicts WHERE id = ? AND uscc = ?').run(e.payload.expertId, e.payload.uscc);
        return;
      default:
        return;
    }
  },
};
