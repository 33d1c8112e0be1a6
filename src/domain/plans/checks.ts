/**
 * The pure checks of a plan version (PL2, PL3, PL4, L1, L2). Every refusal is a coded error
 * naming the field (a JSON pointer into the request) and the rule.
 */
import { ruleViolation, type SuijiError } from '../errors.js';
import { diffByItemId, invalid, type ItemIdChange, type ItemIdDiff } from '../registers/guard.js';
import type { PlanItem } from './events.js';
import { creditClasses, riskClasses } from './schemas.js';

export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
}

/** An item of the unified list whose inspecting body (检查主体) is the planning department. */
export interface InspectedItem {
  readonly itemId: string;
  readonly name: string;
  readonly category: 'general' | 'key';
  /** L2/A4: the general item's cap from the list (or the configured default); null for a key item or when none is configured. */
  readonly maxRatio: Ratio | null;
}

/**
 * What the decider needs from outside the plan's stream, read by the application service from
 * the read models at one position: the organisation chart and the unified item list.
 */
export interface PlanContext {
  /** The department's parent, with whom it files; null for the root. */
  readonly parentDepartment: string | null;
  readonly items: readonly InspectedItem[];
  /** The item list versions the items were read from. */
  readonly listBasis: readonly { readonly departmentId: string; readonly version: number }[];
}

/** a/b compared with c/d exactly (BigInt: the products may exceed 2^53). */
export const compareRatios = (x: Ratio, y: Ratio): number => {
  const l = BigInt(x.numerator) * BigInt(y.denominator);
  const r = BigInt(y.numerator) * BigInt(x.denominator);
  return l < r ? -1 : l > r ? 1 : 0;
};
const text = (r: Ratio): string => `${r.numerator}/${r.denominator}`;

/** A calendar date that exists (2026-02-30 does not), in `year`. */
function dateInYear(d: string, year: number): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d && d.startsWith(`${year}-`);
}

/** Every ratio of a planned item, with its field path under the item. */
function ratiosOf(item: PlanItem): [string, Ratio][] {
  return [
    ['ratio', item.ratio],
    ...riskClasses.map((k): [string, Ratio] => [`riskRatios/${k}`, item.riskRatios[k]]),
    ...creditClasses.map((k): [string, Ratio] => [`creditRatios/${k}`, item.creditRatios[k]]),
    ['unifiedShare', item.unifiedShare],
  ];
}

/** PL3: a well-formed item — its window in the plan's year, ratios at most 1, regional weights summing to 10000. */
function checkShape(item: PlanItem, at: string, year: number): SuijiError | null {
  for (const end of ['from', 'to'] as const) {
    if (!dateInYear(item.window[end], year)) return invalid(`${at}/window/${end}`, `日期须为 ${year} 年内的有效日期`, `must be a valid date in ${year}`, 'PL3');
  }
  if (item.window.from > item.window.to) return invalid(`${at}/window/to`, '结束日期早于开始日期', 'the window ends before it starts', 'PL3');
  for (const [path, r] of ratiosOf(item)) {
    if (r.numerator > r.denominator) return invalid(`${at}/${path}`, `比例 ${text(r)} 大于 1`, `ratio ${text(r)} is above 1`, 'PL3');
  }
  const regions = new Set<string>();
  let sum = 0;
  for (const [j, w] of item.regionalWeights.entries()) {
    if (regions.has(w.region)) return invalid(`${at}/regionalWeights/${j}/region`, `区域重复：${w.region}`, `duplicate region ${w.region}`, 'PL3');
    regions.add(w.region);
    sum += w.weightBp;
  }
  if (item.regionalWeights.length > 0 && sum !== 10000) {
    return invalid(`${at}/regionalWeights`, `区域权重合计须为 10000（万分比），现为 ${sum}`, `regional weights must sum to 10000 basis points, got ${sum}`, 'PL3');
  }
  return null;
}

/**
 * PL4 (十二): low risk lower, high risk and dishonest (失信) higher — a ratio never falls as the
 * risk level rises (A → D) or as the credit level worsens (A → D → dishonest).
 */
function checkStratification(item: PlanItem, at: string): SuijiError | null {
  const chains: [string, readonly string[], Record<string, Ratio>][] = [
    ['riskRatios', riskClasses, item.riskRatios],
    ['creditRatios', creditClasses, item.creditRatios],
  ];
  for (const [field, order, ratios] of chains) {
    for (let k = 1; k < order.length; k++) {
      const lower = order[k - 1]!;
      const higher = order[k]!;
      if (compareRatios(ratios[higher]!, ratios[lower]!) < 0) {
        return ruleViolation(
          'PL4',
          `${field}.${higher} 的比例 ${text(ratios[higher]!)} 低于 ${field}.${lower} 的 ${text(ratios[lower]!)}：风险越高、信用越差，比例不得越低`,
          `${field}.${higher} ratio ${text(ratios[higher]!)} is below ${field}.${lower} ratio ${text(ratios[lower]!)}: higher risk or worse credit never gets a lower ratio`,
          { field: `${at}/${field}/${higher}` },
        );
      }
    }
  }
  return null;
}

/** L2/A4: no ratio of a general item above its cap; key items have none. */
function checkCap(item: PlanItem, at: string, listed: InspectedItem): SuijiError | null {
  if (listed.category === 'key') return null;
  const cap = listed.maxRatio;
  if (!cap) return ruleViolation('L2', `一般检查事项 ${item.itemId} 缺少抽查比例上限配置`, `general item ${item.itemId} has no configured maximum ratio`, { field: `${at}/itemId` });
  for (const [path, r] of ratiosOf(item)) {
    if (path === 'unifiedShare') continue;
    if (compareRatios(r, cap) > 0) {
      return ruleViolation('L2', `一般检查事项 ${item.itemId} 的比例 ${text(r)} 超过上限 ${text(cap)}`, `general item ${item.itemId}: ratio ${text(r)} exceeds the cap ${text(cap)}`, {
        field: `${at}/${path}`,
        maxRatio: cap,
      });
    }
  }
  return null;
}

/**
 * PL3/PL4/L1/L2 over a whole version. Items must be on the unified list with the department as
 * their inspecting body (L1 检查主体): a department plans only what it inspects.
 */
export function checkPlanItems(items: readonly PlanItem[], year: number, context: PlanContext, departmentId: string): SuijiError | null {
  const listed = new Map(context.items.map((i) => [i.itemId, i]));
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const at = `/items/${i}`;
    if (seen.has(item.itemId)) return invalid(`${at}/itemId`, `事项重复：${item.itemId}`, `duplicate item ${item.itemId}`, 'PL3');
    seen.add(item.itemId);
    const entry = listed.get(item.itemId);
    if (!entry) {
      return ruleViolation('L1', `事项 ${item.itemId} 不在现行抽查事项清单上，或其检查主体不是部门 ${departmentId}`, `item ${item.itemId} is not on the current item list with department ${departmentId} as its inspecting body`, {
        field: `${at}/itemId`,
      });
    }
    const bad = checkShape(item, at, year) ?? checkStratification(item, at) ?? checkCap(item, at, entry);
    if (bad) return bad;
  }
  return null;
}

/** PL2: items the department inspects that the plan does not cover, sorted. */
export const uncoveredItems = (items: readonly { itemId: string }[], context: Pick<PlanContext, 'items'>): string[] => {
  const planned = new Set(items.map((i) => i.itemId));
  return context.items.map((i) => i.itemId).filter((id) => !planned.has(id)).sort();
};

export type PlanItemChange = ItemIdChange<PlanItem>;
export type PlanDiff = ItemIdDiff<PlanItem>;

/** PL1: what an adjustment changed, item by item (keyed by itemId, each part sorted). */
export const diffPlans = (a: readonly PlanItem[], b: readonly PlanItem[]): PlanDiff => diffByItemId(a, b);
