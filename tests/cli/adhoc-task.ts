import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { witnessCommitment } from '../../src/verify/index.js';
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

/**
 * A completed target draw at the console: an ad-hoc task of the market office on SW-01 (one
 * class `all` of `count`), its draw committed by `user` with one witness, whose reveal completes
 * it (issue 7 §1). Returns the draw id.
 */
export function completedConsoleDraw(data: string, { count, secret, user }: { readonly count: number; readonly secret: string; readonly user: string }): string {
  const request = join(data, `draw-${randomUUID()}.json`);
  const classes = [{ name: 'all', filter: {}, quota: { count } }];
  writeFileSync(request, JSON.stringify({
    task: adHocTask(data, 'yy-swj-scyx-op', 'yy-swj-scyx', 'SW-01', classes), item: 'SW-01', classes,
    entropy: { witnesses: { members: [{ id: 'w1', commitment: witnessCommitment(secret) }], minReveals: 1, onMissing: 'abandon' } },
    revealDeadline: '2099-01-01T00:00:00.000Z',
  }));
  const commit = runCli(['draw', 'commit-targets', '--file', request, '--user', user, '--data', data]);
  if (commit.status !== 0) throw new Error(`draw commit-targets failed: ${commit.stderr}`);
  const drawId = commit.stdout.trim();
  const reveal = runCli(['draw', 'reveal', drawId, '--witness', 'w1', '--secret', secret, '--user', user, '--data', data]);
  if (reveal.status !== 0) throw new Error(`draw reveal failed: ${reveal.stderr}`);
  return drawId;
}
