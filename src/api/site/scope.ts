/**
 * P2/T3: a task's scope (抽查范围) in the words of a public notice — each class's pool filter and
 * quota, as the draw took it. Values are the register's codes turned into the labels bureaus use.
 */
import type { TaskClass } from '../../domain/tasks/index.js';
import { entityTypeLabels, scaleLabels, targetStatusLabels } from '../../app/registers-io/labels.js';

type Filter = TaskClass['filter'];

const list = (values: readonly string[], label: (v: string) => string = (v) => v): string => values.map(label).join('、');
const yesNo = (b: boolean, yes: string, no: string): string => (b ? yes : no);

/** The filter as one Chinese sentence; no criterion at all is the whole register (存续 entities). */
export function describeFilter(f: Filter, departmentName: (id: string) => string): string {
  const parts: string[] = [];
  if (f.jurisdiction) parts.push(`管辖部门：${list(f.jurisdiction, departmentName)}`);
  if (f.region) parts.push(`所属区域：${list(f.region)}`);
  if (f.industry) parts.push(`行业代码：${list(f.industry)}`);
  if (f.entityType) parts.push(`主体类型：${list(f.entityType, (v) => entityTypeLabels[v as keyof typeof entityTypeLabels] ?? v)}`);
  if (f.scale) parts.push(`经营规模：${list(f.scale, (v) => scaleLabels[v as keyof typeof scaleLabels] ?? v)}`);
  if (f.riskLevel) parts.push(`风险等级：${list(f.riskLevel)}`);
  if (f.creditLevel) parts.push(`信用等级：${list(f.creditLevel)}`);
  if (f.dishonest !== undefined) parts.push(yesNo(f.dishonest, '失信主体', '非失信主体'));
  if (f.abnormalOperation !== undefined) parts.push(yesNo(f.abnormalOperation, '列入经营异常名录', '未列入经营异常名录'));
  if (f.keyIndustry !== undefined) parts.push(yesNo(f.keyIndustry, '重点行业', '非重点行业'));
  if (f.minComplaints !== undefined) parts.push(`投诉举报 ${f.minComplaints} 次以上`);
  if (f.specialRegister) parts.push(`特定对象名录库：${f.specialRegister}`);
  parts.push(`登记状态：${list(f.status ?? ['active'], (v) => targetStatusLabels[v as keyof typeof targetStatusLabels] ?? v)}`);
  return parts.join('；');
}

/** The quota: a count of entities, or a ratio of the class's pool. */
export function describeQuota(q: TaskClass['quota']): string {
  return 'count' in q ? `${q.count} 户` : `${q.ratio.numerator}/${q.ratio.denominator}（${((100 * q.ratio.numerator) / q.ratio.denominator).toFixed(2).replace(/\.?0+$/, '')}%）`;
}
