import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/app.js';
import { openRuntime, type Runtime } from '../../../src/cli/runtime.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('public site on an empty ledger, with the anonymous rate limit on', () => {
  const dir = tempDir('suiji-site-empty-');
  let rt: Runtime;
  let app: FastifyInstance;

  beforeAll(async () => {
    rt = await openRuntime(dir.path, { warn: () => undefined, info: () => undefined });
    app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: { max: 12, timeWindow: 60_000 } });
  });
  afterAll(async () => {
    await app.close();
    await rt.close();
    dir.remove();
  });

  it('every list page says there is nothing yet (200), and a valid credit code with no notice says so', async () => {
    for (const url of ['/', '/public/items', '/public/plans', '/public/tasks', '/public/results', '/public/draws', '/public/search?q=有限']) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toMatch(/暂无|尚未|没有/);
    }
    const b = await app.inject('/public/businesses/91370323MA3UU9L44X');
    expect(b.statusCode).toBe(200);
    expect(b.body).toContain('暂无关于该企业的公示');
  });

  it('pages are hidden from the OpenAPI document', async () => {
    const doc = (await app.inject('/docs/json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/public'))).toEqual([]);
  });

  it('the anonymous rate limit covers the site, the form post included, with a Chinese 429 page', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await app.inject('/public/search')).statusCode);
    expect(statuses.at(-1)).toBe(429);
    const limited = await app.inject({ method: 'POST', url: '/public/objections', payload: 'visit=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(limited.body).toContain('<h1>请求过于频繁</h1>');
    expect((await app.inject('/public/results')).statusCode).toBe(429);
  });
});
