import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { actorOf } from '../../src/api/auth.js';
import { mintToken } from '../../src/api/tokens.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { systemActor, type Actor } from '../../src/domain/actor.js';
import { routeRegisterCommand, type RegisterCommand } from '../../src/domain/registers/index.js';
import { tokenDecider, tokenStreamId } from '../../src/domain/tokens/index.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { tempDir } from '../helpers/temp-dir.js';

const boss = { userId: 'boss', role: 'admin', department: 'bureau' } as const;
const admin2 = { userId: 'admin-2', role: 'admin', department: 'bureau' } as const;
const opA = { userId: 'op-a', role: 'operator', department: 'dept-a' } as const;
const opB = { userId: 'op-b', role: 'operator', department: 'dept-b' } as const;
const meta = (actor: Actor = systemActor) => ({ actor, now: new Date().toISOString(), commandId: randomUUID() });

/** One API instance over a data dir: its own store connection, read models and fastify app. */
interface Instance {
  readonly rt: Runtime;
  readonly app: FastifyInstance;
}

async function instance(dir: string): Promise<Instance> {
  const rt = await openRuntime(dir);
  const app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: false });
  // The authenticated actor as the server sees it; no read model is consulted by this route.
  app.get('/whoami', async (request) => actorOf(request));
  return { rt, app };
}

describe('G3: tokens follow the user register, on every request and in every API instance', () => {
  let dir: ReturnType<typeof tempDir>;
  let a: Instance;
  const open: Instance[] = [];

  const seed = async (rt: Runtime, command: Omit<RegisterCommand, 'metadata'>, actor: Actor = systemActor) =>
    routeRegisterCommand({ ...command, metadata: meta(actor) } as RegisterCommand, (r) => handleCommand(rt.store, r));
  const register = (rt: Runtime, u: Actor) => seed(rt, { type: 'RegisterUser', data: { userId: u.userId, name: `用户 ${u.userId}`, role: u.role as 'admin', department: u.department } });
  const issue = async (rt: Runtime, u: Actor): Promise<{ bearer: string; tokenId: string }> => {
    const t = mintToken();
    await handleCommand(rt.store, {
      streamId: tokenStreamId(t.tokenId),
      decider: tokenDecider,
      command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId: u.userId, role: u.role as 'admin', department: u.department, secretHash: t.secretHash }, metadata: meta() },
    });
    return { bearer: `Bearer ${t.token}`, tokenId: t.tokenId };
  };
  const call = (i: Instance, bearer: string | null, method: InjectOptions['method'], url: string, body?: object) =>
    i.app.inject({ method, url, headers: bearer ? { authorization: bearer } : {}, ...(body ? { payload: body } : {}) });

  beforeEach(async () => {
    dir = tempDir('suiji-tokens-');
    a = await instance(dir.path);
    open.push(a);
    for (const u of [boss, admin2, opA, opB]) await register(a.rt, u);
  });
  afterEach(async () => {
    for (const i of open.splice(0)) {
      await i.app.close();
      await i.rt.close();
    }
    dir.remove();
  });

  it("G3 regression (a deactivated user's token still wrote, 201): after deactivation the token is refused (401) and writes nothing", async () => {
    const t = await issue(a.rt, admin2);
    const before = await call(a, t.bearer, 'POST', '/users', { userId: 'u-1', name: '王五', role: 'operator', department: 'dept-a' });
    expect(before.statusCode, before.body).toBe(201);
    const boss1 = await issue(a.rt, boss);
    expect((await call(a, boss1.bearer, 'POST', '/users/admin-2/deactivation', { reason: '调离本局' })).statusCode).toBe(200);
    const head = await a.rt.store.head();
    const after = await call(a, t.bearer, 'POST', '/users', { userId: 'u-2', name: '赵六', role: 'operator', department: 'dept-a' });
    expect(after.statusCode, after.body).toBe(401);
    expect(after.json()).toMatchObject({ error: 'UNAUTHENTICATED', details: { field: 'authorization', rule: 'G3', reason: 'userDeactivated' } });
    expect(after.json().messageZh).toContain('用户已停用');
    expect(await a.rt.store.head()).toEqual(head);
  });

  it('G3 regression (a former admin demoted to auditor still created admin users, 201): the old token is refused (401)', async () => {
    const old = await issue(a.rt, admin2);
    const b = await issue(a.rt, boss);
    expect((await call(a, b.bearer, 'PUT', '/users/admin-2/role', { role: 'auditor', department: 'bureau' })).statusCode).toBe(200);
    const head = await a.rt.store.head();
    const res = await call(a, old.bearer, 'POST', '/users', { userId: 'evil', name: '冒名', role: 'admin', department: 'bureau' });
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json().details.reason).toBe('userChanged');
    expect(await a.rt.store.head()).toEqual(head);
    // A token issued after the change acts as what the user now is: an auditor, who may not manage users.
    const renewed = await issue(a.rt, { ...admin2, role: 'auditor' });
    expect((await call(a, renewed.bearer, 'GET', '/whoami')).json()).toEqual({ userId: 'admin-2', role: 'auditor', department: 'bureau' });
    expect((await call(a, renewed.bearer, 'POST', '/users', { userId: 'evil', name: '冒名', role: 'admin', department: 'bureau' })).statusCode).toBe(403);
  });

  it('G3: a change and its reversal (admin → auditor → admin) still ends tokens issued before the change', async () => {
    const old = await issue(a.rt, admin2);
    await seed(a.rt, { type: 'ChangeUserRole', data: { userId: 'admin-2', role: 'auditor', department: 'bureau' } });
    await seed(a.rt, { type: 'ChangeUserRole', data: { userId: 'admin-2', role: 'admin', department: 'bureau' } });
    const res = await call(a, old.bearer, 'GET', '/whoami');
    expect(res.statusCode).toBe(401);
    expect(res.json().details.reason).toBe('userChanged');
    const renewed = await issue(a.rt, admin2);
    expect((await call(a, renewed.bearer, 'GET', '/whoami')).statusCode).toBe(200);
  });

  it('G3: a user moved to another department loses tokens issued before the move', async () => {
    const old = await issue(a.rt, opA);
    expect((await call(a, old.bearer, 'GET', '/whoami')).json()).toEqual(opA);
    await seed(a.rt, { type: 'ChangeUserRole', data: { userId: 'op-a', role: 'operator', department: 'dept-b' } });
    expect((await call(a, old.bearer, 'GET', '/whoami')).json().details.reason).toBe('userChanged');
  });

  it("G3: a token whose role or department is not the user's is refused (issued around the register)", async () => {
    const wrong = await issue(a.rt, { ...opA, role: 'principal' });
    const res = await call(a, wrong.bearer, 'GET', '/whoami');
    expect(res.statusCode).toBe(401);
    expect(res.json().details.reason).toBe('userMismatch');
  });

  it('G3: no window across API instances: a change made through one instance is enforced by another at once, before its read models have seen it', async () => {
    const b = await instance(dir.path);
    open.push(b);
    const op = await issue(a.rt, opA);
    const fresh = await issue(b.rt, opB);
    // Instance a never caught up on anything; its read models hold none of these events.
    expect(await a.rt.projections.lag()).toBeGreaterThan(0);
    expect((await call(a, fresh.bearer, 'GET', '/whoami')).json()).toEqual(opB);
    expect((await call(b, op.bearer, 'GET', '/whoami')).json()).toEqual(opA);

    const adminToken = await issue(a.rt, boss);
    expect((await call(a, adminToken.bearer, 'POST', '/users/op-a/deactivation', { reason: '离职' })).statusCode).toBe(200);
    const lagB = await b.rt.projections.lag();
    const refused = await call(b, op.bearer, 'GET', '/whoami');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().details.reason).toBe('userDeactivated');
    // Authentication did not need b's read models: they are exactly as far behind as before.
    expect(await b.rt.projections.lag()).toBe(lagB);

    expect((await call(b, adminToken.bearer, 'POST', `/tokens/${fresh.tokenId}/revocation`, { reason: '令牌泄露' })).statusCode).toBe(200);
    const revoked = await call(a, fresh.bearer, 'GET', '/whoami');
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().details.reason).toBe('revoked');
  });

  it('refuses wrong secrets and unknown ids without saying why (no reason until the secret matches)', async () => {
    const t = await issue(a.rt, opA);
    const wrong = `${t.bearer.slice(0, -1)}${t.bearer.endsWith('A') ? 'B' : 'A'}`;
    for (const bearer of [wrong, `Bearer ${mintToken().token}`]) {
      const res = await call(a, bearer, 'GET', '/whoami');
      expect(res.statusCode).toBe(401);
      expect(res.json().details).toEqual({ field: 'authorization' });
    }
  });
});

describe('G3: the bootstrap token', () => {
  let dir: ReturnType<typeof tempDir>;
  let a: Instance;
  const open: Instance[] = [];
  beforeEach(async () => {
    dir = tempDir('suiji-tokens-');
    a = await instance(dir.path);
    open.push(a);
  });
  afterEach(async () => {
    for (const i of open.splice(0)) {
      await i.app.close();
      await i.rt.close();
    }
    dir.remove();
  });

  const rootToken = async (rt: Runtime): Promise<string> => {
    const t = mintToken();
    await handleCommand(rt.store, {
      streamId: tokenStreamId(t.tokenId),
      decider: tokenDecider,
      command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId: 'root', role: 'admin', department: 'bureau', secretHash: t.secretHash }, metadata: meta() },
    });
    return `Bearer ${t.token}`;
  };
  const post = (bearer: string, url: string, payload: object) => a.app.inject({ method: 'POST', url, headers: { authorization: bearer }, payload });

  it('G3: works for an unregistered user until the first admin is registered, and never again after', async () => {
    const root = await rootToken(a.rt);
    expect((await post(root, '/users', { userId: 'op-1', name: '操作员', role: 'operator', department: 'dept-a' })).statusCode).toBe(201);
    expect((await post(root, '/users', { userId: 'alice', name: '管理员', role: 'admin', department: 'bureau' })).statusCode).toBe(201);
    const after = await post(root, '/users', { userId: 'op-2', name: '操作员', role: 'operator', department: 'dept-a' });
    expect(after.statusCode).toBe(401);
    expect(after.json().details.reason).toBe('userUnregistered');
    // Deactivating every admin does not reopen the bootstrap for old tokens.
    await routeRegisterCommand({ type: 'DeactivateUser', data: { userId: 'alice', reason: '离职' }, metadata: meta() }, (r) => handleCommand(a.rt.store, r));
    expect((await a.app.inject({ method: 'GET', url: '/whoami', headers: { authorization: root } })).statusCode).toBe(401);
  });

  it('G3: an admin registered by another process ends the bootstrap here at once', async () => {
    const root = await rootToken(a.rt);
    expect((await a.app.inject({ method: 'GET', url: '/whoami', headers: { authorization: root } })).statusCode).toBe(200);
    const other = await instance(dir.path);
    open.push(other);
    await routeRegisterCommand(
      { type: 'RegisterUser', data: { userId: 'alice', name: '管理员', role: 'admin', department: 'bureau' }, metadata: meta() },
      (r) => handleCommand(other.rt.store, r),
    );
    const res = await a.app.inject({ method: 'GET', url: '/whoami', headers: { authorization: root } });
    expect(res.statusCode).toBe(401);
    expect(res.json().details.reason).toBe('userUnregistered');
  });

  it('G3: the bootstrap admin who registers themselves keeps their token', async () => {
    const root = await rootToken(a.rt);
    expect((await post(root, '/users', { userId: 'root', name: '首位管理员', role: 'admin', department: 'bureau' })).statusCode).toBe(201);
    expect((await a.app.inject({ method: 'GET', url: '/whoami', headers: { authorization: root } })).json()).toEqual({ userId: 'root', role: 'admin', department: 'bureau' });
  });
});
