/**
 * The county year of bench/county-year.ts as plain data: the demo county (沂源县, its six
 * departments, inspectors and N targets) plus a 40-item unified list, each department's 2026
 * plan, and the year's tasks. Pure and deterministic: same knobs, same world.
 */
import type { PlanDraft, PlanItem } from '../src/domain/plans/index.js';
import type { RegisterCommand, TargetRecord } from '../src/domain/registers/index.js';
import type { TaskDraft } from '../src/domain/tasks/index.js';
import { generateDemo, yiyuan } from '../src/cli/demo/index.js';
import { witnessCommitment } from '../src/verify/index.js';

export interface CountyYearKnobs {
  /** Targets in the register (issue 9: 60,000). */
  readonly targets: number;
  /** Tasks of the year (issue 9: 200). */
  readonly tasks: number;
  /** Items of the unified list, over the six departments (issue 9: 40). */
  readonly items: number;
  /** Share of the key-industry pool a key-item task draws (key items have no L2 cap, nor PL5 count). */
  readonly keyShare: number;
  /**
   * Targets of a unit's jurisdiction per inspector the bench adds to that unit (the demo's 40
   * inspectors, most in the enforcement unit, cannot serve a 60,000-target year's visits). 150:
   * a year's visits are ~38 % of the targets, so an inspector sits in ~110 two-person visits a
   * year, about one every two working days.
   */
  readonly targetsPerInspector: number;
}

export const issueKnobs: CountyYearKnobs = { targets: 60_000, tasks: 200, items: 40, keyShare: 0.2, targetsPerInspector: 150 };

/** `SUIJI_BENCH_SCALE=0.1` scales targets and tasks (at least 300 targets, 5 tasks); items stay 40. */
export function knobsFromEnv(env: NodeJS.ProcessEnv = process.env): CountyYearKnobs {
  const scale = Number(env.SUIJI_BENCH_SCALE ?? '1');
  const s = Number.isFinite(scale) && scale > 0 ? scale : 1;
  return { ...issueKnobs, targets: Math.max(300, Math.round(issueKnobs.targets * s)), tasks: Math.max(5, Math.round(issueKnobs.tasks * s)) };
}

export const SEED = 370323;
/** Every command of the bench runs at this instant (a fake clock: the bench measures the system, not a calendar). */
export const NOW = '2026-01-06T02:00:00.000Z';
export const REVEAL_DEADLINE = '2026-01-06T03:00:00.000Z';
export const YEAR = 2026;

/** Fixed witness secrets: every draw is a real commit–reveal, without a ceremony's waiting. */
export const SECRETS = ['bench-witness-one', 'bench-witness-two'] as const;
export const entropy = { witnesses: { members: SECRETS.map((s, i) => ({ id: `w${i + 1}`, commitment: witnessCommitment(s) })), minReveals: 2, onMissing: 'abandon' as const } };

export const departments = yiyuan.departments.map((d) => d.departmentId);
export const BUREAU = yiyuan.BUREAU;
export const principalOf = (departmentId: string) => ({ userId: `${departmentId}-pr`, role: 'principal', department: departmentId }) as const;
export const operatorOf = (departmentId: string) => ({ userId: `${departmentId}-op`, role: 'operator', department: departmentId }) as const;

/** Industries whose targets key items inspect (重点行业: fuel retail, vehicle recycling). */
const keyIndustries = yiyuan.industries.filter((i) => i.key).map((i) => i.code);
const towns = yiyuan.towns.map(([t]) => t);

export interface WorldItem {
  readonly itemId: string;
  readonly category: 'general' | 'key';
  readonly inspectingBody: string;
}

/** Item i belongs to department i mod 6; the first six are key items (one per department), the rest general under a 5 % cap. */
export function worldItems(n: number): WorldItem[] {
  return Array.from({ length: n }, (_, i) => ({
    itemId: `BX-${String(i + 1).padStart(2, '0')}`,
    category: i < departments.length ? 'key' : 'general',
    inspectingBody: departments[i % departments.length]!,
  }));
}

/**
 * The bench's inspectors: per department, one per `targetsPerInspector` active targets of its
 * jurisdiction (at least 4, so every unit can form groups), active and qualified through 2028.
 * Ids `BI-<department>-<n>` never collide with the demo's `YY<n>`.
 */
type InspectorData = Extract<RegisterCommand, { type: 'RegisterInspector' }>['data'];
export function benchInspectors(k: CountyYearKnobs, targets: readonly TargetRecord[]): InspectorData[] {
  return departments.flatMap((d) => {
    const own = targets.filter((t) => t.status === 'active' && t.jurisdiction === d).length;
    const n = own === 0 ? 0 : Math.max(4, Math.ceil(own / k.targetsPerInspector));
    return Array.from({ length: n }, (_, i) => {
      const inspectorId = `BI-${d}-${String(i + 1).padStart(3, '0')}`;
      const inspector: InspectorData = {
        inspectorId,
        name: `检查员${i + 1}`,
        department: d,
        qualification: { number: `鲁执-${inspectorId}`, validFrom: '2025-01-01', validTo: '2028-12-31' },
        expertise: ['商贸流通'],
        region: towns[i % towns.length]!,
        status: 'active',
      };
      return inspector;
    });
  });
}

/**
 * The register commands: the demo county with `targets` targets (it registers the bureau's
 * operator and principal, who file the bureau's plan and tasks), the bench's inspectors, and the
 * 40-item list.
 */
export function registerCommands(k: CountyYearKnobs): { commands: RegisterCommand[]; targets: TargetRecord[]; inspectors: number } {
  const demo = generateDemo({ seed: SEED, targets: k.targets, now: NOW });
  const admin = { userId: 'yy-admin', role: 'admin', department: BUREAU } as const;
  const meta = (n: string) => ({ actor: admin, now: NOW, commandId: `county-year-${n}` });
  const targets = demo.commands.flatMap((c) => (c.type === 'RegisterTarget' ? [c.data] : []));
  const inspectors = benchInspectors(k, targets);
  const extra: RegisterCommand[] = [
    {
      type: 'PublishItemList',
      data: {
        departmentId: BUREAU,
        reason: '2026年度统一抽查事项清单（基准测试）',
        items: worldItems(k.items).map((i) => ({
          itemId: i.itemId,
          name: `抽查事项 ${i.itemId}`,
          targetType: i.category === 'key' ? '成品油零售、报废机动车回收拆解企业' : '商贸流通经营者',
          category: i.category,
          method: ['onSite'],
          inspectingBody: i.inspectingBody,
          legalBasis: '《商务领域“双随机、一公开”监管工作指引》',
          ...(i.category === 'general' && { maxRatioBp: 500 }),
        })),
      },
      metadata: meta('items'),
    },
    ...inspectors.map((data, i): RegisterCommand => ({ type: 'RegisterInspector', data, metadata: meta(`inspector-${i + 1}`) })),
  ];
  return { commands: [...demo.commands, ...extra], targets, inspectors: demo.counts.inspectors + inspectors.length };
}

const r = (numerator: number, denominator: number) => ({ numerator, denominator });

/** A plan item as tests/api/plans/fixtures.ts files it: stratified (PL4), under the 5 % cap (L2), weights summing to 10000 (PL3). */
const planItem = (itemId: string): PlanItem => ({
  itemId,
  scope: { region: ['南麻街道', '历山街道'] },
  window: { from: '2026-01-01', to: '2026-12-31' },
  estimatedCount: 100,
  ratio: r(3, 100),
  riskRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(5, 100) },
  creditRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(4, 100), dishonest: r(5, 100) },
  unifiedShare: r(1, 5),
  regionalWeights: [
    { region: '南麻街道', weightBp: 6000 },
    { region: '历山街道', weightBp: 4000 },
  ],
});

/** Each department's 2026 plan: every item it is the inspecting body of. */
export function planDrafts(k: CountyYearKnobs): PlanDraft[] {
  const items = worldItems(k.items);
  return departments.map((d) => ({ departmentId: d, year: YEAR, reason: '2026年度抽查计划', items: items.filter((i) => i.inspectingBody === d).map((i) => planItem(i.itemId)) }));
}

const lastDay = (month: number): string => new Date(Date.UTC(YEAR, month, 0)).toISOString().slice(0, 10);
const mm = (month: number): string => String(month).padStart(2, '0');

/** The item a task's target draw takes (the first of its items). */
export interface PlannedTask {
  readonly draft: TaskDraft;
  readonly drawItem: string;
}

/**
 * Task t: department t mod 6; a four-month window starting in month 1 + (t mod 9), so windows
 * overlap widely; every department is an executing unit, so a target goes to its jurisdiction
 * (T4) whichever department's task drew it — that is what makes tasks of different departments
 * merge into one visit (T5). Every third task takes its department's key item over the
 * key-industry pool (a share of it, so key targets are drawn again and again, as they are in a
 * real year); the others a general item at 2 % of two towns.
 */
export function taskPlans(k: CountyYearKnobs, targets: readonly TargetRecord[]): PlannedTask[] {
  const items = worldItems(k.items);
  const keyPool = targets.filter((t) => t.status === 'active' && keyIndustries.includes(t.industry)).length;
  const keyCount = Math.max(1, Math.floor(keyPool * k.keyShare));
  return Array.from({ length: k.tasks }, (_, t): PlannedTask => {
    const d = departments[t % departments.length]!;
    const own = items.filter((i) => i.inspectingBody === d);
    const key = own.find((i) => i.category === 'key')!;
    const general = own.filter((i) => i.category === 'general');
    const g = general[Math.floor(t / departments.length) % general.length] ?? key;
    const start = 1 + (t % 9);
    const isKey = t % 3 === 0 || g === key;
    const base = {
      departmentId: d,
      directional: true,
      window: { from: `${YEAR}-${mm(start)}-01`, to: lastDay(start + 3) },
      executingUnits: [...departments],
      publishList: true,
    };
    if (isKey) {
      return {
        drawItem: key.itemId,
        draft: { ...base, name: `2026年重点行业专项抽查（${t + 1}）`, items: [key.itemId, ...(g === key ? [] : [g.itemId])], classes: [{ name: '重点行业', filter: { industry: [...keyIndustries] }, quota: { count: keyCount } }] },
      };
    }
    const region = [towns[t % towns.length]!, towns[(t * 5 + 3) % towns.length]!].filter((x, i, a) => a.indexOf(x) === i);
    return {
      drawItem: g.itemId,
      draft: { ...base, name: `2026年${region.join('、')}双随机抽查（${t + 1}）`, items: [g.itemId], classes: [{ name: '辖区', filter: { region }, quota: { ratio: r(1, 50) } }] },
    };
  });
}
