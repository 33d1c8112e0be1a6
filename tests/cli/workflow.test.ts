/**
 * Issue 9 (CLI commands): plans, tasks and non-random inspections at the console, over the built
 * binary on copies of the seeded demo ledger. Each group runs its HTTP sequence end to end and
 * refuses what HTTP refuses, writing nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usccCheckChar } from '../../src/domain/uscc.js';
import { witnessCommitment } from '../../src/verify/index.js';
import { ITEMS, OFFICE, OP, PR, YEAR, ok, officeTask, planItem, refused } from './office-plan.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

const draft = { items: ITEMS.map((i) => planItem(i)), reason: '年度计划' };
const task = officeTask();

/** A copy with the office's plan for this year drafted, filed and acknowledged (by the admin of the parent bureau). */
function withPlan(targets = 0): string {
  const data = ledgers.copy(targets);
  const file = join(data, 'draft.json');
  writeFileSync(file, JSON.stringify(draft));
  ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', file, '--user', OP], data);
  ok(['plan', 'file', OFFICE, YEAR, '1', '--user', PR], data);
  ok(['plan', 'acknowledge', OFFICE, YEAR, '1', '--user', 'yy-admin'], data);
  return data;
}

describe('PL1–PL4 at the console: suiji plan draft|file|acknowledge|return|show', () => {
  it('PL1/P2: an operator drafts, a principal files (publishing the notice), the parent returns it with a reason; version 2 is filed and acknowledged and shows as in force', () => {
    const data = ledgers.copy();
    const file = join(data, 'draft.json');
    writeFileSync(file, JSON.stringify(draft));
    expect(ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', file, '--user', OP], data)).toMatchObject({ version: 1, events: ['PlanDraftSaved'], replayed: false });
    expect(ok(['plan', 'file', OFFICE, YEAR, '1', '--user', PR], data)).toMatchObject({ version: 1, events: ['PlanVersionFiled', 'NoticePublished'], noticeId: `planNotice-${OFFICE}-${YEAR}-v1` });
    expect(ok(['plan', 'return', OFFICE, YEAR, '1', '--reason', '请补充区域权重说明', '--user', 'yy-admin'], data)).toMatchObject({ events: ['PlanVersionReturned'] });
    expect(ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', file, '--user', OP], data)).toMatchObject({ version: 2 });
    ok(['plan', 'file', OFFICE, YEAR, '2', '--user', PR], data);
    expect(ok(['plan', 'acknowledge', OFFICE, YEAR, '2', '--user', 'yy-admin'], data)).toMatchObject({ events: ['PlanVersionAcknowledged'] });

    const shown = ok(['plan', 'show', OFFICE, YEAR], data) as { inForceVersion: number; versions: { status: string; answer: { returnReason: string | null } }[] };
    expect(shown.inForceVersion).toBe(2);
    expect(shown.versions.map((v) => v.status)).toEqual(['returned', 'acknowledged']);
    expect(shown.versions[0]!.answer.returnReason).toBe('请补充区域权重说明');
    const v2 = ok(['plan', 'show', OFFICE, YEAR, '2'], data) as { items: { itemId: string }[] };
    expect(v2.items.map((i) => i.itemId)).toEqual(draft.items.map((i) => i.itemId));
  });

  it('PL1/PL2: an operator cannot file, a plan missing list items is refused, a bad year and a bad draft file are coded errors naming the field; nothing is written', async () => {
    const data = ledgers.copy();
    const file = join(data, 'draft.json');
    writeFileSync(file, JSON.stringify(draft));
    ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', file, '--user', OP], data);
    const before = await ledgerHead(data);
    refused(['plan', 'file', OFFICE, YEAR, '1', '--user', OP], data, 'FORBIDDEN');
    const partial = join(data, 'partial.json');
    writeFileSync(partial, JSON.stringify({ ...draft, items: draft.items.slice(0, 1) }));
    ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', partial, '--user', OP], data);
    const afterPartial = await ledgerHead(data);
    expect(refused(['plan', 'file', OFFICE, YEAR, '1', '--user', PR], data, 'RULE_VIOLATION')).toContain('PL2');
    expect(refused(['plan', 'draft', '--department', OFFICE, '--year', '1999', '--file', file, '--user', OP], data, 'VALIDATION_FAILED')).toContain('/year');
    const bad = join(data, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...draft, departmentId: OFFICE }));
    refused(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', bad, '--user', OP], data, 'VALIDATION_FAILED');
    refused(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', file], data, 'USER_REQUIRED');
    refused(['plan', 'show', OFFICE, '2025'], data, 'NOT_FOUND');
    expect(await ledgerHead(data)).toEqual(afterPartial);
    expect(afterPartial.size).toBe(before.size + 1);
  });
});

describe('T1–T4 at the console: suiji task create|delegate|accept|lock|dispatch|show', () => {
  it('T2/T4/P2: an operator creates under the plan in force; after its target draw completed, an operator cannot lock, the principal locks and dispatches (publishing the notice); show prints the locked list and assignments', async () => {
    const data = withPlan(300);
    const file = join(data, 'task.json');
    writeFileSync(file, JSON.stringify(task));
    const created = ok(['task', 'create', '--file', file, '--user', OP], data) as { taskId: string; events: string[] };
    expect(created.events).toEqual(['TaskNumberAllocated', 'TaskCreated']);
    const taskId = created.taskId;
    expect(taskId.startsWith(`${OFFICE}-`)).toBe(true);

    const request = join(data, 'draw.json');
    writeFileSync(request, JSON.stringify({
      task: taskId, item: 'SW-02', classes: task.classes,
      entropy: { witnesses: { members: [{ id: 'w1', commitment: witnessCommitment('甲的秘密') }], minReveals: 1, onMissing: 'abandon' } },
      revealDeadline: '2099-01-01T00:00:00.000Z',
    }));
    const commit = runCli(['draw', 'commit-targets', '--file', request, '--user', OP, '--data', data]);
    expect(commit.status, commit.stderr).toBe(0);
    const drawId = commit.stdout.trim();
    expect(runCli(['draw', 'reveal', drawId, '--witness', 'w1', '--secret', '甲的秘密', '--user', OP, '--data', data]).status).toBe(0);

    const before = await ledgerHead(data);
    refused(['task', 'lock', taskId, '--draw', drawId, '--user', OP], data, 'FORBIDDEN');
    refused(['task', 'dispatch', taskId, '--user', PR], data, 'T4');
    expect(await ledgerHead(data)).toEqual(before);

    expect(ok(['task', 'lock', taskId, '--draw', drawId, '--user', PR], data)).toMatchObject({ taskId, events: ['TaskListLocked'] });
    expect(ok(['task', 'dispatch', taskId, '--user', PR], data)).toMatchObject({ events: ['TaskDispatched', 'NoticePublished'], noticeId: `taskNotice-${taskId}` });
    const shown = ok(['task', 'show', taskId], data) as { status: string; planVersion: number; locked: { drawId: string; targets: string[] }; assignments: { targets: string[] }[] };
    expect(shown).toMatchObject({ status: 'dispatched', planVersion: 1, locked: { drawId } });
    expect(shown.locked.targets).toHaveLength(2);
    expect(shown.assignments.flatMap((a) => a.targets).sort()).toEqual([...shown.locked.targets].sort());
  }, 120_000);

  it('T1/T2: delegating to a department that is not below, accepting without a delegation, a task file that breaks the schema and an unknown task are refused; nothing is written', async () => {
    const data = withPlan();
    const file = join(data, 'task.json');
    writeFileSync(file, JSON.stringify(task));
    const { taskId } = ok(['task', 'create', '--file', file, '--user', OP], data) as { taskId: string };
    const before = await ledgerHead(data);
    expect(refused(['task', 'delegate', taskId, '--to', 'yy-swj-scyx', '--reason', '人手不足', '--user', PR], data, 'RULE_VIOLATION')).toContain('T1');
    refused(['task', 'accept', taskId, '--user', 'yy-swj-scyx-pr'], data, 'T1');
    refused(['task', 'delegate', taskId, '--to', 'not a department!', '--reason', 'x', '--user', PR], data, 'VALIDATION_FAILED');
    const bad = join(data, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...task, classes: [] }));
    expect(refused(['task', 'create', '--file', bad, '--user', OP], data, 'VALIDATION_FAILED')).toContain('/classes');
    refused(['task', 'show', 'NO-SUCH-TASK'], data, 'NOT_FOUND');
    expect(await ledgerHead(data)).toEqual(before);
  });
});

describe('G2 at the console: suiji inspection record|show|list', () => {
  /** A demo target's credit code, from the register export. */
  const aTarget = (data: string): string => {
    const csv = join(data, 'targets.csv');
    expect(runCli(['export', 'targets', csv, '--data', data]).status).toBe(0);
    return /\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b/.exec(readFileSync(csv, 'utf8'))![0];
  };
  const record = (uscc: string) => ({
    inspectionId: 'TS-2026-001',
    kind: 'complaintOrReport',
    department: OFFICE,
    sourceDocument: { number: '沂商投〔2026〕7号', issuingBody: '12345政务服务便民热线', date: '2026-04-02' },
    targets: [uscc],
    items: ['预付卡退费纠纷'],
    reason: '群众投诉',
  });

  it('G2: an operator records a complaint-driven inspection, shown as random: false; show and list (by kind) find it', () => {
    const data = ledgers.copy(50);
    const uscc = aTarget(data);
    const file = join(data, 'inspection.json');
    writeFileSync(file, JSON.stringify(record(uscc)));
    const written = ok(['inspection', 'record', '--file', file, '--user', OP], data) as { replayed: boolean; inspection: { random: boolean; recordedBy: string } };
    expect(written).toMatchObject({ inspectionId: 'TS-2026-001', replayed: false, inspection: { random: false, recordedBy: OP, kind: 'complaintOrReport', targets: [uscc] } });
    expect(ok(['inspection', 'show', 'TS-2026-001'], data)).toMatchObject({ inspectionId: 'TS-2026-001', random: false, department: OFFICE });
    expect((ok(['inspection', 'list', '--kind', 'complaintOrReport'], data) as { items: { inspectionId: string }[] }).items.map((i) => i.inspectionId)).toEqual(['TS-2026-001']);
    expect((ok(['inspection', 'list', '--kind', 'emergency'], data) as { items: unknown[] }).items).toEqual([]);
  });

  it('G2/G3: another department\'s record, an auditor, an unregistered target, a bad kind and an unknown id are refused; nothing is written', async () => {
    const data = ledgers.copy(50);
    const uscc = aTarget(data);
    const before = await ledgerHead(data);
    const other = join(data, 'other.json');
    writeFileSync(other, JSON.stringify({ ...record(uscc), department: 'yy-swj-scyx' }));
    refused(['inspection', 'record', '--file', other, '--user', OP], data, 'FORBIDDEN');
    const unknown = join(data, 'unknown.json');
    writeFileSync(unknown, JSON.stringify(record('91370323MA0000099' + usccCheckChar('91370323MA0000099'))));
    expect(refused(['inspection', 'record', '--file', unknown, '--user', OP], data, 'RULE_VIOLATION')).toContain('G2');
    const file = join(data, 'inspection.json');
    writeFileSync(file, JSON.stringify(record(uscc)));
    refused(['inspection', 'record', '--file', file, '--user', 'yy-audit'], data, 'FORBIDDEN');
    expect(refused(['inspection', 'list', '--kind', 'random'], data, 'VALIDATION_FAILED')).toContain('/kind');
    refused(['inspection', 'show', 'TS-NONE'], data, 'NOT_FOUND');
    expect(await ledgerHead(data)).toEqual(before);
  });
});
