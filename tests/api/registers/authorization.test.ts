import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
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
  return expectedFor(people[who], action, resourceDept);
}

function expectedFor(actor: Actor, action: WriteAction, resourceDept: string): 'allowed' | 'forbidden' {
  if (actor.role === 'admin') return 'allowed';
  if (actor.role === 'auditor' || actor.role === 'inspector') return 'forbidden';
  if (adminOnly.has(action)) return 'forbidden';
  return resourceDept === actor.department ? 'allowed' : 'forbidden';
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
    // The cast (op-a, op-b, …) is registered by the harness.
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
    const cast = Object.values(people);
    expect(own).toEqual(cast.filter((p) => p.department === 'dept-a').map((p) => p.userId).sort());
    expect(own).toContain('op-a');
    expect(own).not.toContain('op-b');
    expect(all).toEqual(cast.map((p) => p.userId).sort());
  });

  it('P1: the public item list does not name the publishing user; the history does, for signed-in readers', async () => {
    const pub = (await h.call('anonymous', 'GET', '/departments/dept-a/item-list')).json();
    expect(pub).not.toHaveProperty('publishedBy');
    const hist = await h.call('anonymous', 'GET', '/targets/' + ids.uscc + '/history');
    expect(hist.statusCode).toBe(401);
  });
});

/**
 * G3 (issue 7 §3): the same matrix for users whose standing changed after their token was
 * issued — deactivated, demoted (admin → auditor), moved (dept-a → dept-b) and revoked. Their old
 * tokens are refused everywhere (401, nothing written); a token issued after the change acts
 * with the new role and department only.
 */
describe('G3: the matrix for deactivated, demoted, moved and revoked users over HTTP', () => {
  let h: Harness;
  const renewed = new Map<'exAdmin' | 'mover', { bearer: string; actor: Actor }>();
  const changed: readonly (readonly ['leaver' | 'exAdmin' | 'mover' | 'revokedOp', string])[] = [
    ['leaver', 'userDeactivated'],
    ['exAdmin', 'userChanged'],
    ['mover', 'userChanged'],
    ['revokedOp', 'revoked'],
  ];
  beforeAll(async () => {
    h = await openHarness();
    // Every change goes through the API as the admin would make it; each holder used their token first.
    for (const who of ['leaver', 'exAdmin', 'mover', 'revokedOp'] as const) expect((await h.call(who, 'GET', '/targets')).statusCode).toBe(200);
    const steps = [
      await h.call('admin', 'POST', `/users/${people.leaver.userId}/deactivation`, { reason: '调离本局' }),
      await h.call('admin', 'PUT', `/users/${people.exAdmin.userId}/role`, { role: 'auditor', department: 'bureau' }),
      await h.call('admin', 'PUT', `/users/${people.mover.userId}/role`, { role: 'operator', department: 'dept-b' }),
      await h.call('admin', 'POST', `/tokens/${h.tokenId('revokedOp')}/revocation`, { reason: '令牌泄露 token leaked' }),
    ];
    for (const r of steps) expect(r.json().events, r.body).toHaveLength(1);
    const demoted = { ...people.exAdmin, role: 'auditor' } as const;
    const moved = { ...people.mover, department: 'dept-b' } as const;
    renewed.set('exAdmin', { bearer: await h.issue(demoted), actor: demoted });
    renewed.set('mover', { bearer: await h.issue(moved), actor: moved });
  });
  afterAll(async () => {
    await h.close();
  });

  for (const c of writeCases) {
    for (const [who, reason] of changed) {
      for (const dept of ['dept-a', 'dept-b']) {
        it(`G3: ${who} (${reason}) → ${c.command} on ${dept} with the old token: 401, nothing written`, async () => {
          const req = await c.prepare(h, dept, dept === 'dept-a' ? 'dept-b' : 'dept-a');
          const before = await h.head();
          const res = await h.call(who, req.method, req.url, req.body);
          expect(res.statusCode, res.body).toBe(401);
          expect(res.json()).toMatchObject({ error: 'UNAUTHENTICATED', details: { field: 'authorization', rule: 'G3', reason } });
          expect(await h.head()).toEqual(before);
        });
      }
    }
    for (const who of ['exAdmin', 'mover'] as const) {
      for (const dept of ['dept-a', 'dept-b']) {
        it(`G3: ${who} with a token issued after the change → ${c.command} on ${dept}: as the new role and department`, async () => {
          const { bearer, actor } = renewed.get(who)!;
          const outcome = expectedFor(actor, c.action, dept);
          const req = await c.prepare(h, dept, dept === 'dept-a' ? 'dept-b' : 'dept-a');
          const before = await h.head();
          const res = await h.callWith(bearer, req.method, req.url, req.body);
          if (outcome === 'allowed') {
            expect([200, 201], res.body).toContain(res.statusCode);
            expect((await h.head()).size).toBe(before.size + res.json().events.length);
          } else {
            expect(res.statusCode, res.body).toBe(403);
            expect(res.json()).toMatchObject({ error: 'FORBIDDEN', details: { rule: 'L4', action: c.action } });
            expect(await h.head()).toEqual(before);
          }
        });
      }
    }
  }

  for (const [who, reason] of changed) {
    it(`G3: ${who} (${reason}) cannot read with the old token either, not even a public page (401)`, async () => {
      for (const url of ['/targets', '/users', '/departments/dept-a/item-list', '/health']) {
        const res = await h.call(who, 'GET', url);
        expect(res.statusCode, `${url} ${res.body}`).toBe(401);
        expect(res.json().details.reason).toBe(reason);
      }
    });
  }
});
