import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

/** This year in China's calendar: the CLI writes on the wall clock, and a task's draws must fall in its window (T2). */
export const THIS_YEAR = String(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear());

/**
 * T3 (issue 9): every draw serves a task that exists. Creates, through `suiji task create` as
 * `user`, an ad-hoc task (PL6) of `department` on `item` with `classes` over this whole year, and
 * returns its number — the `task` a draw request then names.
 */
export function adHocTask(data: string, user: string, department: string, item: string, classes: readonly object[]): string {
  const file = join(data, `task-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify({
    departmentId: department, name: `临时抽查 ${item}`, items: [item], directional: true, classes,
    window: { from: `${THIS_YEAR}-01-01`, to: `${THIS_YEAR}-12-31` }, executingUnits: [department], publishList: false,
    adHoc: true, adHocReason: '测试用临时任务 / ad-hoc task for a test',
  }));
  const r = runCli(['task', 'create', '--file', file, '--user', user, '--data', data]);
  if (r.status !== 0) throw new Error(`task create failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { taskId: string }).taskId;
}
