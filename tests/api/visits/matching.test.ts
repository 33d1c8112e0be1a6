import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalize } from '../../../src/verify/index.js';
import { SECRETS, witnessPlan } from '../../draws/harness.js';
import { inspectorBody, type Harness } from '../registers/harness.js';
import { drawBody, drawToCompletion, openTaskHarness, seedWorld, taskBody, type World } from '../tasks/fixtures.js';

/** Every one of dept-a's four 南麻 targets: a key item has no cap, so the pool is drawn whole. */
const wholePool = [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 4 } }];
const principalB = { userId: 'pr-b2', role: 'principal', department: 'dept-b' } as const;

type Group = { leader: string | null; members: string[]; experts: string[] };
type Visit = {
  visitId: string; uscc: string; status: string; frozen: boolean; group: Group | null; participants: string[];
  tasks: { taskId: string }[]; contributions: { department: string; pending: string | null; group: (Group & { via: string }) | null; unmatched: { need: string } | null }[];
  requests: { request: number; approvedBy: string | null; drawId: string | null }[];
};

describe('visit matching (T6–T8, T10, joint tasks)', () => {
  let h: Harness;
  let w: World;
  let prB: string;
  beforeEach(async () => {
    // T2: a draw after its task's window is refused; the draw routes run on a fixed day inside the 2026 windows.
    h = await openTaskHarness();
    w = await seedWorld(h);
    await h.seed({ type: 'RegisterUser', data: { userId: principalB.userId, name: principalB.userId, role: principalB.role, department: principalB.department } });
    prB = await h.issue(principalB);
  });
  afterEach(async () => h.close());

  const inspectors = async (dept: string, ids: string[]) => {
    for (const id of ids) await h.seed({ type: 'RegisterInspector', data: inspectorBody(id, dept) });
  };
  const dispatched = async (over: Record<string, unknown> = {}): Promise<string> => {
    const c = await h.call('opA', 'POST', '/tasks', taskBody({ classes: wholePool, ...over }));
    expect(c.statusCode, c.body).toBe(201);
    const taskId = (c.json() as { taskId: string }).taskId;
    const drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId, wholePool));
    expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
    expect((await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`)).statusCode).toBe(201);
    return taskId;
  };
  const queue = async (query: string): Promise<Visit[]> => {
    const r = await h.call('opA', 'GET', `/visits?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { items: Visit[] }).items;
  };
  const visit = async (id: string): Promise<Visit> => (await h.call('auditor', 'GET', `/visits/${id}`)).json() as Visit;
  const matchBody = (visits: string[], over: Record<string, unknown> = {}) => ({
    visits, inspectors: { department: ['dept-a'] }, groupSize: 2, maxLoad: 4, entropy: witnessPlan(), revealDeadline: '2099-01-01T00:00:00.000Z', ...over,
  });
  /** Commit as `auth`, reveal, complete and apply; returns the matching draw id. */
  const match = async (auth: string, body: unknown): Promise<string> => {
    const c = await h.callWith(auth, 'POST', '/visits/matchings', body);
    expect(c.statusCode, c.body).toBe(201);
    const drawId = (c.json() as { drawId: string }).drawId;
    for (const [witness, secret] of Object.entries(SECRETS)) expect((await h.callWith(auth, 'POST', `/draws/${drawId}/witness-reveals`, { witness, secret })).statusCode).toBe(200);
    expect((await h.callWith(auth, 'POST', `/draws/${drawId}/complete`, {})).statusCode).toBe(200);
    const a = await h.callWith(auth, 'POST', `/visits/matchings/${drawId}/application`);
    expect(a.statusCode, a.body).toBe(201);
    return drawId;
  };
  const unchanged = async (p: Promise<LightMyRequestResponse>, code: number) => {
    const before = (await h.head()).size;
    const r = await p;
    expect(r.statusCode, r.body).toBe(code);
    expect((await h.head()).size).toBe(before);
    return r;
  };

  it('T6: an executing unit matches its visits by lottery; another unit cannot', async () => {
    await inspectors('dept-a', ['I01', 'I02', 'I03', 'I04', 'I05', 'I06', 'I07', 'I08']);
    await dispatched();
    const open = await queue('unit=dept-a&status=unmatched');
    expect(open).toHaveLength(4);
    const ids = open.map((v) => v.visitId);
    // dept-b's principal cannot match dept-a's visits, nor name dept-a as the department.
    const other = await unchanged(h.callWith(prB, 'POST', '/visits/matchings', matchBody(ids)), 403);
    expect(other.json().details.rule).toBe('T6');
    await unchanged(h.callWith(prB, 'POST', '/visits/matchings', matchBody(ids, { department: 'dept-a' })), 403);
    const drawId = await match(h.bearer('opA'), matchBody(ids));
    const matched = await queue('unit=dept-a&status=matched');
    expect(matched.map((v) => v.visitId)).toEqual(ids);
    // The group is derived from the draw's record alone: each visit's group is the group of its target.
    const record = (await h.call('anonymous', 'GET', `/draws/${drawId}/export`)).json() as {
      result: { groups: { target: string; leader: string; members: string[] }[] };
      commitment: { targets: { from: string }; source: { filter: { matching: { visits: { visitId: string; uscc: string }[] } } } };
    };
    const listed = record.commitment.source.filter.matching.visits;
    expect(listed.map((v) => v.visitId)).toEqual(ids);
    // targetsFrom binds the targets to the visit list: SHA-256 of its JCS (docs/workflow.md §9).
    expect(record.commitment.targets.from).toBe(bytesToHex(sha256(utf8ToBytes(canonicalize(listed)))));
    expect((await h.call('anonymous', 'GET', `/draws/${drawId}/verify`)).json()).toMatchObject({ verdict: 'ledger' });
    for (const v of matched) {
      const g = record.result.groups.find((x) => x.target === v.uscc)!;
      expect(v.group).toEqual({ leader: g.leader, members: g.members, experts: [] });
      expect(v.frozen).toBe(true);
    }
    expect(await queue('unit=dept-a&status=unmatched')).toEqual([]);
    // Applying again writes nothing; matching a matched visit again is refused.
    expect((await unchanged(h.call('opA', 'POST', `/visits/matchings/${drawId}/application`), 200)).json().events).toEqual([]);
    const again = await unchanged(h.call('opA', 'POST', '/visits/matchings', matchBody([ids[0]!])), 422);
    expect(again.json().details).toMatchObject({ rule: 'T6', reason: 'VISIT_MATCHED' });
  });

  it('T6: a visit with an open matching draw takes no second one; an unknown visit is a coded 404', async () => {
    await inspectors('dept-a', ['I01', 'I02', 'I03', 'I04']);
    await dispatched();
    const [v1, v2] = (await queue('unit=dept-a')).map((v) => v.visitId);
    expect((await h.call('opA', 'POST', '/visits/matchings', matchBody([v1!]))).statusCode).toBe(201);
    const r = await unchanged(h.call('opA', 'POST', '/visits/matchings', matchBody([v1!, v2!])), 422);
    expect(r.json().details).toMatchObject({ reason: 'MATCHING_PENDING' });
    await unchanged(h.call('opA', 'POST', '/visits/matchings', matchBody([`dept-a-20260301-${w.targetsB[0]}`])), 404);
  });

  it('T5: a matched visit is frozen: a later overlapping dispatch forms its own visit', async () => {
    await inspectors('dept-a', ['I01', 'I02', 'I03', 'I04', 'I05', 'I06', 'I07', 'I08']);
    const t1 = await dispatched({ window: { from: '2026-03-01', to: '2026-06-30' } });
    const ids = (await queue('unit=dept-a')).map((v) => v.visitId);
    await match(h.bearer('opA'), matchBody(ids));
    const t2 = await dispatched({ name: '同期另一任务', items: ['SW-01', 'SW-02'], window: { from: '2026-03-01', to: '2026-09-30' } });
    const all = await queue('unit=dept-a');
    expect(all).toHaveLength(8);
    for (const id of ids) {
      const v = all.find((x) => x.visitId === id)!;
      expect(v.tasks.map((t) => t.taskId)).toEqual([t1]);
      expect(v.status).toBe('matched');
      // Rule 7: same unit, start and target as the frozen visit, so the new one takes the suffix -2.
      const fresh = all.find((x) => x.visitId === `${id}-2`)!;
      expect(fresh.tasks.map((t) => t.taskId)).toEqual([t2]);
      expect(fresh.status).toBe('unmatched');
      expect(fresh.frozen).toBe(false);
    }
    // A rebuild from the ledger gives the same rows.
    await h.rt.projections.rebuild();
    expect(await queue('unit=dept-a')).toEqual(all);
  });

  it('T8: an unmatched visit gets a direct assignment with a reason', async () => {
    await inspectors('dept-a', ['I01']); // too few for a group of two
    await inspectors('dept-b', ['I21', 'I22']);
    await dispatched();
    const [id] = (await queue('unit=dept-a')).map((v) => v.visitId);
    await match(h.bearer('opA'), matchBody([id!]));
    const left = await visit(id!);
    expect(left.status).toBe('unmatched');
    expect(left.contributions[0]!.unmatched).toMatchObject({ need: 'inspectors' });
    const body = { leader: 'I01', members: ['I01', 'I21'], reason: '本所检查人员不足，由流通科借调 / too few inspectors, one seconded' };
    // An operator cannot; fewer than two, no leader among them, an unknown person, a declared conflict: coded refusals.
    await unchanged(h.call('opA', 'POST', `/visits/${id}/assignment`, body), 403);
    expect((await unchanged(h.call('principalA', 'POST', `/visits/${id}/assignment`, { ...body, members: ['I01'] }), 400)).json().details).toMatchObject({ field: '/members', rule: 'T7' });
    expect((await unchanged(h.call('principalA', 'POST', `/visits/${id}/assignment`, { ...body, leader: 'I22' }), 400)).json().details).toMatchObject({ field: '/leader' });
    expect((await unchanged(h.call('principalA', 'POST', `/visits/${id}/assignment`, { ...body, members: ['I01', 'nobody'] }), 400)).json().details).toMatchObject({ field: '/members/1', rule: 'T9' });
    await h.seed({ type: 'DeclareInspectorConflict', data: { inspectorId: 'I22', uscc: left.uscc, reason: '亲属关系 / relative' } });
    expect((await unchanged(h.call('principalA', 'POST', `/visits/${id}/assignment`, { ...body, members: ['I01', 'I22'] }), 400)).json().details).toMatchObject({ field: '/members/1', rule: 'T10' });
    const ok = await h.call('principalA', 'POST', `/visits/${id}/assignment`, body);
    expect(ok.statusCode, ok.body).toBe(201);
    const v = await visit(id!);
    expect(v.status).toBe('matched');
    expect(v.contributions[0]!.group).toMatchObject({ via: 'direct', leader: 'I01', members: ['I01', 'I21'], reason: body.reason });
    expect((await unchanged(h.call('principalA', 'POST', `/visits/${id}/assignment`, body), 422)).json().details).toMatchObject({ reason: 'VISIT_MATCHED' });
  });

  it('T7: experts are drawn with the group, or assigned directly with a reason', async () => {
    await inspectors('dept-a', ['I01', 'I02', 'I03', 'I04']);
    await h.seed({ type: 'RegisterExpert', data: { expertId: 'E01', name: '李四', department: 'dept-a', expertise: ['计量'], organisation: '计量所', title: '高工', region: '淄博市', status: 'active' } });
    await dispatched();
    const [v1, v2] = (await queue('unit=dept-a')).map((v) => v.visitId);
    await match(h.bearer('opA'), matchBody([v1!], { experts: { filter: {}, perTarget: 1, maxLoad: 1 } }));
    expect((await visit(v1!)).group?.experts).toEqual(['E01']);
    const r = await h.call('principalA', 'POST', `/visits/${v2}/assignment`, { leader: 'I01', members: ['I01', 'I02'], experts: ['E01'], reason: '需计量专家 / metrology expert needed' });
    expect(r.statusCode, r.body).toBe(201);
    expect((await visit(v2!)).group?.experts).toEqual(['E01']);
  });

  it('T10: a replacement approved by a non-principal, or by a principal of another department, is refused', async () => {
    await inspectors('dept-a', ['I01', 'I02', 'I03', 'I04', 'I05']);
    await dispatched();
    const [id] = (await queue('unit=dept-a')).map((v) => v.visitId);
    await match(h.bearer('opA'), matchBody([id!]));
    const before = (await visit(id!)).group!;
    const member = before.members[1]!;
    await unchanged(h.call('opA', 'POST', `/visits/${id}/replacements`, { member, reason: '调岗' }), 400);
    await unchanged(h.callWith(prB, 'POST', `/visits/${id}/replacements`, { member, reason: 'health' }), 403);
    expect((await h.call('opA', 'POST', `/visits/${id}/replacements`, { member, reason: 'health' })).statusCode).toBe(201);
    expect((await unchanged(h.call('opA', 'POST', `/visits/${id}/replacements/1/approval`), 403)).json().details.rule).toBe('T10');
    await unchanged(h.callWith(prB, 'POST', `/visits/${id}/replacements/1/approval`), 403);
    await unchanged(h.call('principalA', 'POST', `/visits/${id}/replacements/9/approval`), 404);
    const ok = await h.call('principalA', 'POST', `/visits/${id}/replacements/1/approval`);
    expect(ok.statusCode, ok.body).toBe(201);
    const replacementDraw = (ok.json() as { drawId: string }).drawId;
    const after = await visit(id!);
    expect(after.group!.members).not.toContain(member);
    expect(after.group!.members).toHaveLength(2);
    expect(after.requests[0]).toMatchObject({ approvedBy: 'pr-a', drawId: replacementDraw });
    // The approver in the replacement draw's commitment is the token's user.
    const view = (await h.call('auditor', 'GET', `/draws/${replacementDraw}`)).json() as { commitment: { replacements: { approver: string; reason: string }[] } };
    expect(view.commitment.replacements[0]).toMatchObject({ approver: 'pr-a', reason: 'health' });
  });

  it('T1/joint: a joint task\'s visit group has inspectors from each participant', async () => {
    await inspectors('dept-a', ['I01', 'I02', 'I03', 'I04']);
    await inspectors('dept-b', ['I21', 'I22', 'I23', 'I24']);
    const bad = await unchanged(h.call('opA', 'POST', '/tasks', taskBody({ classes: wholePool, participants: ['dept-a'] })), 400);
    expect(bad.json().details.field).toBe('/participants/0');
    await dispatched({ participants: ['dept-b'] });
    const ids = (await queue('unit=dept-b')).map((v) => v.visitId);
    expect(ids).toHaveLength(4);
    await match(h.bearer('opA'), matchBody(ids));
    expect(await queue('unit=dept-a&status=matched')).toEqual([]);
    await match(prB, matchBody(ids, { inspectors: { department: ['dept-b'] } }));
    for (const v of await queue('unit=dept-a&status=matched')) {
      expect(v.participants).toEqual(['dept-b']);
      const [lead, part] = v.contributions;
      expect(lead!.department).toBe('dept-a');
      expect(part!.department).toBe('dept-b');
      expect(v.group!.leader).toBe(lead!.group!.leader);
      expect(v.group!.members).toEqual([...lead!.group!.members, ...part!.group!.members]);
      expect(lead!.group!.members.every((m) => m.startsWith('I0'))).toBe(true);
      expect(part!.group!.members.every((m) => m.startsWith('I2'))).toBe(true);
    }
  });
});
