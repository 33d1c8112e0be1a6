import type { Database } from 'better-sqlite3';
import {
  DEFAULT_PERSON_STATUS,
  parseExpertFilter,
  parseInspectorFilter,
  type ExpertFilter,
  type InspectorFilter,
  type InspectorRecord,
} from '../../domain/registers/index.js';
import type { FromSchema } from 'json-schema-to-ts';
import { compileValidator, idSchema } from '../../domain/registers/index.js';
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

/** Paging of the people registers, as for targets (query-targets.ts): `limit` rows in id order after the cursor `after`. */
export const personPageSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, after: idSchema },
} as const;
export type PersonPage = FromSchema<typeof personPageSchema>;
const parsePersonPage = compileValidator<PersonPage>(personPageSchema, 'page');

/** One page of a register, shaped like GET /targets: `total` over all pages, `nextCursor` null on the last. */
export interface PageOf<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly nextCursor: string | null;
}

/** Rows of `kind` matching `w`: all of them, or one page (limit + 1 rows tell whether another page follows). */
function selectPeople<R extends PersonRow>(db: Database, kind: Kind, w: { sql: string; params: string[] }, page?: PersonPage): { rows: R[]; total: number; nextCursor: string | null } {
  if (!page) {
    const rows = db.prepare(`SELECT p.* FROM reg_${kind}s p WHERE ${w.sql} ORDER BY p.id`).all(...w.params) as R[];
    return { rows, total: rows.length, nextCursor: null };
  }
  const limit = page.limit ?? 100;
  const total = db.prepare(`SELECT count(*) FROM reg_${kind}s p WHERE ${w.sql}`).pluck().get(...w.params) as number;
  const after = page.after !== undefined ? [page.after] : [];
  const rows = db.prepare(`SELECT p.* FROM reg_${kind}s p WHERE ${w.sql}${after.length ? ' AND p.id > ?' : ''} ORDER BY p.id LIMIT ?`).all(...w.params, ...after, limit + 1) as R[];
  const shown = rows.slice(0, limit);
  return { rows: shown, total, nextCursor: rows.length > limit ? shown[shown.length - 1]!.id : null };
}

type InspectorRow = PersonRow & { qualification_number: string; valid_from: string; valid_to: string };

/** L3/T9: inspectors matching the filter (validated, unknown keys refused), by id. */
export function queryInspectors(db: Database, filter: unknown): InspectorView[] {
  return [...inspectorsOf(db, filter).items];
}

/** L3: one page of the inspectors matching the filter, by id (GET /inspectors). */
export function queryInspectorPage(db: Database, filter: unknown, page: unknown = {}): PageOf<InspectorView> {
  return inspectorsOf(db, filter, orThrow(parsePersonPage(page)));
}

function inspectorsOf(db: Database, filter: unknown, page?: PersonPage): PageOf<InspectorView> {
  const w = personWhere('inspector', orThrow(parseInspectorFilter(filter)));
  const { rows, total, nextCursor } = selectPeople<InspectorRow>(db, 'inspector', w, page);
  return { items: rows.map((r) => inspectorView(db, r)), total, nextCursor };
}

function inspectorView(db: Database, r: InspectorRow): InspectorView {
  return {
    inspectorId: r.id,
    name: r.name,
    department: r.department,
    region: r.region,
    status: r.status as InspectorRecord['status'],
    expertise: JSON.parse(r.expertise) as string[],
    qualification: { number: r.qualification_number, validFrom: r.valid_from, validTo: r.valid_to },
    conflicts: conflictsOf(db, 'inspector', r.id),
  };
}

/** T7/T9/T10: the inspector ids a matching draw may pick from, sorted. Pass `qualifiedOn` for a draw. */
export function inspectorPool(db: Database, filter: unknown): string[] {
  const w = personWhere('inspector', orThrow(parseInspectorFilter(filter)));
  return db.prepare(`SELECT p.id FROM reg_inspectors p WHERE ${w.sql} ORDER BY p.id`).pluck().all(...w.params) as string[];
}

/** L5: experts matching the filter, by id. */
export function queryExperts(db: Database, filter: unknown): Record<string, unknown>[] {
  return [...expertsOf(db, filter).items];
}

/** L5: one page of the experts matching the filter, by id (GET /experts). */
export function queryExpertPage(db: Database, filter: unknown, page: unknown = {}): PageOf<Record<string, unknown>> {
  return expertsOf(db, filter, orThrow(parsePersonPage(page)));
}

function expertsOf(db: Database, filter: unknown, page?: PersonPage): PageOf<Record<string, unknown>> {
  const w = personWhere('expert', orThrow(parseExpertFilter(filter)) as ExpertFilter);
  const { rows, total, nextCursor } = selectPeople<PersonRow & { organisation: string; title: string }>(db, 'expert', w, page);
  const items = rows.map((r) => ({
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
  return { items, total, nextCursor };
}

/** T7/L5: expert ids a draw may pick from, sorted. */
export function expertPool(db: Database, filter: unknown): string[] {
  const w = personWhere('expert', orThrow(parseExpertFilter(filter)));
  return db.prepare(`SELECT p.id FROM reg_experts p WHERE ${w.sql} ORDER BY p.id`).pluck().all(...w.params) as string[];
}

/** Of `ids`, those that are active inspectors in the register now (G3/E1: a person who left the post acts no more). */
export function activeInspectors(db: Database, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = db.prepare(`SELECT id FROM reg_inspectors WHERE status = 'active' AND id IN (${placeholders(ids.length)})`).pluck().all(...ids) as string[];
  return new Set(rows);
}
