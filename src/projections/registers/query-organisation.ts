import type { Database } from 'better-sqlite3';
import { diffItemLists, type Item, type ItemListDiff } from '../../domain/registers/index.js';
import { stmt } from './sql.js';

export interface ItemListVersionView {
  readonly departmentId: string;
  readonly version: number;
  readonly reason: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly items: readonly Item[];
  readonly changes: { readonly added: readonly string[]; readonly changed: readonly string[]; readonly removed: readonly string[] };
}

interface VersionRow {
  department_id: string;
  version: number;
  reason: string;
  published_at: string;
  published_by: string;
  items: string;
  changes: string;
}

const toView = (r: VersionRow): ItemListVersionView => ({
  departmentId: r.department_id,
  version: r.version,
  reason: r.reason,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  items: JSON.parse(r.items) as Item[],
  changes: JSON.parse(r.changes) as ItemListVersionView['changes'],
});

/** L1/G2: version n of a department's item list, or the current one when `version` is omitted. */
export function itemListVersion(db: Database, departmentId: string, version?: number): ItemListVersionView | undefined {
  const r = (
    version === undefined
      ? db.prepare('SELECT * FROM reg_item_list_versions WHERE department_id = ? ORDER BY version DESC LIMIT 1').get(departmentId)
      : db.prepare('SELECT * FROM reg_item_list_versions WHERE department_id = ? AND version = ?').get(departmentId, version)
  ) as VersionRow | undefined;
  return r ? toView(r) : undefined;
}

/** L1: the versions of a department's list (without items), newest first. */
export function itemListHistory(db: Database, departmentId: string): Omit<ItemListVersionView, 'items'>[] {
  const rows = db.prepare('SELECT * FROM reg_item_list_versions WHERE department_id = ? ORDER BY version DESC').all(departmentId) as VersionRow[];
  return rows.map((r) => {
    const { items: _items, ...rest } = toView(r);
    return rest;
  });
}

/** L1: the difference between two published versions; undefined if either does not exist. */
export function itemListDiff(db: Database, departmentId: string, from: number, to: number): ItemListDiff | undefined {
  const a = itemListVersion(db, departmentId, from);
  const b = itemListVersion(db, departmentId, to);
  return a && b ? diffItemLists(a.items, b.items) : undefined;
}

/** G2: the current items of every department (the latest version of each list). */
export function currentItems(db: Database): (Item & { readonly departmentId: string; readonly listVersion: number })[] {
  const rows = db
    .prepare(
      `SELECT v.* FROM reg_item_list_versions v
       WHERE v.version = (SELECT max(version) FROM reg_item_list_versions w WHERE w.department_id = v.department_id)
       ORDER BY v.department_id`,
    )
    .all() as VersionRow[];
  return rows.flatMap((r) => (JSON.parse(r.items) as Item[]).map((i) => ({ ...i, departmentId: r.department_id, listVersion: r.version })));
}

export interface DepartmentView {
  readonly departmentId: string;
  readonly name: string;
  readonly kind: string;
  readonly parentDepartment: string | null;
  readonly regionCode: string;
  readonly neighbouringRegions: readonly { regionCode: string; name: string }[];
}

/** G3: all departments, by id. */
export function listDepartments(db: Database): DepartmentView[] {
  const rows = db.prepare('SELECT * FROM reg_departments ORDER BY department_id').all() as {
    department_id: string;
    name: string;
    kind: string;
    parent_department: string | null;
    region_code: string;
    neighbouring_regions: string;
  }[];
  return rows.map((r) => ({
    departmentId: r.department_id,
    name: r.name,
    kind: r.kind,
    parentDepartment: r.parent_department,
    regionCode: r.region_code,
    neighbouringRegions: JSON.parse(r.neighbouring_regions) as DepartmentView['neighbouringRegions'],
  }));
}

/** G3: users, optionally of one department, by id. */
export function listUsers(db: Database, department?: string): { userId: string; name: string; role: string; department: string; active: boolean }[] {
  const rows = (
    department === undefined
      ? db.prepare('SELECT * FROM reg_users ORDER BY user_id').all()
      : db.prepare('SELECT * FROM reg_users WHERE department = ? ORDER BY user_id').all(department)
  ) as { user_id: string; name: string; role: string; department: string; active: number }[];
  return rows.map((r) => ({ userId: r.user_id, name: r.name, role: r.role, department: r.department, active: r.active === 1 }));
}

/** G3: id → parent of every registered department, for `departmentHierarchyProblem`. */
export function departmentParents(db: Database): Map<string, string | null> {
  const rows = stmt(db, 'SELECT department_id, parent_department FROM reg_departments').all() as { department_id: string; parent_department: string | null }[];
  return new Map(rows.map((r) => [r.department_id, r.parent_department]));
}
