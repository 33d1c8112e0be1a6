import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuijiError } from '../../src/domain/errors.js';
import { verifyDrawRecord as verifyRecord } from '../../src/verify/index.js';
import type { GroupsResult } from '../../src/verify/index.js';
import { DEADLINE, SECRETS, actors, makeUscc, meta, seedInspectors, witnessPlan, withTask, write, type Harness, rejected, openSeededHarness } from './harness.js';

const INSPECTORS = ['I01', 'I02', 'I03', 'I04', 'I05', 'I06'];

describe('inspector groups and replacements (T7, T9, T10)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openSeededHarness(6);
    await seedInspectors(h.store, INSPECTORS);
    // T10 回避: I01 declared a conflict with every target, so it can never be in any group.
    for (let i = 1; i <= 6; i++) await write(h.store, 'inspector-I01', 'InspectorConflictDeclared', { inspectorId: 'I01', uscc: makeUscc(i), reason: '亲属关系 / relative' });
    // T9: I06's qualification expired before the draw date.
    await write(h.store, 'inspector-I06', 'InspectorUpdated', { inspectorId: 'I06', changes: { qualification: { number: 'Q-I06', validFrom: '2020-01-01', validTo: '2025-12-31' } } });
  });
  afterEach(async () => h.close());

  const reveal = async (drawId: string) => {
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
  };

  /** The target draw of a task (T3: created first), revealed and completed; returns the task id. */
  const drawTargets = async (label: string, count: number): Promise<string> => {
    const req = await withTask(h, { task: label, item: 'ITEM-K1', classes: [{ name: 'all', filter: {}, quota: { count } }], entropy: witnessPlan(), revealDeadline: DEADLINE });
    const t = await h.service.commitTargets(meta(), req);
    await reveal(t);
    await h.service.complete(meta(), t);
    return req.task;
  };

  const drawGroups = async (): Promise<{ task: string; drawId: string; groups: GroupsResult['groups'] }> => {
    const task = await drawTargets('T-G', 3);
    const drawId = await h.service.commitInspectorGroups(meta(), {
      task, inspectors: { department: ['dept-a'] }, groupSize: 2, maxLoad: 2, entropy: witnessPlan(), revealDeadline: DEADLINE,
    });
    await reveal(drawId);
    const r = await h.service.complete(meta(), drawId);
    if (!('groups' in r.result)) throw new Error('groups expected');
    return { task, drawId, groups: r.result.groups };
  };

  it('T7, T9, T10: each drawn target gets a group of two with a leader, never a recused or unqualified inspector', async () => {
    const { drawId, groups } = await drawGroups();
    expect(groups).toHaveLength(3);
    for (const g of groups) {
      expect(g.members).toHaveLength(2);
      expect(g.leader).toBe(g.members[0]);
      expect(g.members).not.toContain('I01');
      expect(g.members).not.toContain('I06');
    }
    const view = await h.service.get(drawId);
    expect((view.commitment as { recusals: unknown[] }).recusals).toHaveLength(3);
    expect(verifyRecord(JSON.parse(JSON.stringify(await h.service.exportRecord(drawId))))).toEqual({ ok: true });
  });

  it('V3 (issue 7 §1): a replacement is determined when committed (it reveals no entropy): abandon is refused, it can only complete', async () => {
    const { task, groups } = await drawGroups();
    const g = groups[0]!;
    const id = await h.service.commitReplacement(meta(actors.principalA), {
      task, purpose: 'inspectorGroups', replacements: [{ target: g.target, member: g.members[1]!, reason: 'health' }],
    });
    expect((await h.service.get(id)).determination).toBe('determined');
    expect((await rejected(h.service.abandon(meta(actors.principalA), id, { reason: '换一个结果 / another outcome' }))).details).toMatchObject({ rule: 'V3', reason: 'DRAW_DETERMINED' });
    await h.service.complete(meta(actors.principalA), id);
    expect((await h.service.get(id)).status).toBe('completed');
  });

  it('T10: a replacement needs a permitted reason and the principal\'s approval, and is drawn from the remaining inspectors', async () => {
    const { task, groups } = await drawGroups();
    const g = groups[0]!;
    const replaced = g.members[1]!;
    const req = { task, purpose: 'inspectorGroups' as const, replacements: [{ target: g.target, member: replaced, reason: 'health' as const }] };
    expect((await rejected(h.service.commitReplacement(meta(actors.opA), req))).details).toMatchObject({ rule: 'T10' });
    const id = await h.service.commitReplacement(meta(actors.principalA), req);
    expect(id).toBe(`${task}.inspectorGroups.2`);
    const c = (await h.service.get(id)).commitment as { replacements: { reason: string; approver: string }[] };
    expect(c.replacements[0]).toMatchObject({ reason: 'health', approver: actors.principalA.userId });
    const record = await h.service.complete(meta(actors.principalA), id);
    if (!('groups' in record.result)) throw new Error('groups expected');
    const after = record.result.groups.find((x) => x.target === g.target)!;
    expect(after.members).not.toContain(replaced);
    expect(after.members).toHaveLength(2);
    expect(after.members.every((m) => m !== 'I01' && m !== 'I06')).toBe(true);
    // The follow-up's record carries its parent and verifies as a whole (V4).
    const exported = JSON.parse(JSON.stringify(await h.service.exportRecord(id))) as { parent?: unknown };
    expect(exported.parent).toBeDefined();
    expect(verifyRecord(exported)).toEqual({ ok: true });
  });

  it('T10: replacing someone who is not in that group is refused at commit', async () => {
    const { task, groups } = await drawGroups();
    const outsider = INSPECTORS.find((i) => !groups[0]!.members.includes(i))!;
    const e = await rejected(h.service.commitReplacement(meta(actors.principalA), {
      task, purpose: 'inspectorGroups', replacements: [{ target: groups[0]!.target, member: outsider, reason: 'postChange' }],
    }));
    expect(e.details).toMatchObject({ rule: 'T10' });
  });

  it('T8: where local inspectors run short, the group is drawn jointly with the neighbouring region\'s inspectors', async () => {
    await seedInspectors(h.store, ['N01', 'N02', 'N03', 'N04'], 'dept-b');
    const task = await drawTargets('T-J', 3);
    // Local: I02–I05 are eligible (I01 recused, I06 unqualified); with maxLoad 1 they cover two groups of two.
    const drawId = await h.service.commitInspectorGroups(meta(), {
      task, inspectors: { department: ['dept-a'] }, neighbours: { department: ['dept-b'] }, groupSize: 2, maxLoad: 1, entropy: witnessPlan(), revealDeadline: DEADLINE,
    });
    await reveal(drawId);
    const r = await h.service.complete(meta(), drawId);
    if (!('groups' in r.result)) throw new Error('groups expected');
    expect(r.result.groups.map((g) => g.pool)).toEqual(['local', 'local', 'joint']);
    expect(r.result.groups[2]!.members.every((m) => m.startsWith('N'))).toBe(true);
    expect(r.result.unmatched).toEqual([]);
    expect(verifyRecord(JSON.parse(JSON.stringify(await h.service.exportRecord(drawId))))).toEqual({ ok: true });
  });

  it('L5: experts are drawn from the expert register; a principal extends and replaces in the expert draw (issue 8 §3)', async () => {
    for (const id of ['E1', 'E2', 'E3']) {
      await write(h.store, `expert-${id}`, 'ExpertRegistered', {
        expertId: id, name: `专家${id}`, department: 'dept-a', expertise: ['油品检测'], organisation: '质检院', title: '高级工程师', region: '南麻街道', status: 'active',
      });
    }
    const req = await withTask(h, { task: 'T-E', classes: [{ name: 'oil', filter: { expertise: ['油品检测'] }, quota: { count: 2 } }], entropy: witnessPlan(), revealDeadline: DEADLINE });
    const drawId = await h.service.commitExperts(meta(), req);
    expect(drawId).toBe(`${req.task}.experts.1`);
    await reveal(drawId);
    const r = await h.service.complete(meta(), drawId);
    expect('merged' in r.result && r.result.merged).toHaveLength(2);
    expect((await h.service.get(drawId)).counting).toBeNull();
    // Issue 8 §3: the principal extends the expert draw by the last expert, then replaces one for health (T10).
    const ext = await h.service.commitExtension(meta(actors.principalA), drawId, { additional: [{ class: 'oil', count: 1 }], reason: '评审需三名专家 / three experts needed' });
    const extended = await h.service.complete(meta(), ext);
    expect('merged' in extended.result && [...extended.result.merged].sort()).toEqual(['E1', 'E2', 'E3']);
    const out = 'merged' in extended.result ? extended.result.merged[0]! : '';
    const repl = await h.service.replaceInDraw(meta(actors.principalA), ext, { replacements: [{ class: 'oil', member: out, reason: 'health' }] });
    const replaced = await h.service.complete(meta(), repl);
    // The shuffle is exhausted: the slot is removed (spec §7.4), never refilled with a replaced member.
    expect('merged' in replaced.result && replaced.result.merged).toHaveLength(2);
    expect('merged' in replaced.result && replaced.result.merged).not.toContain(out);
    expect(verifyRecord(JSON.parse(JSON.stringify(replaced)))).toEqual({ ok: true });
  });
  it("T10: an expert's declared conflict with a target is a recusal: the expert is never drawn for it", async () => {
    for (const id of ['E1', 'E2']) {
      await write(h.store, `expert-${id}`, 'ExpertRegistered', {
        expertId: id, name: `专家${id}`, department: 'dept-a', expertise: ['油品检测'], organisation: '质检院', title: '高级工程师', region: '南麻街道', status: 'active',
      });
    }
    for (let i = 1; i <= 6; i++) await write(h.store, 'expert-E1', 'ExpertConflictDeclared', { expertId: 'E1', uscc: makeUscc(i), reason: '曾任顾问 / former adviser' });
    const task = await drawTargets('T-X', 2);
    const drawId = await h.service.commitInspectorGroups(meta(), {
      task, inspectors: { department: ['dept-a'] }, groupSize: 2, maxLoad: 2, experts: { filter: { expertise: ['油品检测'] }, perTarget: 1, maxLoad: 5 },
      entropy: witnessPlan(), revealDeadline: DEADLINE,
    });
    const recusals = (await h.service.get(drawId)).commitment.recusals as { target: string; member: string }[];
    expect(recusals.filter((r) => r.member === 'E1')).toHaveLength(2);
    await reveal(drawId);
    const r = await h.service.complete(meta(), drawId);
    if (!('groups' in r.result)) throw new Error('groups expected');
    expect(r.result.groups.map((g) => g.experts)).toEqual([['E2'], ['E2']]);
  });
});
