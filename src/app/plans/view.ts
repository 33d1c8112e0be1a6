/**
 * What GET shows of plans (PL1, PL2): one department's plan for a year with the items it no
 * longer covers after the list changed, and the bureau-wide coverage of the unified list.
 */
import type { Database } from 'better-sqlite3';
import { diffPlans, type PlanContext, type PlanItem } from '../../domain/plans/index.js';
import { notFound } from '../../domain/registers/index.js';
import { inForce, planVersions, planVersionsOfYear, type PlanVersionView } from '../../projections/plans/index.js';
import { currentItems, departmentParents } from '../../projections/registers/index.js';

export interface PlanView {
  readonly departmentId: string;
  readonly year: number;
  /** The version in force (latest filed or acknowledged, never a returned one); null before the first filing. */
  readonly inForceVersion: number | null;
  /** The open draft, if any. */
  readonly draftVersion: number | null;
  /** PL2: items the department inspects on the current list that the version in force does not cover. */
  readonly uncoveredItems: string[];
  /** Items of the version in force that are no longer on the list with this department as inspecting body. */
  readonly itemsNoLongerListed: string[];
  readonly versions: Omit<PlanVersionView, 'items'>[];
}

export function planView(db: Database, departmentId: string, year: number, context: PlanContext): PlanView | undefined {
  const versions = planVersions(db, departmentId, year);
  if (versions.length === 0) return undefined;
  const force = inForce(versions);
  const draft = versions.find((v) => v.status === 'draft');
  const listed = new Set(context.items.map((i) => i.itemId));
  const planned = new Set((force?.items ?? []).map((i) => i.itemId));
  return {
    departmentId,
    year,
    inForceVersion: force?.version ?? null,
    draftVersion: draft?.version ?? null,
    uncoveredItems: [...listed].filter((id) => !planned.has(id)).sort(),
    itemsNoLongerListed: [...planned].filter((id) => !listed.has(id)).sort(),
    versions: versions.map(({ items: _items, ...rest }) => rest),
  };
}

export interface CoverageRow {
  readonly itemId: string;
  readonly name: string;
  /** The department whose list carries the item. */
  readonly listDepartment: string;
  readonly inspectingBody: string;
  /** false when the inspecting body is not a registered department: nobody can cover the item. */
  readonly inspectingBodyRegistered: boolean;
  /** The in-force plan version of the inspecting body that covers the item, or null. */
  readonly coveredBy: { readonly departmentId: string; readonly version: number } | null;
}

/** PL2 over the whole unified list, across the bureau's units: each current item and the plan that covers it. */
export function coverage(db: Database, year: number): { year: number; items: CoverageRow[]; uncovered: string[] } {
  const parents = departmentParents(db);
  const byDept = new Map<string, PlanVersionView[]>();
  for (const v of planVersionsOfYear(db, year)) byDept.set(v.departmentId, [...(byDept.get(v.departmentId) ?? []), v]);
  const items = currentItems(db).map((i): CoverageRow => {
    const force = inForce(byDept.get(i.inspectingBody) ?? []);
    const covered = force?.items.some((p) => p.itemId === i.itemId) === true;
    return {
      itemId: i.itemId,
      name: i.name,
      listDepartment: i.departmentId,
      inspectingBody: i.inspectingBody,
      inspectingBodyRegistered: parents.has(i.inspectingBody),
      coveredBy: covered && force ? { departmentId: force.departmentId, version: force.version } : null,
    };
  });
  return { year, items, uncovered: [...new Set(items.filter((i) => i.coveredBy === null).map((i) => i.itemId))].sort() };
}

/** GET …/plans/:year/diff?from=&to= and `suiji plan diff`: `from` 0 is the empty plan before version 1. */
export const planDiffQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: { type: 'string', pattern: '^(0|[1-9][0-9]{0,5})$' }, to: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } },
} as const;

/** PL1: what an adjustment changed between two versions of one plan; an unknown version is NOT_FOUND. */
export function planDiff(db: Database, departmentId: string, year: number, from: number, to: number) {
  const versions = planVersions(db, departmentId, year);
  const find = (n: number): readonly PlanItem[] => {
    if (n === 0) return [];
    const v = versions.find((x) => x.version === n);
    if (!v) throw notFound('年度抽查工作计划版本 plan version', `${departmentId}/${year}/${n}`);
    return v.items;
  };
  const d = diffPlans(find(from), find(to));
  return { departmentId, year, from, to, added: [...d.added], removed: [...d.removed], changed: d.changed.map((c) => ({ ...c, fields: [...c.fields] })) };
}
