import type { Database } from 'better-sqlite3';
import {
  DEFAULT_PERSON_STATUS,
  parseExpertFilter,
  parseInspectorFilter,
  type ExpertFilter,
  type InspectorFilter,
  type InspectorRecord,
} from '../../domain/registers/index.js';
import { SuijiError } from '../../domain/errors.js';
import { placeholders } from './sql.js';

type Kind = 'inspector' | 'expert';

/** SQL twin of `matchesInspectorFilter` / `matchesPersonFilter` (domain/registers/inspectors/filter.ts). */
function personWhere(kind: Kind, f: InspectorFilter): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  const list = (col: string, values: readonly string[] | undefined): void => {
    if (values === undefined) return;
    parts.push(`${col} IN (${placeholders(values.length)})`);
    params.push(...values);
  };
  list('p.status', f.status ?? DEFAULT_PERSON_STATUS);
  list('p.department', f.department);
  list('p.region', f.region);
  if (f.expertise) {
    parts.push(`EXISTS (SELECT 1 FROM reg_${kind}_expertise x WHERE x.id = p.id AND x.expertise IN (${placeholders(f.expertise.length)}))`);
    params.push(...f.expertise);
  }
  if (f.notConflictedWith) {
    parts.push(`NOT EXISTS (SELECT 1 FROM reg_${kind}_conflicts c WHERE c.id = p.id AND c.uscc IN (${placeholders(f.notConflictedWith.length)}))`);
    params.push(...f.notConflictedWith);
  }
  if (f.qualifiedOn !== undefined) {
    // T9: ISO dates compare correctly as text; both ends inclusive.
    parts.push('p.valid_from <= ? AND ? <= p.valid_to');
    params.push(f.qualifiedOn, f.qualifiedOn);
  }
  return { sql: parts.join(' AND '), params };
}

const orThrow = <T>(x: T | SuijiError): T => {
  if (x instanceof SuijiError) throw x;
  return x;
};

interface PersonRow {
  id: string;
  name: string;
  department: string;
  region: string;
  status: string;
  expertise: string;
}

export interface InspectorView extends InspectorRecord {
  readonly conflicts: readonly string[];
}

function conflictsOf(db: Database, kind: Kind, id: string): string[] {
  return db.prepare(`SELECT uscc FROM reg_${kind}_conflicts WHERE id = ? ORDER BY uscc`).pluck().all(id) as string[];
}

/** L3/T9: inspectors matching the filter (validated, unknown keys refused), by id. */
export function queryInspectors(db: Database, filter: unknown): InspectorView[] {
  const w = personWhere('inspector', orThrow(parseInspectorFilter(filter)));
  const rows = db.prepare(`SELECT p.* FROM reg_inspectors p WHERE ${w.sql} ORDER BY p.id`).all(...w.params) as (PersonRow & {
    qualification_number: string;
    valid_from: string;
    valid_to: string;
  })[];
  return rows.map((r) => ({
    inspectorId: r.id,
    name: r.name,
    department: r.department,
    region: r.region,
    status: r.status as InspectorRecord['status'],
    expertise: JSON.parse(r.expertise) as string[],
    qualification: { number: r.qualification_number, validFrom: r.valid_from, validTo: r.valid_to },
    conflicts: conflictsOf(db, 'inspector', r.id),
  }));
}

/** T7/T9/T10: the inspector ids a matching draw may pick from, sorted. Pass `qualifiedOn` for a draw. */
export function inspectorPool(db: Database, filter: unknown): string[] {
  const w = personWhere('inspector', orThrow(parseInspectorFilter(filter)));
  return db.prepare(`SELECT p.id FROM reg_inspectors p WHERE ${w.sql} ORDER BY p.id`).pluck().all(...w.params) as string[];
}

/** L5: experts matching the filter, by id. */
export function queryExperts(db: Database, filter: unknown): Record<string, unknown>[] {
  const w = personWhere('expert', orThrow(parseExpertFilter(filter)) as ExpertFilter);
  const rows = db.prepare(`SELECT p.* FROM reg_experts p WHERE ${w.sql} ORDER BY p.id`).all(...w.params) as (PersonRow & { organisation: string; title: string })[];
  return rows.map((r) => ({
    expertId: r.id,
    name: r.name,
    department: r.department,
    region: r.region,
    status: r.status,
    expertise: JSON.parse(r.expertise) as string[],
    organisation: r.organisation,
    title: r.title,
    conflicts: conflictsOf(db, 'expert', r.id),
  }));
}

/** T7/L5: expert ids a draw may pick from, sorted. */
export function expertPool(db: Database, filter: unknown): string[] {
  const w = personWhere('expert', orThrow(parseExpertFilter(filter)));
  return db.prepare(`SELECT p.id FROM reg_experts p WHERE ${w.sql} ORDER BY p.id`).pluck().all(...w.params) as string[];
}
