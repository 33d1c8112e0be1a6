/**
 * Issue 9 (T6–T8, T10 at the console): `suiji visit match|apply|assign|replace|approve` and
 * `visit list --status` over the built binary on one copy of the seeded demo ledger, calling the
 * same service as POST /visits/…; refusals are coded errors that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { witnessCommitment } from '../../src/verify/index.js';
import { ITEMS, OFFICE, YEAR, ok, planItem } from './office-plan.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

// Targets go to their jurisdiction's unit (T4), so the office executes; most demo inspectors sit in the enforcement unit.
const UNIT = OFFICE;
const POOL = 'yy-swj-zfdd';
const classes = [{ name: '全部', filter: { jurisdiction: [OFFICE] }, quota: { count: 3 } }];
const SECRET = '匹配见证人的秘密';

type Group = { leader: string | null; members: string[]; experts: string[] };
type Visit = { visitId: string; executingUnit: string; status: string; frozen: boolean; group: Group | null; contributions: { group: (Group & { via: string }) | null }[]; requests: { request: number; approvedBy: string | null; drawId: string | null }[] };
type Written = { drawId: string | null; visits: string[]; events: string[]; replayed: boolean };

const run = (args: string[], data: string) => runCli([...args, '--data', data]);
/** A refusal: exit 2, the coded error on stderr, and the ledger exactly as before. */
const refused = async (args: string[], data: string, code: string): Promise<string> => {
  const before = await ledgerHead(data);
  const res = run(args, data);
  expect(res.status, `${args.join(' ')}: ${res.stdout}`).toBe(2);
  expect(res.stderr).toContain(code);
  expect(await ledgerHead(data)).toEqual(before);
  return res.stderr;
};
const queue = (data: string, ...filter: string[]): Visit[] => (ok(['visit', 'list', '--unit', UNIT, ...filter], data) as { items: Visit[] }).items;
const show = (data: string, id: string): Visit => ok(['visit', 'show', id], data) as Visit;
const matchArgs = (visits: string[], user: string) => [
  'visit', 'match', '--visits', visits.join(','), '--inspectors', JSON.stringify({ department: [POOL] }), '--group-size', '2', '--max-load', '10',
  '--witness', `w1:${witnessCommitment(SECRET)}`, '--reveal-deadline', '2099-01-01T00:00:00Z', '--user', user,
];

describe('issue 9 console: visit matching (T6–T8, T10)', () => {
  let data: string;
  let ids: string[];

  // A plan filed and acknowledged; a task of the office, drawn, locked and dispatched: three visits of the office.
  beforeAll(() => {
    data = ledgers.copy(300);
    const write = (name: string, v: unknown): string => {
      const f = join(data, name);
      writeFileSync(f, JSON.stringify(v));
      return f;
    };
    ok(['plan', 'draft', '--department', OFFICE, '--year', YEAR, '--file', write('v1.json', { items: ITEMS.map((i) => planItem(i)), reason: '年度计划' }), '--user', `${OFFICE}-op`], data);
    ok(['plan', 'file', OFFICE, YEAR, '1', '--user', `${OFFICE}-pr`], data);
    ok(['plan', 'acknowledge', OFFICE, YEAR, '1', '--user', 'yy-admin'], data);
    // T2 (issue 9): a draw after the window is refused; the CLI draws on the wall clock, so the window is this whole year.
    const task = { departmentId: OFFICE, name: `${YEAR}年报废机动车回收拆解企业检查`, items: ['SW-02'], directional: true, classes, window: { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` }, executingUnits: [OFFICE], publishList: true };
    const taskId = (ok(['task', 'create', '--file', write('task.json', task), '--user', `${OFFICE}-op`], data) as { taskId: string }).taskId;
    const request = write('draw.json', {
      task: taskId, item: 'SW-02', classes,
      entropy: { witnesses: { members: [{ id: 'w1', commitment: witnessCommitment('甲的秘密') }], minReveals: 1, onMissing: 'abandon' } },
      revealDeadline: '2099-01-01T00:00:00.000Z',
    });
    const commit = run(['draw', 'commit-targets', '--file', request, '--user', `${OFFICE}-op`], data);
    expect(commit.status, commit.stderr).toBe(0);
    const drawId = commit.stdout.trim();
    expect(run(['draw', 'reveal', drawId, '--witness', 'w1', '--secret', '甲的秘密', '--user', `${OFFICE}-op`], data).status).toBe(0);
    ok(['task', 'lock', taskId, '--draw', drawId, '--user', `${OFFICE}-pr`], data);
    ok(['task', 'dispatch', taskId, '--user', `${OFFICE}-pr`], data);
    ids = queue(data, '--status', 'unmatched').map((v) => v.visitId);
    expect(ids).toHaveLength(3);
  }, 240_000);

  it('T6: the unit matches its visits at the console; reveal and complete by suiji draw; apply; visit list --status matched shows them', async () => {
    const [first, second] = ids;
    // Another department's operator cannot match the unit's visits (T6), and writes nothing.
    expect(await refused(matchArgs([first!, second!], `${POOL}-op`), data, 'FORBIDDEN')).toContain('T6');
    const committed = ok(matchArgs([first!, second!], `${UNIT}-op`), data) as Written;
    expect(committed.events).toContain('VisitFrozen');
    const drawId = committed.drawId!;
    expect(drawId).toMatch(/match-/);
    // Not completed yet: applying is refused, nothing written.
    expect(await refused(['visit', 'apply', drawId, '--user', `${UNIT}-op`], data, 'VALIDATION_FAILED')).toContain('/drawId');
    expect(run(['draw', 'reveal', drawId, '--witness', 'w1', '--secret', SECRET, '--user', `${UNIT}-op`], data).status).toBe(0);
    expect(run(['draw', 'complete', drawId, '--user', `${UNIT}-op`], data).status).toBe(0);
    const applied = ok(['visit', 'apply', drawId, '--user', `${UNIT}-op`], data) as Written;
    expect(applied.events).toEqual(['VisitMatched', 'VisitMatched']);
    const matched = queue(data, '--status', 'matched');
    expect(matched.map((v) => v.visitId)).toEqual([first, second].sort());
    // Each group is its target's group in the draw's public record.
    const record = JSON.parse(run(['draw', 'export', drawId], data).stdout) as { result: { groups: { target: string; leader: string; members: string[] }[] } };
    for (const v of matched) {
      const shown = show(data, v.visitId) as Visit & { uscc: string };
      const g = record.result.groups.find((x) => x.target === shown.uscc)!;
      expect(v.group).toEqual({ leader: g.leader, members: g.members, experts: [] });
      expect(v.frozen).toBe(true);
    }
    expect(queue(data, '--status', 'unmatched').map((v) => v.visitId)).toEqual(ids.filter((id) => id !== first && id !== second));
    // Applying again changes nothing.
    expect((ok(['visit', 'apply', drawId, '--user', `${UNIT}-op`], data) as Written).events).toEqual([]);
  });

  it('T8: visit assign by a non-principal is refused with the coded error and nothing written; the unit\'s principal assigns with a reason', async () => {
    const id = ids[2]!;
    const members = show(data, ids[0]!).group!.members;
    const args = ['visit', 'assign', id, '--leader', members[0]!, '--members', members.join(','), '--reason', '本单位直接指派 / assigned directly'];
    expect(await refused([...args, '--user', `${UNIT}-op`], data, 'FORBIDDEN')).toContain('T8');
    // Bad input is refused before the ledger is opened, naming the field.
    expect(await refused([...args.slice(0, 5), '--members', members[0]!, '--reason', 'x', '--user', `${UNIT}-pr`], data, 'VALIDATION_FAILED')).toContain('/members');
    const done = ok([...args, '--user', `${UNIT}-pr`], data) as Written;
    expect(done.events).toContain('VisitAssigned');
    const v = show(data, id);
    expect(v.status).toBe('matched');
    expect(v.contributions[0]!.group).toMatchObject({ via: 'direct', leader: members[0], members });
  });

  it('T10: visit approve by an operator is refused and writes nothing; the principal\'s approval draws the replacement', async () => {
    const id = ids[0]!;
    const member = show(data, id).group!.members[1]!;
    expect(await refused(['visit', 'replace', id, '--target-member', member, '--reason', '调岗', '--user', `${UNIT}-op`], data, 'VALIDATION_FAILED')).toContain('/reason');
    const asked = ok(['visit', 'replace', id, '--target-member', member, '--reason', 'health', '--user', `${UNIT}-op`], data) as Written;
    expect(asked.events).toEqual(['VisitReplacementRequested']);
    expect(await refused(['visit', 'approve', id, '1', '--user', `${UNIT}-op`], data, 'FORBIDDEN')).toContain('T10');
    expect(await refused(['visit', 'approve', id, '0', '--user', `${UNIT}-pr`], data, 'VALIDATION_FAILED')).toContain('/request');
    const approved = ok(['visit', 'approve', id, '1', '--user', `${UNIT}-pr`], data) as Written;
    const after = show(data, id);
    expect(after.group!.members).not.toContain(member);
    expect(after.requests[0]).toMatchObject({ approvedBy: `${UNIT}-pr`, drawId: approved.drawId });
  });

  it('writes need --user; bad JSON and missing entropy are coded errors naming the option; nothing is written', async () => {
    expect(await refused(['visit', 'apply', 'draw-x', '--user', ''], data, 'VALIDATION_FAILED')).toContain('--user');
    const base = matchArgs([ids[2]!], `${UNIT}-op`);
    expect(await refused(base.map((a) => (a === JSON.stringify({ department: [POOL] }) ? '{department' : a)), data, 'BAD_REQUEST')).toContain('--inspectors');
    const noWitness = base.filter((a, i) => a !== '--witness' && base[i - 1] !== '--witness');
    expect(await refused(noWitness, data, 'VALIDATION_FAILED')).toContain('--witness');
    expect(await refused(base.map((a) => (a === '2' ? 'two' : a)), data, 'VALIDATION_FAILED')).toContain('/groupSize');
    expect(await refused(['visit', 'list', '--status', 'open'], data, 'VALIDATION_FAILED')).toContain('/status');
  });
});
