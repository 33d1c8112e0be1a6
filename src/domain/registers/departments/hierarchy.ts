import type { SuijiError } from '../../errors.js';
import { invalid } from '../guard.js';

/** The organisation chart as known from the departments read model: id → parent id (null for a root). */
export type DepartmentParents = ReadonlyMap<string, string | null>;

/**
 * G3: the chart must stay a tree — a department's parent must be a registered department, and
 * following parents upwards must never come back to the department itself. The department
 * decider sees one stream only, so the caller (HTTP route, CLI) checks this against the
 * departments read model before running RegisterDepartment / UpdateDepartment; a stale read
 * model can only miss a department registered in the same instant, never invent one.
 */
export function departmentHierarchyProblem(
  parents: DepartmentParents,
  departmentId: string,
  parent: string | null | undefined,
  field = '/parentDepartment',
): SuijiError | null {
  if (parent === null || parent === undefined) return null;
  if (parent === departmentId) return invalid(field, '上级部门不能是自身', 'a department cannot be its own parent', 'G3');
  if (!parents.has(parent)) return invalid(field, `上级部门不存在：${parent}`, `the parent department does not exist: ${parent}`, 'G3');
  const seen = new Set<string>([parent]);
  for (let up = parents.get(parent) ?? null; up !== null; up = parents.get(up) ?? null) {
    if (up === departmentId) {
      return invalid(field, `上级部门 ${parent} 隶属于本部门，会形成循环`, `the parent ${parent} is below this department: the chart would have a cycle`, 'G3');
    }
    // A chart that already has a cycle (should not happen) must not hang the check.
    if (seen.has(up)) break;
    seen.add(up);
  }
  return null;
}
