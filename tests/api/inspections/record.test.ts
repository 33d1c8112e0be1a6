import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../registers/harness.js';
import { openTaskHarness } from '../tasks/fixtures.js';
import { onSite, post, preCheck, refused, seedRecordWorld, signed, storedPhoto, url, type RecordWorld } from './fixtures.js';

interface View {
  state: { status: string; target: unknown; signatures: string[]; closedBy: string | null; onSite: { present: string[]; evidence: string[] } | null };
  events: { type: string; actor: string; payload: Record<string, unknown> }[];
}

describe('the on-site record of a visit (E1, E4, A3, E10)', () => {
  let h: Harness;
  let w: RecordWorld;
  beforeAll(async () => {
    h = await openTaskHarness();
    w = await seedRecordWorld(h);
  });
  afterAll(async () => h.close());

  const view = async (visitId: string): Promise<View> => {
    const r = await h.call('auditor', 'GET', url(visitId));
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as View;
  };
  /** Takes a visit through pre-check, on-site (I01, I02 present) and the target's signature. */
  const toSignatures = async (visitId: string): Promise<void> => {
    const photo = await storedPhoto(h, w.as.I01, visitId, `photo of ${visitId}`);
    expect((await post(h, w.as.I02, visitId, 'pre-check', preCheck)).statusCode).toBe(201);
    const o = await post(h, w.as.I01, visitId, 'on-site', onSite([photo]));
    expect(o.statusCode, o.body).toBe(201);
    expect((await post(h, w.as.I01, visitId, 'target-signature', signed)).statusCode).toBe(201);
  };

  it('E1: a non-member cannot write to a visit', async () => {
    const v = w.visits[0]!;
    // I09 is a qualified inspector of the executing unit, but not of this visit's group.
    const r = await refused(h, () => post(h, w.as.I09, v, 'pre-check', preCheck), 403);
    expect(r.json()).toMatchObject({ error: 'FORBIDDEN', details: { field: '/visitId', rule: 'E1', userId: 'I09' } });
    // Neither the unit's operator nor its principal writes the inspectors' record.
    await refused(h, () => post(h, h.bearer('opA'), v, 'pre-check', preCheck), 403);
    await refused(h, () => post(h, h.bearer('principalA'), v, 'pre-check', preCheck), 403);
    await refused(h, () => post(h, h.bearer('admin'), v, 'pre-check', preCheck), 403);
    await refused(h, () => post(h, w.as.I09, v, 'signatures'), 403);
  });

  it('E1: a visit that is not matched takes no record', async () => {
    const r = await refused(h, () => post(h, w.as.I01, w.unmatched, 'pre-check', preCheck), 422);
    expect(r.json()).toMatchObject({ details: { rule: 'E1', reason: 'VISIT_NOT_MATCHED' } });
    const missing = w.unmatched.replace(/-\d{8}-/, '-20990101-');
    await refused(h, () => post(h, w.as.I01, missing, 'pre-check', preCheck), 404);
    expect((await h.call('auditor', 'GET', url(missing))).statusCode).toBe(404);
  });

  it('E4: on-site needs two present members of the group', async () => {
    const v = w.visits[1]!;
    // E4's order: the pre-check comes first.
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([], { measures: [], rectification: { status: 'notNeeded' } })), 422)).json()).toMatchObject({ details: { rule: 'E4', reason: 'PRE_CHECK_MISSING' } });
    expect((await post(h, w.as.I01, v, 'pre-check', preCheck)).statusCode).toBe(201);
    const photo = await storedPhoto(h, w.as.I01, v, 'E4 photo');
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([photo], { present: ['I01'] })), 400)).json().details).toMatchObject({ field: expect.stringContaining('present') });
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([photo], { present: ['I01', 'I09'] })), 400)).json().details).toMatchObject({ field: '/present/1', rule: 'E4' });
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([photo], { present: ['I01', 'I01'] })), 400)).statusCode).toBe(400);
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([photo], { credentialsShown: false })), 400)).json().details).toMatchObject({ field: expect.stringContaining('credentialsShown') });
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([photo], { findings: [{ itemId: 'SW-01', answer: 'conforms' }] })), 400)).json().details).toMatchObject({ field: '/findings/0/itemId', rule: 'E4' });
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([photo], { findings: [{ itemId: 'SW-02', questionId: 'SW-01/q1', answer: 'conforms' }] })), 400)).json().details).toMatchObject({ field: '/findings/0/questionId', rule: 'E2' });
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([photo], { rectification: { status: 'ordered' } })), 400)).json().details).toMatchObject({ field: '/rectification/dueDate', rule: 'E4' });
    const ok = await post(h, w.as.I01, v, 'on-site', onSite([photo], { present: ['I02', 'I03'] }));
    expect(ok.statusCode, ok.body).toBe(201);
    const s = await view(v);
    expect(s.state).toMatchObject({ status: 'onSite', onSite: { present: ['I02', 'I03'], evidence: [photo] } });
    // A3: each event names the token's user who wrote it.
    expect(s.events.map((e) => [e.type, e.actor])).toEqual([['PreCheckRecorded', 'I01'], ['OnSiteRecorded', 'I01']]);
    expect((await refused(h, () => post(h, w.as.I02, v, 'on-site', onSite([photo])), 422)).json()).toMatchObject({ details: { reason: 'ON_SITE_RECORDED' } });
  });

  it('E10: on-site evidence must name a stored blob', async () => {
    const v = w.visits[2]!;
    expect((await post(h, w.as.I03, v, 'pre-check', preCheck)).statusCode).toBe(201);
    const unknown = 'ab'.repeat(32);
    const r = await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([unknown])), 400);
    expect(r.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: '/evidence/0', rule: 'E10' } });
    await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite(['not-a-hash'])), 400);
    // "evidence taken" with no evidence listed says two different things.
    expect((await refused(h, () => post(h, w.as.I01, v, 'on-site', onSite([])), 400)).json().details).toMatchObject({ field: '/evidence', rule: 'E10' });
    const photo = await storedPhoto(h, w.as.I02, v, 'E10 photo');
    expect((await post(h, w.as.I01, v, 'on-site', onSite([photo]))).statusCode).toBe(201);
  });

  it('E4: a refusal to sign is recorded with a witness', async () => {
    const v = w.visits[2]!; // on-site recorded by the E10 test
    await refused(h, () => post(h, w.as.I01, v, 'target-signature', { refused: {} }), 400);
    await refused(h, () => post(h, w.as.I01, v, 'target-signature', { refused: { witness: { name: '赵六' } } }), 400);
    await refused(h, () => post(h, w.as.I01, v, 'target-signature', { ...signed, refused: { witness: { name: '赵六', idNote: '社区网格员' } } }), 400);
    // Inspectors sign after the target's answer, not before.
    expect((await refused(h, () => post(h, w.as.I01, v, 'signatures'), 422)).json()).toMatchObject({ details: { rule: 'E4', reason: 'TARGET_NOT_ANSWERED' } });
    const r = await post(h, w.as.I02, v, 'target-signature', { refused: { witness: { name: '赵六', idNote: '社区网格员，身份证尾号 0312' } } });
    expect(r.statusCode, r.body).toBe(201);
    const s = await view(v);
    expect(s.state.target).toEqual({ refused: { witness: { name: '赵六', idNote: '社区网格员，身份证尾号 0312' } } });
    expect(s.events.at(-1)).toMatchObject({ type: 'TargetSignatureRefused', actor: 'I02' });
    expect((await refused(h, () => post(h, w.as.I01, v, 'target-signature', signed), 422)).json()).toMatchObject({ details: { reason: 'TARGET_ANSWERED' } });
  });

  it('A3: an inspector signs only with their own token', async () => {
    const v = w.visits[2]!;
    // A name in a body signs nothing for that name: the signature is the token's user's.
    const r = await post(h, w.as.I02, v, 'signatures', { inspectorId: 'I01' });
    expect(r.statusCode, r.body).toBe(201);
    let s = await view(v);
    expect(s.state.signatures).toEqual(['I02']);
    expect(s.events.at(-1)).toMatchObject({ type: 'InspectorSigned', actor: 'I02', payload: { inspectorId: 'I02' } });
    // A repeated signature is counted once and writes nothing.
    const before = await h.head();
    expect((await post(h, w.as.I02, v, 'signatures')).statusCode).toBe(200);
    expect(await h.head()).toEqual(before);
    // Someone of the unit outside the group cannot sign, even naming a member.
    await refused(h, () => post(h, h.bearer('principalA'), v, 'signatures', { inspectorId: 'I01' }), 403);
    s = await view(v);
    expect(s.state.signatures).toEqual(['I02']);
  });

  it('E1: only the leader closes; not before two signatures', async () => {
    const v = w.visits[0]!;
    await toSignatures(v);
    // Before any signature.
    expect((await refused(h, () => post(h, w.as.I01, v, 'closure'), 422)).json()).toMatchObject({ details: { rule: 'E4', reason: 'SIGNATURES_MISSING' } });
    expect((await post(h, w.as.I01, v, 'signatures')).statusCode).toBe(201);
    // I03 is a member but was not present on site (I01, I02 were): the signature does not count toward two.
    expect((await post(h, w.as.I03, v, 'signatures')).statusCode).toBe(201);
    expect((await refused(h, () => post(h, w.as.I01, v, 'closure'), 422)).json()).toMatchObject({ details: { reason: 'SIGNATURES_MISSING' } });
    expect((await post(h, w.as.I02, v, 'signatures')).statusCode).toBe(201);
    // A member who is not the leader cannot close.
    expect((await refused(h, () => post(h, w.as.I02, v, 'closure'), 403)).json()).toMatchObject({ details: { rule: 'E1' } });
    const closed = await post(h, w.as.I01, v, 'closure');
    expect(closed.statusCode, closed.body).toBe(201);
    const s = await view(v);
    expect(s.state).toMatchObject({ status: 'closed', closedBy: 'I01', signatures: ['I01', 'I03', 'I02'] });
    const [uscc] = v.match(/[0-9A-Z]{18}$/) ?? [];
    expect(s.events.at(-1)).toMatchObject({ type: 'InspectionRecordClosed', actor: 'I01', payload: { visitId: v, uscc, closedBy: 'I01' } });
    // A closed record no longer changes.
    expect((await refused(h, () => post(h, w.as.I03, v, 'signatures'), 422)).json()).toMatchObject({ details: { reason: 'RECORD_CLOSED' } });
  });

  it('A3: a retried command with the same idempotency key writes once', async () => {
    const v = w.visits[1]!; // on-site recorded
    const send = () => h.app.inject({ method: 'POST', url: url(v, 'target-signature'), headers: { authorization: w.as.I03, 'idempotency-key': 'target-sig-0001' }, payload: signed });
    expect((await send()).statusCode).toBe(201);
    const before = await h.head();
    const again = await send();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, events: ['TargetSigned'] });
    expect(await h.head()).toEqual(before);
  });

  it('G3/E1: a member who left the post (deactivated in the register) writes to the visit no more', async () => {
    const v = w.visits[1]!; // on-site recorded, the target signed: members may sign
    await h.seed({ type: 'ChangeInspectorStatus', data: { inspectorId: 'I03', status: 'left', reason: '调离岗位 / post change' } });
    const r = await refused(h, () => post(h, w.as.I03, v, 'signatures'), 403);
    expect(r.json()).toMatchObject({ error: 'FORBIDDEN', details: { rule: 'E1', userId: 'I03' } });
    // The others of the group still act.
    expect((await post(h, w.as.I02, v, 'signatures')).statusCode).toBe(201);
  });
});
