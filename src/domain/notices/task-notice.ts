import type { Assignment, TaskRecord } from '../tasks/events.js';
import type { Notice } from './events.js';

export const taskNoticeId = (taskId: string): string => `taskNotice-${taskId}`;

/**
 * P2/T4/PL6: the 抽查任务公告 of a dispatched task — pure, built from the task, its lock and the
 * assignments; `revision` is the dispatch event's revision in the task stream.
 */
export function taskNotice(
  task: TaskRecord,
  locked: { readonly drawIds: readonly string[] },
  assignments: readonly Assignment[],
  delegate: string | null,
  names: { readonly department: string; readonly items: ReadonlyMap<string, string> },
  streamId: string,
  revision: number,
): Notice {
  return {
    noticeId: taskNoticeId(task.taskId),
    kind: 'taskNotice',
    title: `${names.department}${task.adHoc ? '临时' : ''}双随机抽查任务公告：${task.name}（${task.taskId}）`,
    department: task.departmentId,
    subject: { streamId, revision, eventType: 'TaskDispatched' },
    body: {
      taskId: task.taskId,
      departmentId: task.departmentId,
      departmentName: names.department,
      name: task.name,
      adHoc: task.adHoc,
      items: task.items.map((itemId) => ({ itemId, name: names.items.get(itemId) ?? itemId })),
      window: task.window,
      delegate,
      classes: task.classes,
      planVersion: task.planVersion,
      drawIds: [...locked.drawIds],
      units: assignments.map((a) => ({ executingUnit: a.executingUnit, count: a.targets.length })),
      targets: task.publishList ? assignments.flatMap((a) => a.targets.map((uscc) => ({ uscc, executingUnit: a.executingUnit }))).sort((a, b) => (a.uscc < b.uscc ? -1 : 1)) : null,
    },
  };
}
