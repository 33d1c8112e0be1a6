/**
 * The demo circulation office's year at the console, shared by the CLI workflow tests: its plan
 * items, its task, and the `ok`/`refused` runners. This year, because the CLI writes on the wall
 * clock and a task's draw must fall in its window (T2).
 */
import { expect } from 'vitest';
import { THIS_YEAR } from './adhoc-task.js';
import { runCli } from './run-cli.js';

export const YEAR = THIS_YEAR;
export const OFFICE = 'yy-swj-ltfz';
export const OP = `${OFFICE}-op`;
export const PR = `${OFFICE}-pr`;
/** Every item the demo's circulation office inspects (PL2: the plan covers them all). */
export const ITEMS = ['SW-02', 'SW-03', 'SW-04', 'SW-06', 'SW-07', 'SW-08'];

const r = (numerator: number) => ({ numerator, denominator: 100 });
/** A plan item at `ratio` % (1 % by default) over two towns, the whole working year. */
export const planItem = (itemId: string, ratio = 1) => ({
  itemId,
  scope: { region: ['南麻街道', '历山街道'] },
  window: { from: `${YEAR}-03-01`, to: `${YEAR}-11-30` },
  estimatedCount: 40,
  ratio: r(ratio),
  riskRatios: { A: r(1), B: r(1), C: r(1), D: r(1) },
  creditRatios: { A: r(1), B: r(1), C: r(1), D: r(1), dishonest: r(1) },
  unifiedShare: r(20),
  regionalWeights: [{ region: '南麻街道', weightBp: 6000 }, { region: '历山街道', weightBp: 4000 }],
});

/** The office's task on SW-02 over its own jurisdiction; the window is this whole year (T2). */
export const officeTask = (count = 2) => ({
  departmentId: OFFICE,
  name: `${YEAR}年报废机动车回收拆解企业检查`,
  items: ['SW-02'],
  directional: true,
  classes: [{ name: '全部', filter: { jurisdiction: [OFFICE] }, quota: { count } }],
  window: { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` },
  executingUnits: [OFFICE, 'yy-swj-zfdd'],
  publishList: true,
});

/** Runs the CLI on `data`, expects exit 0 and answers the parsed JSON output. */
export const ok = (args: string[], data: string): unknown => {
  const res = runCli([...args, '--data', data]);
  expect(res.status, `${args.join(' ')}: ${res.stderr}`).toBe(0);
  return JSON.parse(res.stdout);
};

/** Runs the CLI on `data`, expects the coded refusal (exit 2, `code` on stderr) and answers stderr. */
export const refused = (args: string[], data: string, code: string): string => {
  const res = runCli([...args, '--data', data]);
  expect(res.status, `${args.join(' ')}: ${res.stdout}`).toBe(2);
  expect(res.stderr).toContain(code);
  return res.stderr;
};
