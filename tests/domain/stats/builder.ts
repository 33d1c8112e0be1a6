import type { StatsEvent } from '../../../src/domain/stats/index.js';

/** A small ledger of stats-relevant events, positions in order, each recorded at noon in Shanghai on `day`. */
export class Ledger {
  readonly events: StatsEvent[] = [];
  add(type: string, payload: Record<string, unknown>, day: string, department = 'dept-a'): number {
    const position = this.events.length;
    this.events.push({ position, hash: position.toString(16).padStart(64, '0'), type, recordedAt: `${day}T04:00:00.000Z`, department, payload });
    return position;
  }
  /** A plan task of dept-a dispatched with `targets` targets to dept-a, window ending `windowTo`. */
  task(taskId: string, windowTo: string, targets: number, day = '2026-03-01', adHoc = false): number {
    this.add('TaskCreated', { taskId, departmentId: 'dept-a', year: 2026, adHoc, window: { from: '2026-03-01', to: windowTo } }, day);
    return this.add('TaskDispatched', { taskId, assignments: [{ executingUnit: 'dept-a', targets: Array.from({ length: targets }, (_, i) => `91370323MA${String(i).padStart(7, '0')}X`) }], noticeId: `n-${taskId}` }, day);
  }
  visit(visitId: string, taskId: string, windowTo: string, day = '2026-03-02'): number {
    return this.add('VisitFrozen', { visitId, executingUnit: 'dept-a', uscc: '91370323MA0000000X', window: { from: '2026-03-01', to: windowTo }, items: ['i1'], tasks: [{ taskId, items: ['i1'], window: { from: '2026-03-01', to: windowTo } }], participants: [] }, day);
  }
}
