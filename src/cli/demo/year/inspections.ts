/**
 * G2: an inspection that is not random — a consumer's complaint about prepaid cards, relayed by
 * the 12345 hotline, recorded by the market office with its source document. It never touches
 * the lottery or the PL5 counts.
 */
import { poolOf } from '../../../projections/registers/index.js';
import { OFFICE_MARKET } from '../yiyuan.js';
import { at, operatorOf, type YearContext } from './context.js';

export const COMPLAINT_ID = 'yy-swj-scyx-ts-2026-001';

/** Records the complaint inspection against the first (by credit code) catering or retail target with complaints on record; false when the county has none. */
export async function recordComplaint(ctx: YearContext): Promise<boolean> {
  await ctx.projections.catchUp();
  const [target] = poolOf(ctx.db, { industry: ['H62', 'F5211', 'F5212'], minComplaints: 1, jurisdiction: [OFFICE_MARKET] });
  if (target === undefined) return false;
  await ctx.inspections.record(ctx.meta(operatorOf(OFFICE_MARKET), at('2026-04-15', '10:00')), {
    inspectionId: COMPLAINT_ID,
    kind: 'complaintOrReport',
    department: OFFICE_MARKET,
    sourceDocument: { number: '12345-2026-0413-0087', issuingBody: '淄博市12345政务服务便民热线', date: '2026-04-13' },
    targets: [target],
    items: ['SW-01', '预付卡余额无法退还'],
    reason: '消费者投诉：门店停业后预付卡余额无法使用或退还，依据投诉举报开展检查（非随机抽查）',
  });
  return true;
}
