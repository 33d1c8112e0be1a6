import type { Notice } from '../notices/events.js';
import type { ResultEntry } from './events.js';

export interface ResultNoticeNames {
  readonly department: string;
  readonly target: string;
  readonly items: ReadonlyMap<string, string>;
}

export interface ResultNoticeInput {
  readonly noticeId: string;
  readonly visitId: string;
  readonly taskIds: readonly string[];
  readonly departmentId: string;
  readonly uscc: string;
  readonly results: readonly ResultEntry[];
  readonly on: string;
  /** E6: the correction's number, the notice it corrects and why; absent for the result notice. */
  readonly correction?: { readonly number: number; readonly corrects: string; readonly reason: string };
  /** The event it publishes (ResultsApproved or ResultCorrected) and its revision in `result-<visitId>`. */
  readonly subject: { readonly streamId: string; readonly revision: number; readonly eventType: string };
}

/** P2/E5/E6: the 抽查结果公示 (or its 更正) — pure; public text Chinese first. */
export function resultNotice(input: ResultNoticeInput, names: ResultNoticeNames): Notice {
  const c = input.correction;
  return {
    noticeId: input.noticeId,
    kind: c ? 'resultCorrectionNotice' : 'resultNotice',
    title: `${names.department}双随机抽查结果${c ? `更正公示（第${c.number}次更正）` : '公示'}：${names.target}（${input.uscc}）`.slice(0, 200),
    department: input.departmentId,
    subject: { ...input.subject },
    body: {
      visitId: input.visitId,
      taskIds: [...input.taskIds],
      departmentId: input.departmentId,
      departmentName: names.department,
      target: { uscc: input.uscc, name: names.target },
      results: input.results.map((r) => ({ itemId: r.itemId, itemName: names.items.get(r.itemId) ?? r.itemId, category: r.categoryLabel, kind: r.kind?.label ?? null, detail: r.kind?.detail ?? null })),
      approvedOn: input.on,
      correction: c ? { number: c.number, corrects: c.corrects, reason: c.reason } : null,
    },
  };
}
