import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../src/domain/uscc.js';
import { freshUscc, openHarness, standardBody, targetBody, type Harness } from './harness.js';

describe('the target registers over HTTP (L4, L6)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  describe('L6: unified social credit codes', () => {
    const body17 = '91370323MA3C00001';
    const good = body17 + usccCheckChar(body17);
    const wrongCheck = body17 + (usccCheckChar(body17) === '0' ? '1' : '0');

    it('L6: a code with a wrong check character is refused with 400, naming the field and position; nothing written', async () => {
      const before = await h.head();
      const res = await h.call('opA', 'POST', '/targets', targetBody(wrongCheck, 'dept-a'));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: '/uscc', rule: 'L6', reason: 'checkCharacter', position: 18 } });
      expect(res.json().messageZh).toContain('统一社会信用代码');
      expect(await h.head()).toEqual(before);
    });

    it('L6: lower case and forbidden letters are refused by the schema, naming body/uscc', async () => {
      for (const bad of [good.toLowerCase(), `${good.slice(0, 17)}`, `I${good.slice(1)}`]) {
        const res = await h.call('opA', 'POST', '/targets', targetBody(bad, 'dept-a'));
        expect(res.statusCode, bad).toBe(400);
        expect(res.json().details.field, bad).toMatch(/uscc/);
      }
    });

    it('L6: a malformed code in the URL is refused before anything runs', async () => {
      const res = await h.call('opA', 'PATCH', '/targets/not-a-code', { changes: { name: 'x' }, reason: 'r' });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.field).toBe('params/uscc');
      const bad = await h.call('opA', 'POST', `/targets/${wrongCheck}/status`, { status: 'unreachable', reason: 'r' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details).toMatchObject({ rule: 'L6', field: '/uscc' });
    });

    it('L6: a valid code is accepted (201) and readable', async () => {
      const res = await h.call('opA', 'POST', '/targets', targetBody(good, 'dept-a'));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ streamId: `target-${good}`, events: ['TargetRegistered'], revision: 0, replayed: false });
      const got = await h.call('inspectorA', 'GET', `/targets/${good}`);
      expect(got.json()).toEqual({ ...targetBody(good, 'dept-a'), specialRegisters: [] });
    });
  });

  it('L4: registering the same target twice is a 409 and writes nothing', async () => {
    const uscc = freshUscc();
    expect((await h.call('opA', 'POST', '/targets', targetBody(uscc, 'dept-a'))).statusCode).toBe(201);
    const before = await h.head();
    const res = await h.call('opA', 'POST', '/targets', targetBody(uscc, 'dept-a'));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('ALREADY_EXISTS');
    expect(await h.head()).toEqual(before);
  });

  it('L4 谁管辖、谁维护: after an approved transfer the new department maintains the target and the old one may not', async () => {
    const uscc = freshUscc();
    await h.call('opA', 'POST', '/targets', targetBody(uscc, 'dept-a'));
    const t = await h.call('opA', 'POST', `/targets/${uscc}/transfer`, { toDepartment: 'dept-b', reason: '迁址', approvedBy: 'pr-a', approvedOn: '2026-11-20' });
    expect(t.statusCode).toBe(200);
    expect(t.json().events).toEqual(['TargetTransferred']);
    const denied = await h.call('opA', 'PATCH', `/targets/${uscc}`, { changes: { name: '新名称' }, reason: 'r' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().details).toMatchObject({ rule: 'L4', department: 'dept-b' });
    const ok = await h.call('opB', 'PATCH', `/targets/${uscc}`, { changes: { name: '新名称' }, reason: 'r' });
    expect(ok.statusCode).toBe(200);
    expect((await h.call('auditor', 'GET', `/targets/${uscc}`)).json()).toMatchObject({ jurisdiction: 'dept-b', name: '新名称' });
  });

  it('L4: a special register admits a target only when it meets the current standard; membership shows in reads and filters', async () => {
    await h.call('opA', 'POST', '/special-registers', { registerId: 'fuel', department: 'dept-a', standard: standardBody('加油站专项库') });
    const member = freshUscc();
    const outsider = freshUscc();
    await h.call('opA', 'POST', '/targets', targetBody(member, 'dept-a'));
    await h.call('opA', 'POST', '/targets', { ...targetBody(outsider, 'dept-a'), industry: 'C1511' });
    const ok = await h.call('opA', 'POST', `/targets/${member}/special-registers`, { registerId: 'fuel' });
    expect(ok.statusCode).toBe(201);
    const refused = await h.call('opA', 'POST', `/targets/${outsider}/special-registers`, { registerId: 'fuel' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details).toMatchObject({ rule: 'L4', indicator: 'industry' });
    const missing = await h.call('opA', 'POST', `/targets/${member}/special-registers`, { registerId: 'no-such' });
    expect(missing.statusCode).toBe(404);
    const list = await h.call('auditor', 'GET', '/targets?specialRegister=fuel');
    expect(list.json().items.map((t: { uscc: string }) => t.uscc)).toEqual([member]);
    expect((await h.call('auditor', 'GET', '/special-registers')).json().items).toContainEqual(expect.objectContaining({ registerId: 'fuel', version: 1, members: 1 }));
    const removed = await h.call('opA', 'POST', `/targets/${member}/special-registers/fuel/removal`, { reason: '不再经营' });
    expect(removed.json().events).toEqual(['TargetRemovedFromSpecialRegister']);
    expect((await h.call('auditor', 'GET', '/targets?specialRegister=fuel')).json().total).toBe(0);
  });

  it('L4: revising a standard makes a new version of the special register', async () => {
    await h.call('opA', 'POST', '/special-registers', { registerId: 'food', department: 'dept-a', standard: standardBody('食品专项库') });
    const res = await h.call('opA', 'PUT', '/special-registers/food/standard', { standard: { ...standardBody('食品专项库'), supervisionRequirements: '每半年一次' }, reason: '上级要求' });
    expect(res.json().events).toEqual(['RegisterStandardRevised']);
    const hist = (await h.call('auditor', 'GET', '/special-registers/food/history')).json();
    expect(hist.events.map((e: { payload: { version: number } }) => e.payload.version)).toEqual([1, 2]);
    const one = (await h.call('inspectorA', 'GET', '/special-registers/food')).json();
    expect(one).toMatchObject({ registerId: 'food', department: 'dept-a', version: 2, standard: { supervisionRequirements: '每半年一次' }, members: 0 });
    expect((await h.call('inspectorA', 'GET', '/special-registers/none')).statusCode).toBe(404);
  });

  it('P1: the history of a target is its whole stream, attributed and hashed, oldest first', async () => {
    const uscc = freshUscc();
    await h.call('opA', 'POST', '/targets', targetBody(uscc, 'dept-a'));
    await h.call('principalA', 'PATCH', `/targets/${uscc}`, { changes: { riskLevel: 'C' }, reason: '风险评估' });
    await h.call('opA', 'POST', `/targets/${uscc}/status`, { status: 'unreachable', reason: '查无下落' });
    const res = await h.call('auditor', 'GET', `/targets/${uscc}/history`);
    expect(res.statusCode).toBe(200);
    const { streamId, events } = res.json();
    expect(streamId).toBe(`target-${uscc}`);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['TargetRegistered', 'TargetUpdated', 'TargetStatusChanged']);
    expect(events.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2]);
    expect(events[1].actor).toEqual({ userId: 'pr-a', role: 'principal', department: 'dept-a' });
    expect(events[1].payload).toEqual({ uscc, changes: { riskLevel: 'C' }, reason: '风险评估' });
    for (const e of events) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = await h.rt.store.readStream(`target-${uscc}`);
    expect(events.map((e: { hash: string }) => e.hash)).toEqual(stored.map((e) => e.hash));
    expect((await h.call('auditor', 'GET', `/targets/${freshUscc()}/history`)).statusCode).toBe(404);
  });

  it('a change that changes nothing is a 200 no-op with no position', async () => {
    const uscc = freshUscc();
    await h.call('opA', 'POST', '/targets', targetBody(uscc, 'dept-a'));
    const res = await h.call('opA', 'PATCH', `/targets/${uscc}`, { changes: { scale: 'small' }, reason: 'r' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ streamId: `target-${uscc}`, events: [], position: null, revision: null, replayed: false });
  });

  it('Idempotency-Key: a retried write answers its original result and writes nothing new; the key cannot write elsewhere; keys are per user; a bad key is refused', async () => {
    const uscc = freshUscc();
    const key = { 'idempotency-key': 'retry-0001-abcdef' };
    const first = await h.call('opA', 'POST', '/targets', targetBody(uscc, 'dept-a'), key);
    expect(first.statusCode).toBe(201);
    const before = await h.head();
    const again = await h.call('opA', 'POST', '/targets', targetBody(uscc, 'dept-a'), key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(await h.head()).toEqual(before);
    const elsewhere = await h.call('opA', 'POST', '/targets', targetBody(freshUscc(), 'dept-a'), key);
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().error).toBe('IDEMPOTENCY_CONFLICT');
    expect(await h.head()).toEqual(before);
    const otherUser = await h.call('principalA', 'POST', '/targets', targetBody(freshUscc(), 'dept-a'), key);
    expect(otherUser.statusCode).toBe(201);
    const afterOther = await h.head();
    const bad = await h.call('opA', 'POST', '/targets', targetBody(freshUscc(), 'dept-a'), { 'idempotency-key': 'no spaces allowed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.field).toBe('headers/idempotency-key');
    expect(await h.head()).toEqual(afterOther);
  });

  it('T3: GET /targets applies the pool filter (AND across fields, OR within one), counts all matches and pages by cursor', async () => {
    const mk = async (over: Record<string, unknown>) => {
      const uscc = freshUscc();
      await h.call('admin', 'POST', '/targets', { ...targetBody(uscc, 'dept-q'), ...over });
      return uscc;
    };
    const a = await mk({ scale: 'micro', industry: 'F5265' });
    const b = await mk({ scale: 'small', industry: 'F5211' });
    const c = await mk({ scale: 'micro', industry: 'C1511' });
    const d = await mk({ scale: 'micro', industry: 'F5265', flags: { dishonest: true, abnormalOperation: false, keyIndustry: false, complaintCount: 3 } });
    await h.call('admin', 'POST', `/targets/${a}/status`, { status: 'deregistered', reason: '注销' });

    const get = async (q: string) => (await h.call('auditor', 'GET', `/targets?jurisdiction=dept-q&${q}`)).json();
    expect((await get('')).items.map((t: { uscc: string }) => t.uscc)).toEqual([b, c, d].sort());
    expect((await get('industry=F52&scale=micro')).items.map((t: { uscc: string }) => t.uscc)).toEqual([d]);
    expect((await get('industry=F52,C')).total).toBe(3);
    expect((await get('status=active,deregistered')).total).toBe(4);
    expect((await get('dishonest=true')).items.map((t: { uscc: string }) => t.uscc)).toEqual([d]);
    expect((await get('minComplaints=1')).total).toBe(1);

    const p1 = await get('limit=2');
    expect(p1).toMatchObject({ total: 3 });
    expect(p1.items).toHaveLength(2);
    const p2 = await get(`limit=2&after=${p1.nextCursor}`);
    expect(p2.items).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect([...p1.items, ...p2.items].map((t: { uscc: string }) => t.uscc)).toEqual([b, c, d].sort());
  });

  it('T3: an invalid filter is a 400 naming the query field; an empty list is refused, not read as "no constraint"', async () => {
    const bad = await h.call('auditor', 'GET', '/targets?industry=f52');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.field).toBe('querystring/industry/0');
    const unknown = await h.call('auditor', 'GET', '/targets?colour=red');
    expect(unknown.statusCode).toBe(400);
    const empty = await h.call('auditor', 'GET', '/targets?scale=');
    expect(empty.statusCode).toBe(400);
  });
});

describe('read-your-writes', () => {
  it('L4: a GET right after an acknowledged POST sees it, without waiting for the live projection', async () => {
    const h = await openHarness();
    try {
      const uscc = freshUscc();
      const auth = { authorization: h.bearer('opA') };
      const post = await h.app.inject({ method: 'POST', url: '/targets', headers: auth, payload: targetBody(uscc, 'dept-a') });
      expect(post.statusCode).toBe(201);
      // h.app.inject directly: the harness's own catch-up is bypassed, and the runner was never started.
      const get = await h.app.inject({ method: 'GET', url: `/targets/${uscc}`, headers: auth });
      expect(get.statusCode, get.body).toBe(200);
    } finally {
      await h.close();
    }
  });
});
