/**
 * The demo year's annual plans (PL1–PL4): every department that is the inspecting body of an
 * item on the current list drafts its 2026 plan (operator), files it (principal; the root
 * bureau files with nobody), and the parent's principal acknowledges; the market office then
 * files an adjustment (version 2), acknowledged too, so the diff exists (PL3).
 */
import type { PlanItem } from '../../../domain/plans/index.js';
import type { TargetFilter } from '../../../domain/registers/index.js';
import { poolOf } from '../../../projections/registers/index.js';
import { BUREAU, departments, itemListV2, OFFICE_MARKET } from '../yiyuan.js';
import { at, operatorOf, principalOf, type YearContext } from './context.js';

export const YEAR = 2026;

const r = (numerator: number, denominator: number) => ({ numerator, denominator });

/** Each item's scope: the kind of target it names (the list's targetType), as a pool filter. */
const scopes: Readonly<Record<string, TargetFilter>> = {
  'SW-01': { entityType: ['enterprise'], industry: ['F5211', 'F5212', 'F5265', 'H62', 'O80'] },
  'SW-02': { specialRegister: 'vehicle-recycling' },
  'SW-03': { specialRegister: 'used-cars' },
  'SW-04': { specialRegister: 'fuel-retail' },
  'SW-05': { industry: ['O8010'] },
  'SW-06': { industry: ['L7292'] },
  'SW-07': { industry: ['F5191'] },
  'SW-08': { industry: ['F5261'] },
  'SW-09': { industry: ['O8030'] },
  'SW-10': { industry: ['O8040'] },
  'SW-11': { entityType: ['enterprise'], industry: ['F52', 'H62'] },
  'SW-12': { industry: ['H62'] },
  'SW-13': { industry: ['F5211', 'F5212'], scale: ['medium', 'large'] },
};

/**
 * A planned item. General items: half the list's cap, rising to the cap for risk D, credit D
 * and 失信 (PL4, L2). Key items (no cap): a fifth, rising to every target for risk D and 失信, so
 * a task may cover a key register whole (the fuel register's standard asks for yearly coverage).
 */
function planItem(ctx: YearContext, item: (typeof itemListV2)[number]): PlanItem {
  const scope = scopes[item.itemId] ?? {};
  // Caps live in the list (L2/A4): every general demo item states one.
  if (item.category === 'general' && item.maxRatioBp === undefined) throw new Error(`demo list: general item ${item.itemId} states no cap`);
  const capBp = item.category === 'general' ? item.maxRatioBp! : 10_000;
  const low = item.category === 'general' ? r(Math.floor(capBp / 2), 10_000) : r(1, 5);
  const mid = item.category === 'general' ? r(Math.floor((capBp * 3) / 4), 10_000) : r(1, 2);
  const high = r(capBp, 10_000);
  const pool = poolOf(ctx.db, scope).length;
  return {
    itemId: item.itemId,
    scope,
    window: item.category === 'key' ? { from: '2026-02-01', to: '2026-10-31' } : { from: '2026-03-01', to: '2026-11-30' },
    estimatedCount: Math.ceil((pool * low.numerator) / low.denominator),
    ratio: low,
    riskRatios: { A: low, B: low, C: mid, D: high },
    creditRatios: { A: low, B: low, C: mid, D: high, dishonest: high },
    unifiedShare: r(1, 10),
    regionalWeights: [],
  };
}

/** Departments that inspect items on the current list, parents before children (the root first). */
export const inspectingDepartments = (): string[] => departments.map((d) => d.departmentId).filter((d) => itemListV2.some((i) => i.inspectingBody === d));

const parentOf = (d: string): string | null => departments.find((x) => x.departmentId === d)?.parentDepartment ?? null;

export interface PlansSummary {
  readonly filed: number;
  readonly adjustments: number;
}

export async function filePlans(ctx: YearContext): Promise<PlansSummary> {
  await ctx.projections.catchUp();
  const planners = inspectingDepartments();
  let filed = 0;
  for (const [k, d] of planners.entries()) {
    const day = `2026-01-${String(12 + k).padStart(2, '0')}`;
    const items = itemListV2.filter((i) => i.inspectingBody === d).map((i) => planItem(ctx, i));
    await ctx.plans.saveDraft(ctx.meta(operatorOf(d), at(day, '09:30')), { departmentId: d, year: YEAR, items, reason: `${YEAR}年度双随机抽查工作计划` });
    await ctx.plans.file(ctx.meta(principalOf(d), at(day, '15:00')), { departmentId: d, year: YEAR, version: 1 });
    filed++;
    const parent = parentOf(d);
    if (parent !== null) await ctx.plans.acknowledge(ctx.meta(principalOf(parent), at('2026-01-20', '10:00')), { departmentId: d, year: YEAR, version: 1 });
  }
  if (!planners.includes(OFFICE_MARKET) || parentOf(OFFICE_MARKET) !== BUREAU) return { filed, adjustments: 0 };
  return { filed, adjustments: await adjustMarketPlan(ctx) };
}

/** PL3: the market office raises its catering (反食品浪费) share after a city deployment: version 2. */
async function adjustMarketPlan(ctx: YearContext): Promise<number> {
  const d = OFFICE_MARKET;
  const items = itemListV2.filter((i) => i.inspectingBody === d).map((i) => {
    const p = planItem(ctx, i);
    return i.itemId === 'SW-12' ? { ...p, window: { from: '2026-04-01', to: '2026-10-31' }, estimatedCount: p.estimatedCount * 2, ratio: p.riskRatios.C, unifiedShare: r(3, 10) } : p;
  });
  await ctx.plans.saveDraft(ctx.meta(operatorOf(d), at('2026-03-20', '09:30')), { departmentId: d, year: YEAR, items, reason: '根据市商务局反食品浪费专项工作部署，调整餐饮服务经营者检查的时间和比例' });
  await ctx.plans.file(ctx.meta(principalOf(d), at('2026-03-20', '16:00')), { departmentId: d, year: YEAR, version: 2 });
  await ctx.plans.acknowledge(ctx.meta(principalOf(BUREAU), at('2026-03-23', '10:00')), { departmentId: d, year: YEAR, version: 2 });
  return 1;
}
