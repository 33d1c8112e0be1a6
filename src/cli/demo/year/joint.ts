/**
 * T1 joint task (联合抽查): the circulation office leads a check of scrap-vehicle recyclers and the
 * enforcement unit takes part (`participants`), so every visit needs a group from each of them
 * (docs/workflow.md §9a). Drawn, locked and dispatched like any task; matched in ./matching.ts.
 *
 * A fixed count of three from the key register (SW-02 has no cap), so the joint visits stay few
 * whatever the county size; June, after the other tasks, and no overlap with their targets.
 */
import { ENFORCEMENT, OFFICE_CIRCULATION } from '../yiyuan.js';
import type { YearContext } from './context.js';
import { runTask, type TaskOutcome, type TaskSpec } from './tasks.js';

export const jointTaskSpec: TaskSpec = {
  key: 'joint-scrap-vehicles',
  day: '2026-06-08',
  stage: 'dispatched',
  draft: {
    departmentId: OFFICE_CIRCULATION,
    name: '2026年报废机动车回收拆解企业环保和安全生产联合检查',
    items: ['SW-02'],
    directional: true,
    classes: [{ name: '报废机动车回收拆解企业专项库', filter: { specialRegister: 'vehicle-recycling' }, quota: { count: 3 } }],
    window: { from: '2026-06-15', to: '2026-08-31' },
    executingUnits: [OFFICE_CIRCULATION],
    participants: [ENFORCEMENT],
    publishList: true,
  },
};

export async function jointTask(ctx: YearContext): Promise<TaskOutcome[]> {
  return [await runTask(ctx, jointTaskSpec)];
}
