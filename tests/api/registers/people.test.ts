import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertBody, freshUscc, inspectorBody, openHarness, type Harness } from './harness.js';

const ids = (res: { json(): { items: { inspectorId?: string; expertId?: string }[] } }) => res.json().items.map((p) => p.inspectorId ?? p.expertId);

describe('L3/L5: the inspector and expert registers over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('L3: a department registers and maintains its inspectors; every change is an event in the entry\'s history', async () => {
    expect((await h.call('opA', 'POST', '/inspectors', inspectorBody('zhang', 'dept-a'))).statusCode).toBe(201);
    const upd = await h.call('opA', 'PATCH', '/inspectors/zhang', { changes: { qualification: { number: '鲁执-2', validFrom: '2026-01-01', validTo: '2029-12-31' } }, reason: '换证' });
    expect(upd.json().events).toEqual(['InspectorUpdated']);
    const st = await h.call('principalA', 'POST', '/inspectors/zhang/status', { status: 'suspended', reason: '借调' });
    expect(st.json().events).toEqual(['InspectorStatusChanged']);
    const got = (await h.call('inspectorA', 'GET', '/inspectors/zhang')).json();
    expect(got).toMatchObject({ inspectorId: 'zhang', status: 'suspended', qualification: { number: '鲁执-2' }, conflicts: [] });
    const hist = (await h.call('auditor', 'GET', '/inspectors/zhang/history')).json();
    expect(hist.events.map((e: { type: string }) => e.type)).toEqual(['InspectorRegistered', 'InspectorUpdated', 'InspectorStatusChanged']);
    expect(hist.events[2].actor.userId).toBe('pr-a');
  });

  it('L3: a qualification that ends before it starts is refused naming the field; nothing written', async () => {
    const before = await h.head();
    const res = await h.call('opA', 'POST', '/inspectors', { ...inspectorBody('bad', 'dept-a'), qualification: { number: 'x', validFrom: '2027-01-01', validTo: '2026-01-01' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toMatchObject({ field: '/qualification/validTo', rule: 'L3' });
    expect(await h.head()).toEqual(before);
  });

  it('L3: PUT /inspectors/:id registers, then only records what changed; a department change there is refused (a transfer)', async () => {
    const { inspectorId: _id, ...rest } = inspectorBody('li', 'dept-a');
    const created = await h.call('opA', 'PUT', '/inspectors/li', { ...rest, reason: '同步' });
    expect(created.statusCode).toBe(201);
    const same = await h.call('opA', 'PUT', '/inspectors/li', { ...rest, reason: '同步' });
    expect(same.json().events).toEqual([]);
    const moved = await h.call('opA', 'PUT', '/inspectors/li', { ...rest, department: 'dept-b', reason: '同步' });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().details).toMatchObject({ rule: 'L3', field: '/department' });
  });

  it('T9/T10: the inspector pool filter — qualified on a date, department, expertise, and no declared conflict with the target', async () => {
    const target = freshUscc();
    await h.call('opB', 'POST', '/inspectors', inspectorBody('wang', 'dept-b'));
    await h.call('opB', 'POST', '/inspectors', { ...inspectorBody('zhao', 'dept-b'), expertise: ['食品'], qualification: { number: 'q', validFrom: '2020-01-01', validTo: '2024-12-31' } });
    const declared = await h.call('opB', 'POST', '/inspectors/wang/conflicts', { uscc: target, reason: '近亲属任职' });
    expect(declared.statusCode).toBe(201);

    expect(ids(await h.call('auditor', 'GET', '/inspectors?department=dept-b'))).toEqual(['wang', 'zhao']);
    expect(ids(await h.call('auditor', 'GET', '/inspectors?department=dept-b&qualifiedOn=2026-06-01'))).toEqual(['wang']);
    expect(ids(await h.call('auditor', 'GET', '/inspectors?department=dept-b&expertise=食品,计量'))).toEqual(['zhao']);
    expect(ids(await h.call('auditor', 'GET', `/inspectors?department=dept-b&notConflictedWith=${target}`))).toEqual(['zhao']);
    expect((await h.call('auditor', 'GET', '/inspectors/wang')).json().conflicts).toEqual([target]);

    const withdrawn = await h.call('opB', 'POST', `/inspectors/wang/conflicts/${target}/withdrawal`, { reason: '亲属已离职' });
    expect(withdrawn.json().events).toEqual(['InspectorConflictWithdrawn']);
    expect(ids(await h.call('auditor', 'GET', `/inspectors?department=dept-b&notConflictedWith=${target}`))).toEqual(['wang', 'zhao']);
  });

  it('L6/T10: a conflict declared against an invalid credit code is refused naming the field', async () => {
    const bad = `${freshUscc().slice(0, 17)}I`;
    const res = await h.call('opB', 'POST', '/inspectors/wang/conflicts', { uscc: bad, reason: 'r' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toMatchObject({ field: '/uscc', rule: 'L6' });
  });

  it('L5: the expert register: register, update, status, conflicts, filters and history', async () => {
    expect((await h.call('opA', 'POST', '/experts', expertBody('chen', 'dept-a'))).statusCode).toBe(201);
    await h.call('opA', 'POST', '/experts', { ...expertBody('liu', 'dept-a'), expertise: ['电梯'] });
    const target = freshUscc();
    await h.call('opA', 'POST', '/experts/chen/conflicts', { uscc: target, reason: '曾任顾问' });
    await h.call('opA', 'PATCH', '/experts/liu', { changes: { title: '教授' }, reason: '职称变更' });
    expect(ids(await h.call('inspectorA', 'GET', '/experts?expertise=电梯'))).toEqual(['liu']);
    expect(ids(await h.call('inspectorA', 'GET', `/experts?notConflictedWith=${target}`))).toEqual(['liu']);
    await h.call('opA', 'POST', '/experts/liu/status', { status: 'left', reason: '退休' });
    expect(ids(await h.call('inspectorA', 'GET', '/experts'))).toEqual(['chen']);
    expect(ids(await h.call('inspectorA', 'GET', '/experts?status=active,left'))).toEqual(['chen', 'liu']);
    expect((await h.call('auditor', 'GET', '/experts/liu')).json()).toMatchObject({ title: '教授', status: 'left' });
    const hist = (await h.call('auditor', 'GET', '/experts/liu/history')).json();
    expect(hist.events.map((e: { type: string }) => e.type)).toEqual(['ExpertRegistered', 'ExpertUpdated', 'ExpertStatusChanged']);
    expect((await h.call('auditor', 'GET', '/experts/nobody')).statusCode).toBe(404);
  });

  it('L4: a department cannot maintain another department\'s inspectors or experts', async () => {
    const before = await h.head();
    expect((await h.call('opA', 'PATCH', '/inspectors/wang', { changes: { region: 'x' }, reason: 'r' })).statusCode).toBe(403);
    expect((await h.call('opB', 'POST', '/experts/chen/status', { status: 'left', reason: 'r' })).statusCode).toBe(403);
    expect(await h.head()).toEqual(before);
  });
});
