import type { InspectedItem } from '../plans/checks.js';
import type { PlanFiling, PlanItem } from '../plans/events.js';
import type { Notice } from './events.js';

export const planNoticeId = (departmentId: string, year: number, version: number): string => `planNotice-${departmentId}-${year}-v${version}`;

/**
 * P2/PL1: the 抽查计划公示 of a filed version — pure, built from the filing event and the
 * version's content; `revision` is the filing event's revision in the plan stream.
 */
export function planNotice(
  filing: PlanFiling,
  items: readonly PlanItem[],
  listed: readonly InspectedItem[],
  departmentName: string,
  streamId: string,
  revision: number,
): Notice {
  const byId = new Map(listed.map((i) => [i.itemId, i]));
  return {
    noticeId: planNoticeId(filing.departmentId, filing.year, filing.version),
    kind: 'planNotice',
    title: `${departmentName}${filing.year}年度双随机抽查工作计划${filing.version > 1 ? `（第${filing.version}版）` : ''}`,
    department: filing.departmentId,
    subject: { streamId, revision, eventType: 'PlanVersionFiled' },
    body: {
      departmentId: filing.departmentId,
      departmentName,
      year: filing.year,
      version: filing.version,
      filedWith: filing.filedWith,
      changes: filing.changes,
      // Filing checked every item against the list (L1), so each has its entry.
      items: items.map((i) => ({ ...i, name: byId.get(i.itemId)?.name ?? i.itemId, category: byId.get(i.itemId)?.category ?? 'general' })),
    },
  };
}
