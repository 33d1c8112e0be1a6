import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { actorOf } from '../../src/api/auth.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runCli } from './run-cli.js';

/**
 * The CLI runs as its own process and appends to the ledger the server is serving: the server's
 * read models learn of it only when their subscription next polls. These tests ask the server
 * before that can happen (its projection runner is not even started).
 */
describe('G3: suiji token create|list|revoke against a running API instance', () => {
  const open: { rt: Runtime; app: FastifyInstance; remove: () => void }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.app.close();
      await o.rt.close();
      o.remove();
    }
  });

  async function server(): Promise<{ dir: string; rt: Runtime; app: FastifyInstance }> {
    const d = tempDir('suiji-cli-tokens-');
    const rt = await openRuntime(d.path);
    const app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: false });
    app.get('/whoami', async (request) => actorOf(request));
    open.push({ rt, app, remove: d.remove });
    return { dir: d.path, rt, app };
  }
  const whoami = (app: FastifyInstance, token: string) => app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${token}` } });

  it('G3 regression (a token just created by the CLI was refused, 401, for about half a second): it works on the very next request', async () => {
    const { dir, rt, app } = await server();
    const created = runCli(['token', 'create', '--user', 'root', '--role', 'admin', '--department', 'bureau', '--data', dir]);
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim();
    // The server's read models have not seen the CLI's append.
    expect(await rt.projections.lag()).toBeGreaterThan(0);
    const res = await whoami(app, token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ userId: 'root', role: 'admin', department: 'bureau' });

    // The same for a registered user, whose token is judged on the ledger alone.
    const registered = await app.inject({ method: 'POST', url: '/users', headers: { authorization: `Bearer ${token}` }, payload: { userId: 'clerk', name: '办事员', role: 'operator', department: 'dept-a' } });
    expect(registered.statusCode, registered.body).toBe(201);
    const clerk = runCli(['token', 'create', '--user', 'clerk', '--role', 'operator', '--department', 'dept-a', '--data', dir]);
    expect(clerk.status, clerk.stderr).toBe(0);
    expect(await rt.projections.lag()).toBeGreaterThan(0);
    expect((await whoami(app, clerk.stdout.trim())).json()).toEqual({ userId: 'clerk', role: 'operator', department: 'dept-a' });
  });

  it('G3: suiji token revoke in another process refuses the token on the next request; list shows it revoked, never a secret', async () => {
    const { dir, app } = await server();
    const token = runCli(['token', 'create', '--user', 'root', '--role', 'admin', '--department', 'bureau', '--label', '值班电脑', '--data', dir]).stdout.trim();
    expect((await whoami(app, token)).statusCode).toBe(200);
    const tokenId = /^sj_([a-z0-9]{16})\./.exec(token)![1]!;

    const revoked = runCli(['token', 'revoke', tokenId, '--reason', '令牌泄露', '--data', dir]);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(tokenId);
    const res = await whoami(app, token);
    expect(res.statusCode).toBe(401);
    expect(res.json().details.reason).toBe('revoked');

    const list = runCli(['token', 'list', '--data', dir]);
    expect(list.status, list.stderr).toBe(0);
    const [header, row, ...rest] = list.stdout.trim().split('\n');
    expect(header).toBe('tokenId\tuserId\trole\tdepartment\tstatus\tissuedAt\tlabel\trevokedReason');
    expect(rest).toEqual([]);
    expect(row!.split('\t')).toEqual([tokenId, 'root', 'admin', 'bureau', 'revoked', expect.stringMatching(/^\d{4}-\d\d-\d\dT/), '值班电脑', '令牌泄露']);
    expect(list.stdout).not.toContain(token.split('.')[1]);
    // Revoking again is harmless and says so.
    expect(runCli(['token', 'revoke', tokenId, '--reason', '再次', '--data', dir]).stdout).toContain('already revoked');
  });

  it('suiji token revoke refuses a malformed id, an unknown id and a missing reason with coded errors, writing nothing', async () => {
    const { dir, rt } = await server();
    runCli(['token', 'create', '--user', 'root', '--role', 'admin', '--department', 'bureau', '--data', dir]);
    const before = await rt.store.head();
    const cases: [string[], string, string][] = [
      [['token', 'revoke', 'sj_abc', '--reason', 'x'], 'VALIDATION_FAILED', 'TOKEN_ID'],
      [['token', 'revoke', 'zzzzzzzzzzzzzzzz', '--reason', 'x'], 'NOT_FOUND', 'tokenId'],
      [['token', 'revoke', 'zzzzzzzzzzzzzzzz'], 'VALIDATION_FAILED', '--reason'],
    ];
    for (const [args, code, field] of cases) {
      const r = runCli([...args, '--data', dir]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(code);
      expect(r.stderr).toContain(field);
    }
    expect(await rt.store.head()).toEqual(before);
  });
});
