import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { actorOf } from '../../src/api/auth.js';
import { mintToken } from '../../src/api/tokens.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { tokenDecider, tokenStreamId } from '../../src/domain/tokens/index.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { tempDir } from '../helpers/temp-dir.js';

const admin = { userId: 'admin-1', role: 'admin', department: 'bureau' } as const;
const meta = () => ({ actor: admin, now: '2026-11-25T08:00:00.000Z', commandId: randomUUID() });

describe('bearer authentication', () => {
  let dir: ReturnType<typeof tempDir>;
  let rt: Runtime;
  let app: FastifyInstance;

  const issue = async (userId: string, role: 'operator' | 'auditor', department: string) => {
    const t = mintToken();
    await handleCommand(rt.store, {
      streamId: tokenStreamId(t.tokenId),
      decider: tokenDecider,
      command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId, role, department, secretHash: t.secretHash }, metadata: meta() },
    });
    await rt.projections.catchUp();
    return t;
  };

  beforeEach(async () => {
    dir = tempDir();
    rt = await openRuntime(dir.path);
    app = await buildApp({ store: rt.store, projections: rt.projections });
    app.get('/whoami', async (request) => actorOf(request));
  });
  afterEach(async () => {
    await app.close();
    await rt.close();
    dir.remove();
  });

  it('P1: a valid token authenticates as its user, role and department', async () => {
    const t = await issue('op-7', 'operator', 'dept-market');
    const res = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${t.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ userId: 'op-7', role: 'operator', department: 'dept-market' });
  });

  it('stores only the SHA-256 of the secret, never the token', async () => {
    const t = await issue('op-7', 'operator', 'dept-market');
    const all = JSON.stringify(await rt.store.readAll());
    expect(all).not.toContain(t.token.split('.')[1]);
    expect(all).toContain(t.secretHash);
  });

  it('refuses a wrong secret, an unknown id, a malformed header, and a revoked token with 401', async () => {
    const t = await issue('op-7', 'operator', 'dept-market');
    const wrong = `${t.token.slice(0, -1)}${t.token.endsWith('A') ? 'B' : 'A'}`;
    const other = mintToken();
    for (const authorization of [`Bearer ${wrong}`, `Bearer ${other.token}`, 'Basic abc', 'Bearer', `Bearer ${t.token} x`]) {
      const res = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().error).toBe('UNAUTHENTICATED');
    }
    await handleCommand(rt.store, {
      streamId: tokenStreamId(t.tokenId),
      decider: tokenDecider,
      command: { type: 'RevokeToken', data: { tokenId: t.tokenId, reason: 'left the bureau' }, metadata: meta() },
    });
    await rt.projections.catchUp();
    const res = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${t.token}` } });
    expect(res.statusCode).toBe(401);
  });

  it('answers 401 on a non-public route without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/whoami' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'UNAUTHENTICATED', details: { field: 'authorization' } });
  });

  it('no token can carry the system role', async () => {
    const t = mintToken();
    await expect(
      handleCommand(rt.store, {
        streamId: tokenStreamId(t.tokenId),
        decider: tokenDecider,
        command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId: 'x', role: 'system', department: 'd', secretHash: t.secretHash }, metadata: meta() },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'role' } });
  });

  it('only an admin can issue tokens, and a refused command writes nothing', async () => {
    const before = await rt.store.head();
    const t = mintToken();
    await expect(
      handleCommand(rt.store, {
        streamId: tokenStreamId(t.tokenId),
        decider: tokenDecider,
        command: {
          type: 'IssueToken',
          data: { tokenId: t.tokenId, userId: 'x', role: 'admin', department: 'd', secretHash: t.secretHash },
          metadata: { ...meta(), actor: { userId: 'op', role: 'operator', department: 'd' } },
        },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await rt.store.head()).toEqual(before);
  });
});
