import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommandTypes } from '../../../src/domain/registers/index.js';
import { expertBody, freshId, freshUscc, inspectorBody, item, openHarness, people, standardBody, targetBody, type Harness, type Who } from './harness.js';
import { writeCases, type WriteAction } from './write-cases.js';

const callers: readonly Who[] = ['admin', 'opA', 'principalA', 'inspectorA', 'auditor', 'anonymous'];
const adminOnly: ReadonlySet<WriteAction> = new Set(['department.manage', 'user.manage']);

/**
 * The policy as the brief states it (G3, L4 谁管辖、谁维护), written out here rather than
 * computed by src/domain/access.ts, so a change to either one shows up as a failure.
 */
function expectedWrite(who: Who, action: WriteAction, resourceDept: string): 'allowed' | 'forbidden' | 'unauthenticated' {
  if (who === 'anonymous') return 'unauthenticated';
  if (who === 'admin') return 'allowed';
  if (who === 'auditor' || who === 'inspectorA') return 'forbidden';
  if (adminOnly.has(action)) return 'forbidden';
  return resourceDept === people[who].department ? 'allowed' : 'forbidden';
}

describe('G3/L4: the role × department × action matrix over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('G3: the matrix covers every register command', () => {
    expect(writeCases.map((c) => c.command).sort()).toEqual([...registerCommandTypes].sort());
  });

  for (const c of writeCases) {
    for (const who of callers) {
      for (const dept of ['dept-a', 'dept-b']) {
        const outcome = expectedWrite(who, c.action, dept);
        const scope = dept === 'dept-a' ? 'own department' : 'another department';
        it(`L4: ${who} → ${c.command} (${c.action}) on ${scope}: ${outcome}`, async () => {
          const req = await c.prepare(h, dept, dept === 'dept-a' ? 'dept-b' : 'dept-a');
          const before = await h.head();
          const res = await h.call(who, req.method, req.url, req.body);
          const body = res.json();
          if (outcome === 'allowed') {
            expect([200, 201], res.body).toContain(res.statusCode);
            expect(body.events.length, res.body).toBeGreaterThan(0);
            expect((await h.head()).size).toBe(before.size + body.events.length);
            return;
          }
          if (outcome === 'unauthenticated') {
            expect(res.statusCode, res.body).toBe(401);
            expect(body.error).toBe('UNAUTHENTICATED');
          } else {
            expect(res.statusCode, res.body).toBe(403);
            expect(body).toMatchObject({ error: 'FORBIDDEN', details: { rule: 'L4', action: c.action } });
            expect(body.messageZh).toContain('L4');
          }
          // A refused request writes nothing: the ledger head (size and Merkle root) is unchanged.
          expect(await h.head()).toEqual(before);
        });
      }
    }
  }
});

describe('G3/L4: reads over HTTP', () => {
  let h: Harness;
  const ids = { uscc: freshUscc(), inspector: freshId('in'), expert: freshId('ex'), register: freshId('sr') };
  beforeAll(async () => {
    h = await openHarness();
    await h.seed({ type: 'RegisterUser', data: { userId: 'op-a', name: '操作员甲', role: 'operator', department: 'dept-a' } });
    await h.seed({ type: 'RegisterUser', data: { userId: 'op-b', name: '操作员乙', role: 'operator', department: 'dept-b' } });
    await h.seed({ type: 'RegisterTarget', data: targetBody(ids.uscc, 'dept-a') });
    await h.seed({ type: 'RegisterInspector', data: inspectorBody(ids.inspector, 'dept-a') });
    await h.seed({ type: 'RegisterExpert', data: expertBody(ids.expert, 'dept-a') });
    await h.seed({ type: 'DefineSpecialRegister', data: { registerId: ids.register, department: 'dept-a', standard: standardBody('加油站') } });
    await h.seed({ type: 'PublishItemList', data: { departmentId: 'dept-a', items: [item('it-1')], reason: '首版' } });
    await h.seed({ type: 'PublishItemList', data: { departmentId: 'dept-a', items: [item('it-1'), item('it-2')], reason: '增补' } });
  });
  afterAll(async () => {
    await h.close();
  });

  const registerReads = () => [
    '/targets',
    `/targets/${ids.uscc}`,
    `/targets/${ids.uscc}/history`,
    '/inspectors',
    `/inspectors/${ids.inspector}`,
    `/inspectors/${ids.inspector}/history`,
    '/experts',
    `/experts/${ids.expert}`,
    `/experts/${ids.expert}/history`,
    '/special-registers',
    `/special-registers/${ids.register}`,
    `/special-registers/${ids.register}/history`,
    '/departments',
    '/departments/dept-a',
    '/departments/dept-a/history',
  ];
  const publicReads = ['/departments/dept-a/item-list', '/departments/dept-a/item-list/versions', '/departments/dept-a/item-list/versions/1', '/departments/dept-a/item-list/diff?from=1&to=2'];

  for (const who of callers) {
    it(`L4: ${who} reads the registers: ${who === 'anonymous' ? '401' : '200'}; auditors read all`, async () => {
      for (const url of registerReads()) {
        const res = await h.call(who, 'GET', url);
        expect(res.statusCode, `${url} ${res.body}`).toBe(who === 'anonymous' ? 401 : 200);
      }
    });

    it(`P2/L1: ${who} reads the published item list without restriction`, async () => {
      for (const url of publicReads) {
        const res = await h.call(who, 'GET', url);
        expect(res.statusCode, `${url} ${res.body}`).toBe(200);
      }
    });
  }

  const userReads: readonly [Who, string, number][] = [
    ['admin', '/users', 200],
    ['auditor', '/users', 200],
    ['auditor', '/users?department=dept-b', 200],
    ['opA', '/users', 200],
    ['opA', '/users?department=dept-a', 200],
    ['opA', '/users?department=dept-b', 403],
    ['principalA', '/users?department=dept-b', 403],
    ['opA', '/users/op-a/history', 200],
    ['opA', '/users/op-b/history', 403],
    ['auditor', '/users/op-b/history', 200],
    ['inspectorA', '/users', 403],
    ['anonymous', '/users', 401],
  ];
  for (const [who, url, status] of userReads) {
    it(`G3/L4: ${who} GET ${url} → ${status}`, async () => {
      const res = await h.call(who, 'GET', url);
      expect(res.statusCode, res.body).toBe(status);
      if (status === 403) expect(res.json().details).toMatchObject({ rule: 'L4', action: 'user.read' });
    });
  }

  it('G3: an operator listing users sees only their own department; an auditor sees all', async () => {
    const own = (await h.call('opA', 'GET', '/users')).json().items.map((u: { userId: string }) => u.userId);
    const all = (await h.call('auditor', 'GET', '/users')).json().items.map((u: { userId: string }) => u.userId);
    expect(own).toEqual(['op-a']);
    expect(all).toEqual(['op-a', 'op-b']);
  });

  it('P1: the public item list does not name the publishing user; the history does, for signed-in readers', async () => {
    const pub = (await h.call('anonymous', 'GET', '/departments/dept-a/item-list')).json();
    expect(pub).not.toHaveProperty('publishedBy');
    const hist = await h.call('anonymous', 'GET', '/targets/' + ids.uscc + '/history');
    expect(hist.statusCode).toBe(401);
  });
});
