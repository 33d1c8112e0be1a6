/**
 * The demo year's tasks (T1–T5, PL6), each driven through TaskService and DrawService as far
 * as its stage: created → target draw completed → list locked (T4) → dispatched with its task
 * notice (P2). Creation by the department's operator; delegation, locking and dispatch by its
 * principal; the delegate's principal accepts (T1).
 *
 * T5: the circulation office covers the whole fuel register (key item SW-04) from March to
 * October; the market office's prepaid-card (加油卡) task samples the same register in April–June
 * and names the circulation office as an executing unit, so each station it draws is dispatched
 * to the same unit in an overlapping window: one visit, both items (进一次门、查多项事).
 */
import type { Actor } from '../../../domain/actor.js';
import type { TaskDraft } from '../../../domain/tasks/index.js';
import { BUREAU, ENFORCEMENT, OFFICE_CIRCULATION, OFFICE_MARKET } from '../yiyuan.js';
import { at, later, operatorOf, principalOf, type YearContext } from './context.js';
import { drawTargets } from './draws.js';

export type TaskStage = 'created' | 'drawn' | 'dispatched';

export interface TaskSpec {
  readonly key: string;
  readonly draft: TaskDraft;
  /** China-time day of creation (the task number's date); later steps follow on the same day. */
  readonly day: string;
  readonly stage: TaskStage;
  /** T1: delegated to a lower unit, which accepts and draws. */
  readonly delegate?: { readonly to: string; readonly reason: string };
}

export interface TaskOutcome {
  readonly key: string;
  readonly taskId: string;
  readonly stage: TaskStage;
  readonly drawId: string | null;
}

const r = (numerator: number, denominator: number) => ({ numerator, denominator });

export const taskSpecs: readonly TaskSpec[] = [
  {
    key: 'festival-catering',
    day: '2026-02-02',
    stage: 'dispatched',
    draft: {
      departmentId: OFFICE_MARKET,
      name: '2026年春节期间餐饮服务经营者反食品浪费临时抽查',
      items: ['SW-12'],
      directional: true,
      classes: [{ name: '城区餐饮', filter: { industry: ['H62'], region: ['南麻街道', '历山街道'] }, quota: { ratio: r(1, 100) } }],
      window: { from: '2026-02-03', to: '2026-02-28' },
      executingUnits: [OFFICE_MARKET],
      publishList: true,
      adHoc: true,
      adHocReason: '春节消费旺季，群众反映部分餐馆诱导超量点餐，开展临时抽查',
    },
  },
  {
    key: 'fuel-coverage',
    day: '2026-03-02',
    stage: 'dispatched',
    draft: {
      departmentId: OFFICE_CIRCULATION,
      name: '2026年成品油零售经营企业全覆盖检查',
      items: ['SW-04'],
      directional: true,
      classes: [{ name: '成品油零售企业专项库', filter: { specialRegister: 'fuel-retail' }, quota: { ratio: r(1, 1) } }],
      window: { from: '2026-03-01', to: '2026-10-31' },
      executingUnits: [OFFICE_CIRCULATION],
      publishList: true,
    },
  },
  {
    key: 'safety-delegated',
    day: '2026-03-09',
    stage: 'dispatched',
    delegate: { to: ENFORCEMENT, reason: '安全生产现场检查由商务综合行政执法大队具体实施' },
    draft: {
      departmentId: BUREAU,
      name: '2026年大中型商场超市安全生产抽查',
      items: ['SW-13'],
      directional: true,
      classes: [{ name: '大中型商超', filter: { industry: ['F5211', 'F5212'], scale: ['medium', 'large'] }, quota: { ratio: r(1, 5) } }],
      window: { from: '2026-03-16', to: '2026-05-31' },
      executingUnits: [ENFORCEMENT],
      publishList: true,
    },
  },
  {
    key: 'fuel-prepaid-cards',
    day: '2026-04-01',
    stage: 'dispatched',
    draft: {
      departmentId: OFFICE_MARKET,
      name: '2026年加油站单用途预付卡（加油卡）发卡经营情况抽查',
      items: ['SW-01'],
      directional: true,
      classes: [{ name: '加油站', filter: { specialRegister: 'fuel-retail' }, quota: { ratio: r(1, 20) } }],
      window: { from: '2026-04-01', to: '2026-06-30' },
      // The stations are the circulation office's: it checks the cards in the same visit (T5).
      executingUnits: [OFFICE_MARKET, OFFICE_CIRCULATION],
      publishList: true,
    },
  },
  {
    key: 'used-cars',
    day: '2026-05-06',
    stage: 'drawn',
    draft: {
      departmentId: OFFICE_CIRCULATION,
      name: '2026年二手车经营主体备案情况抽查',
      items: ['SW-03'],
      directional: true,
      classes: [{ name: '二手车经营主体专项库', filter: { specialRegister: 'used-cars' }, quota: { ratio: r(1, 20) } }],
      window: { from: '2026-05-11', to: '2026-08-31' },
      executingUnits: [OFFICE_CIRCULATION],
      publishList: true,
    },
  },
  {
    key: 'vehicle-recycling',
    day: '2026-06-01',
    stage: 'created',
    draft: {
      departmentId: OFFICE_CIRCULATION,
      name: '2026年报废机动车回收拆解企业检查',
      items: ['SW-02'],
      directional: true,
      classes: [{ name: '报废机动车回收拆解企业专项库', filter: { specialRegister: 'vehicle-recycling' }, quota: { ratio: r(1, 1) } }],
      window: { from: '2026-07-01', to: '2026-09-30' },
      executingUnits: [OFFICE_CIRCULATION],
      publishList: true,
    },
  },
];

/** Drives one task to its stage; returns its number and draw. */
export async function runTask(ctx: YearContext, spec: TaskSpec): Promise<TaskOutcome> {
  const d = spec.draft.departmentId;
  const created = at(spec.day, '09:00');
  const { taskId } = await ctx.tasks.create(ctx.meta(operatorOf(d), created), spec.draft);
  if (spec.stage === 'created') return { key: spec.key, taskId, stage: spec.stage, drawId: null };
  let drawer: Actor = operatorOf(d);
  if (spec.delegate) {
    await ctx.tasks.delegate(ctx.meta(principalOf(d), later(created, 60)), taskId, spec.delegate.to, spec.delegate.reason);
    await ctx.tasks.accept(ctx.meta(principalOf(spec.delegate.to), later(created, 120)), taskId);
    // T1: the accepted delegate draws (and is the executing unit of every target).
    drawer = operatorOf(spec.delegate.to);
  }
  const item = spec.draft.items[0]!;
  const drawId = await drawTargets(ctx, drawer, taskId, item, spec.draft.classes, later(created, 180));
  if (spec.stage === 'drawn') return { key: spec.key, taskId, stage: spec.stage, drawId };
  await ctx.tasks.lock(ctx.meta(principalOf(d), later(created, 300)), taskId, drawId);
  await ctx.tasks.dispatch(ctx.meta(principalOf(d), later(created, 360)), taskId);
  return { key: spec.key, taskId, stage: spec.stage, drawId };
}
