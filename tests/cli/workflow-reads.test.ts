/**
 * Issue 9 (console reads): `task list`, `visit list|show`, `plan diff|coverage` and `inspection
 * statistics` over the built binary on a copy of the seeded demo ledger, answering what the
 * matching GET routes answer, and refusing a bad argument with a coded error naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { witnessCommitment } from '../../src/verify/index.js';
import { ITEMS, OFFICE, OP, PR, YEAR, ok, officeTask, planItem, refused } from './office-plan.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

const task = officeTask();

describe('issue 9 console reads: task list, visit list|show, plan diff|coverage, inspection statistics', () => {
  let data: string;
  let dispatched: string;
  let adHoc: string;

  // One ledger for every read: plan v1 filed and acknowledged, v2 (SW-02 at 2 %) drafted; a task drawn, locked and dispatched; an ad-hoc task created.
  beforeAll(() => {
    data = ledgers.copy(300);
    const write = (name: string, v: unknown): string => {
      const f = join(data, name);
      writeFileSync(f, JSON.stringify(v));
      return f;
    };
    const v1 = write('v1.json', { items: ITEMS.map((i) => planItem(i)), reason: '年度计划' });
    ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', v1, '--user', OP], data);
    ok(['plan', 'file', OFFICE, YEAR, '1', '--user', PR], data);
    ok(['plan', 'acknowledge', OFFICE, YEAR, '1', '--user', 'yy-admin'], data);

    dispatched = (ok(['task', 'create', '--file', write('task.json', task), '--user', OP], data) as { taskId: string }).taskId;
    const request = write('draw.json', {
      task: dispatched, item: 'SW-02', classes: task.classes,
      entropy: { witnesses: { members: [{ id: 'w1', commitment: witnessCommitment('甲的秘密') }], minReveals: 1, onMissing: 'abandon' } },
      revealDeadline: '2099-01-01T00:00:00.000Z',
    });
    const commit = runCli(['draw', 'commit-targets', '--file', request, '--user', OP, '--data', data]);
    expect(commit.status, commit.stderr).toBe(0);
    const drawId = commit.stdout.trim();
    expect(runCli(['draw', 'reveal', drawId, '--witness', 'w1', '--secret', '甲的秘密', '--user', OP, '--data', data]).status).toBe(0);
    ok(['task', 'lock', dispatched, '--draw', drawId, '--user', PR], data);
    ok(['task', 'dispatch', dispatched, '--user', PR], data);
    adHoc = (ok(['task', 'create', '--file', write('adhoc.json', { ...task, name: '临时检查', adHoc: true, adHocReason: '上级转办线索' }), '--user', OP], data) as { taskId: string }).taskId;

    const v2 = write('v2.json', { items: ITEMS.map((i) => planItem(i, i === 'SW-02' ? 2 : 1)), reason: '调整比例' });
    ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', v2, '--user', OP], data);
  }, 180_000);

  it('T4/PL6: task list filters by status, ad hoc and executing unit, as GET /tasks', () => {
    type Summary = { taskId: string; status: string; adHoc: boolean; dispatched: { executingUnit: string; targets: number }[] | null; locked: { count: number } | null };
    const all = (ok(['task', 'list'], data) as { items: Summary[] }).items;
    expect(all.map((t) => t.taskId)).toEqual([dispatched, adHoc].sort());
    const sent = (ok(['task', 'list', '--status', 'dispatched'], data) as { items: Summary[] }).items;
    expect(sent.map((t) => t.taskId)).toEqual([dispatched]);
    const shown = ok(['task', 'show', dispatched], data) as { assignments: { executingUnit: string; targets: string[] }[]; locked: { targets: string[] } };
    expect(sent[0]!.dispatched).toEqual(shown.assignments.map((a) => ({ executingUnit: a.executingUnit, targets: a.targets.length })));
    expect(sent[0]!.locked!.count).toBe(shown.locked.targets.length);
    expect((ok(['task', 'list', '--ad-hoc', 'true'], data) as { items: Summary[] }).items.map((t) => t.taskId)).toEqual([adHoc]);
    expect((ok(['task', 'list', '--executing-unit', 'yy-swj-zfdd', '--status', 'created'], data) as { items: Summary[] }).items.map((t) => t.taskId)).toEqual([adHoc]);
    expect((ok(['task', 'list', '--limit', '1'], data) as { items: Summary[] }).items).toEqual(all.slice(0, 1));
  });

  it('T6/T5: visit list is the unit\'s work queue and visit show prints one visit, as GET /visits', () => {
    type Visit = { visitId: string; executingUnit: string; uscc: string; tasks: { taskId: string }[] };
    const shown = ok(['task', 'show', dispatched], data) as { assignments: { executingUnit: string; targets: string[] }[] };
    const all = (ok(['visit', 'list'], data) as { items: Visit[] }).items;
    expect(all.map((v) => `${v.executingUnit} ${v.uscc}`).sort()).toEqual(shown.assignments.flatMap((a) => a.targets.map((t) => `${a.executingUnit} ${t}`)).sort());
    const unit = shown.assignments[0]!.executingUnit;
    const queue = (ok(['visit', 'list', '--unit', unit], data) as { items: Visit[] }).items;
    expect(queue.length).toBe(shown.assignments[0]!.targets.length);
    expect(queue.every((v) => v.executingUnit === unit && v.tasks.map((t) => t.taskId).join() === dispatched)).toBe(true);
    expect(ok(['visit', 'show', queue[0]!.visitId], data)).toEqual(queue[0]);
  });

  it('PL1/PL2: plan diff names what version 2 changed; plan coverage lists the unified list with the office covering its items', () => {
    const d = ok(['plan', 'diff', OFFICE, YEAR, '--from', '1', '--to', '2'], data) as { added: unknown[]; removed: unknown[]; changed: { itemId: string; fields: string[] }[] };
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed.map((c) => c.itemId)).toEqual(['SW-02']);
    expect(d.changed[0]!.fields).toContain('ratio');
    const fromEmpty = ok(['plan', 'diff', OFFICE, YEAR, '--from', '0', '--to', '1'], data) as { added: { itemId: string }[] };
    expect(fromEmpty.added.map((i) => i.itemId).sort()).toEqual(ITEMS);
    const c = ok(['plan', 'coverage', YEAR], data) as { year: number; items: { itemId: string; coveredBy: { departmentId: string } | null }[]; uncovered: string[] };
    expect(c.year).toBe(Number(YEAR));
    for (const i of ITEMS) expect(c.items.find((x) => x.itemId === i)!.coveredBy).toMatchObject({ departmentId: OFFICE });
    expect(c.uncovered.some((i) => ITEMS.includes(i))).toBe(false);
  });

  it('G2: inspection statistics prints a zero row for every kind in a year without records', () => {
    const s = ok(['inspection', 'statistics', '2026'], data) as { year: number; byKind: { kind: string; inspections: number }[] };
    expect(s.year).toBe(2026);
    expect(s.byKind.length).toBe(6);
    expect(s.byKind.every((k) => k.inspections === 0)).toBe(true);
  });

  it('bad arguments are coded errors naming the field; an unknown visit and version are NOT_FOUND; nothing is written', async () => {
    const before = await ledgerHead(data);
    expect(refused(['task', 'list', '--status', 'open'], data, 'VALIDATION_FAILED')).toContain('/status');
    expect(refused(['task', 'list', '--ad-hoc', 'yes'], data, 'VALIDATION_FAILED')).toContain('/adHoc');
    expect(refused(['task', 'list', '--limit', '0'], data, 'VALIDATION_FAILED')).toContain('/limit');
    expect(refused(['visit', 'list', '--limit', '1001'], data, 'VALIDATION_FAILED')).toContain('/limit');
    expect(refused(['visit', 'show', 'not-a-visit'], data, 'VALIDATION_FAILED')).toContain('/visitId');
    refused(['visit', 'show', `${OFFICE}-20260301-91370323MA00000000`], data, 'NOT_FOUND');
    expect(refused(['plan', 'diff', OFFICE, YEAR, '--from', '1', '--to', '0'], data, 'VALIDATION_FAILED')).toContain('/to');
    refused(['plan', 'diff', OFFICE, YEAR, '--from', '1', '--to', '9'], data, 'NOT_FOUND');
    expect(refused(['plan', 'coverage', '1999'], data, 'VALIDATION_FAILED')).toContain('/year');
    expect(refused(['inspection', 'statistics', '26'], data, 'VALIDATION_FAILED')).toContain('/year');
    expect(await ledgerHead(data)).toEqual(before);
  });
});
