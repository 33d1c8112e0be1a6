/**
 * A1: the figures, in report order, with their Chinese and English names. The exact definition of
 * each (numerator, denominator, events, dates) is in docs/public.md "Assessment statistics".
 */
export const figureGroups = {
  register: { zh: '名录库建设', en: 'Registers' },
  plan: { zh: '计划执行', en: 'Plan execution' },
  draws: { zh: '摇号', en: 'Draws' },
  matching: { zh: '检查人员匹配', en: 'Inspector matching' },
  results: { zh: '结果录入与公示', en: 'Result entry and publication' },
  objections: { zh: '异议处理', en: 'Objections' },
  followUps: { zh: '后续处置', en: 'Follow-ups' },
  nonRandom: { zh: '非随机检查（单列，不计入随机抽查）', en: 'Non-random inspections (apart, never in the random figures)' },
} as const;
export type FigureGroup = keyof typeof figureGroups;

interface Definition { readonly group: FigureGroup; readonly zh: string; readonly en: string; readonly ratio: boolean }
const d = (group: FigureGroup, zh: string, en: string, ratio = false): Definition => ({ group, zh, en, ratio });

export const figureDefinitions = {
  'register.targets': d('register', '检查对象名录库条目数（期末）', 'Target register entries (period end)'),
  'register.inspectors': d('register', '执法检查人员名录库条目数（期末）', 'Inspector register entries (period end)'),
  'register.experts': d('register', '专家库条目数（期末）', 'Expert register entries (period end)'),
  'register.changes': d('register', '名录库维护次数', 'Register maintenance events'),
  'plan.coverage': d('plan', '抽查事项清单覆盖（计划覆盖事项/清单事项）', 'Item list coverage (items in the plan / items on the list)', true),
  'plan.estimated': d('plan', '计划预计抽查户数', 'Plan estimated count'),
  'plan.executed': d('plan', '计划内派发检查对象数/计划预计户数', 'Targets dispatched under the plan / estimated count', true),
  'tasks.dispatched': d('plan', '派发任务数', 'Tasks dispatched'),
  'tasks.completed': d('plan', '已完成任务数/派发任务数', 'Tasks completed / dispatched', true),
  'draws.completed': d('draws', '完成的摇号', 'Draws completed'),
  'draws.abandoned': d('draws', '放弃的摇号', 'Draws abandoned'),
  'visits.drawn': d('matching', '随机匹配检查组', 'Groups matched by draw'),
  'visits.assigned': d('matching', '直接指派检查组（T8）', 'Groups assigned directly (T8)'),
  'visits.unmatched': d('matching', '未能匹配', 'Left unmatched'),
  'results.enteredOnTime': d('results', '按时录入结果/应录入（A2）', 'Results entered on time / due (A2)', true),
  'results.publishedOnTime': d('results', '按时公示结果/应公示（E5，A2）', 'Results published on time / due (E5, A2)', true),
  'results.pending': d('results', '期限未届满的待办结果', 'Results not yet due'),
  'results.exempt': d('results', '依法不予公示', 'Exempt from disclosure'),
  'results.corrections': d('results', '结果更正', 'Corrections'),
  'objections.received': d('objections', '收到异议', 'Objections received'),
  'objections.onTime': d('objections', '按时办结异议/已到期（E7）', 'Objections handled on time / settled (E7)', true),
  'followUps.closed': d('followUps', '已办结后续处置/启动数（E9）', 'Follow-ups closed / opened (E9)', true),
  'nonRandom.inspections': d('nonRandom', '非随机检查次数（G2）', 'Non-random inspections (G2)'),
  'nonRandom.targets': d('nonRandom', '非随机检查对象数（G2）', 'Targets of non-random inspections (G2)'),
} as const satisfies Record<string, Definition>;
export type FigureKey = keyof typeof figureDefinitions;
export const figureKeys = Object.keys(figureDefinitions) as FigureKey[];
