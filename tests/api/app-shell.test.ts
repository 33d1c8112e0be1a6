import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('the API shell', () => {
  let dir: ReturnType<typeof tempDir>;
  let rt: Runtime;
  let app: FastifyInstance;

  beforeEach(async () => {
    dir = tempDir();
    rt = await openRuntime(dir.path);
    await rt.projections.start();
    app = await buildApp({ store: rt.store, projections: rt.projections });
  });
  afterEach(async () => {
    await app.close();
    await rt.close();
    dir.remove();
  });

  it('GET /health reports the store, the ledger size and root, and the projection lag', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const head = await rt.store.head();
    expect(body).toEqual({ status: 'ok', store: 'reachable', ledger: { size: head.size, root: head.root }, projections: { lag: 0, state: 'current' } });
    expect(body.ledger.root).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers an unknown route with 404 in the one error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/no/such/route' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'NOT_FOUND', details: { field: 'url' } });
    expect(res.json().messageZh).toBe('未找到');
  });

  it('sets security headers (helmet)', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
