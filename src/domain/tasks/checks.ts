/**
 * The pure checks of a task (T2, T3, PL6, L1/L2, PL3): against the department's inspected items
 * and its plan in force, read by the application service at one position. Every refusal is a
 * coded error naming the field (a JSON pointer into the request) and the rule.
 */
import { ruleViolation, type SuijiError } from '../errors.js';
import { compareRatios, creditClasses, riskClasses, type InspectedItem, type PlanItem, type Ratio } from '../plans/index.js';
import { invalid } from '../registers/guard.js';
import type { FromSchema } from 'json-schema-to-ts';
import type { TaskRecord } from './events.js';
import type { taskDraftSchema } from './schemas.js';

export type TaskDraft = FromSchema<typeof taskDraftSchema>;

/** What the decider needs from outside the task's stream. */
export interface TaskContext {
  /** Items of the current unified list whose inspecting body is the department (L1). */
  readonly items: readonly InspectedItem[];
  /** The department's plan in force for the task's year, or null when none is filed. */
  readonly plan: { readonly version: number; readonly items: readonly PlanItem[] } | null;
  /** Registered departments (executing units must be among them). */
  readonly departments: readonly string[];
}

const text = (r: Ratio): string => `${r.numerator}/${r.denominator}`;

/** A calendar date that exists (2026-02-30 does not). */
const realDate = (d: string): boolean => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
};

/** The highest ratio a plan item states for any class (PL4 stratification may raise some classes). */
export function planMaxRatio(p: PlanItem): Ratio {
  const all = [p.ratio, ...riskClasses.map((k) => p.riskRatios[k]), ...creditClasses.map((k) => p.creditRatios[k])];
  return all.reduce((a, b) => (compareRatios(b, a) > 0 ? b : a));
}

/** T3: attribute criteria that make a filter directional; jurisdiction and status only bound the register. */
const attributeKeys = ['entityType', 'scale', 'industry', 'region', 'riskLevel', 'creditLevel', 'dishonest', 'abnormalOperation', 'keyIndustry', 'minComplaints', 'specialRegister'] as const;

/**
 * T2/PL6/L1/L2/T3 over a task draft. Returns the basis each item was checked against (recorded
 * in TaskCreated), or the first refusal.
 */
export function checkTaskDraft(draft: TaskDraft, context: TaskContext): TaskRecord['basis'] | SuijiError {
  const adHoc = draft.adHoc === true;
  if (adHoc && draft.adHocReason === undefined) return invalid('/adHocReason', '临时抽查须说明理由', 'an ad-hoc task needs a reason', 'PL6');
  if (!adHoc && draft.adHocReason !== undefined) return invalid('/adHocReason', '只有临时抽查才填写临时理由', 'only an ad-hoc task has an ad-hoc reason', 'PL6');
  for (const end of ['from', 'to'] as const) {
    if (!realDate(draft.window[end])) return invalid(`/window/${end}`, '日期无效', 'not a valid date', 'T2');
  }
  if (draft.window.from > draft.window.to) return invalid('/window/to', '结束日期早于开始日期', 'the window ends before it starts', 'T2');
  if (draft.window.from.slice(0, 4) !== draft.window.to.slice(0, 4)) return invalid('/window/to', '任务期限须在同一年度内', 'the window must lie within one year', 'T2');
  if (!adHoc && !context.plan) {
    return ruleViolation('T2', `部门 ${draft.departmentId} ${draft.window.from.slice(0, 4)} 年度没有已备案的抽查计划：请先备案计划，或建立临时抽查任务`, `department ${draft.departmentId} has no filed plan for ${draft.window.from.slice(0, 4)}: file a plan first, or create an ad-hoc task`, { field: '/items' });
  }
  const listed = new Map(context.items.map((i) => [i.itemId, i]));
  const planned = new Map((context.plan?.items ?? []).map((i) => [i.itemId, i]));
  const basis: TaskRecord['basis'][number][] = [];
  for (const [i, itemId] of draft.items.entries()) {
    const entry = listed.get(itemId);
    if (!entry) {
      return ruleViolation('G2', `事项 ${itemId} 不在现行抽查事项清单上，或其检查主体不是部门 ${draft.departmentId}`, `item ${itemId} is not on the current item list with department ${draft.departmentId} as its inspecting body`, { field: `/items/${i}` });
    }
    const plan = planned.get(itemId);
    if (!adHoc && !plan) return ruleViolation('T2', `事项 ${itemId} 不在本部门现行计划（第 ${context.plan?.version} 版）中`, `item ${itemId} is not in the department's plan in force (version ${context.plan?.version})`, { field: `/items/${i}` });
    if (entry.category === 'general' && !entry.maxRatio) {
      return ruleViolation('L2', `一般检查事项 ${itemId} 缺少抽查比例上限配置`, `general item ${itemId} has no configured maximum ratio`, { field: `/items/${i}` });
    }
    basis.push({ itemId, category: entry.category, maxRatio: entry.category === 'general' ? entry.maxRatio : null, planMaxRatio: !adHoc && plan ? planMaxRatio(plan) : null });
  }
  const executing = new Set(context.departments);
  for (const [i, unit] of draft.executingUnits.entries()) {
    if (!executing.has(unit)) return invalid(`/executingUnits/${i}`, `未登记的部门：${unit}`, `not a registered department: ${unit}`, 'T4');
  }
  for (const [i, unit] of (draft.participants ?? []).entries()) {
    if (!executing.has(unit)) return invalid(`/participants/${i}`, `未登记的部门：${unit}`, `not a registered department: ${unit}`, 'T1');
    if (unit === draft.departmentId) return invalid(`/participants/${i}`, '牵头部门不能同时是参与部门', 'the lead department cannot also be a participant', 'T1');
  }
  const names = new Set<string>();
  for (const [i, c] of draft.classes.entries()) {
    if (names.has(c.name)) return invalid(`/classes/${i}/name`, `类别重复：${c.name}`, `duplicate class ${c.name}`, 'T3');
    names.add(c.name);
    if (!draft.directional) {
      const key = attributeKeys.find((k) => c.filter[k] !== undefined);
      if (key) return invalid(`/classes/${i}/filter/${key}`, '非定向抽取从整个名录抽取，不能按属性筛选', 'a non-directional draw takes the whole register: no attribute filter', 'T3');
    }
    if (!('ratio' in c.quota)) continue; // A count is checked against the pool when drawn (L2 at commit).
    const r = c.quota.ratio;
    const at = `/classes/${i}/quota/ratio`;
    if (r.numerator > r.denominator) return invalid(at, `比例 ${text(r)} 大于 1`, `ratio ${text(r)} is above 1`, 'T3');
    for (const b of basis) {
      if (b.maxRatio && compareRatios(r, b.maxRatio) > 0) {
        return ruleViolation('L2', `一般检查事项 ${b.itemId} 的抽查比例 ${text(r)} 超过上限 ${text(b.maxRatio)}`, `general item ${b.itemId}: ratio ${text(r)} exceeds the cap ${text(b.maxRatio)}`, { field: at, maxRatio: b.maxRatio });
      }
      if (b.planMaxRatio && compareRatios(r, b.planMaxRatio) > 0) {
        return ruleViolation('T2', `事项 ${b.itemId} 的抽查比例 ${text(r)} 超过计划规定的 ${text(b.planMaxRatio)}`, `item ${b.itemId}: ratio ${text(r)} exceeds the plan's ${text(b.planMaxRatio)}`, { field: at, planMaxRatio: b.planMaxRatio });
      }
    }
  }
  return basis;
}
