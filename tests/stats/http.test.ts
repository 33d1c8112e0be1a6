import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { mintToken } from '../../src/api/tokens.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { systemActor, type Actor } from '../../src/domain/actor.js';
import { expandPositions } from '../../src/domain/stats/index.js';
import { tokenDecider, tokenStreamId } from '../../src/domain/tokens/index.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { AS_OF, DemoLedger } from './demo-ledger.js';

/** The demo county's users (src/cli/demo/generate.ts). */
const users = {
  auditor: { userId: 'yy-audit', role: 'auditor', department: 'yy-swj' },
  principal: { userId: 'yy-swj-ltfz-pr', role: 'principal', department: 'yy-swj-ltfz' },
  admin: { userId: 'yy-admin', role: 'admin', department: 'yy-swj' },
  operator: { userId: 'yy-swj-ltfz-op', role: 'operator', department: 'yy-swj-ltfz' },
} as const satisfies Record<string, Actor>;

describe('GET /stats and /public/statistics on the demo year (P3, A1)', () => {
  let demo: DemoLedger;
  let rt: Runtime;
  let app: FastifyInstance;
  const tokens = new Map<string, string>();
  const get = (who: keyof typeof users | 'anonymous', url: string) =>
    app.inject({ method: 'GET', url, headers: who === 'anonymous' ? {} : { authorization: `Bearer ${tokens.get(who)}` } });

  beforeAll(async () => {
    demo = new DemoLedger();
    rt = await openRuntime(demo.copy());
    for (const [who, actor] of Object.entries(users)) {
      const t = mintToken();
      await handleCommand(rt.store, {
        streamId: tokenStreamId(t.tokenId), decider: tokenDecider,
        command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId: actor.userId, role: actor.role, department: actor.department, secretHash: t.secretHash }, metadata: { actor: systemActor, now: new Date().toISOString(), commandId: randomUUID() } },
      });
      tokens.set(who, t.token);
    }
    app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: false, results: { clock: () => new Date(`${AS_OF}T12:00:00+08:00`) } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await rt?.close();
    demo?.remove();
  });

  it('A1: auditors, principals and admins read the statistics; operators are refused (403) and the public must sign in (401)', async () => {
    for (const who of ['auditor', 'principal', 'admin'] as const) expect((await get(who, '/stats?year=2026')).statusCode).toBe(200);
    expect((await get('operator', '/stats?year=2026')).statusCode).toBe(403);
    expect((await get('anonymous', '/stats?year=2026')).statusCode).toBe(401);
  });

  it('A1: figures per department for a quarter, each listing the ledger positions it counts, and those positions are events of the counted types', async () => {
    const quarter = (await get('auditor', '/stats?year=2026&quarter=4&department=yy-swj-ltfz')).json();
    expect(quarter.period).toEqual({ year: 2026, quarter: 4, from: '2026-10-01', to: '2026-12-31' });
    const res = await get('auditor', '/stats?year=2026&department=yy-swj-ltfz');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.departments.map((d: { department: string }) => d.department)).toEqual(['yy-swj-ltfz']);
    const published = body.departments[0].figures.find((f: { key: string }) => f.key === 'results.publishedOnTime');
    const exempt = body.departments[0].figures.find((f: { key: string }) => f.key === 'results.exempt');
    expect(exempt.value).toBeGreaterThan(0);
    const events = await rt.store.readAll();
    for (const p of expandPositions(exempt.positions)) expect(events[p]).toMatchObject({ type: 'ResultsApproved', payload: { exemption: expect.any(Object) } });
    expect(published.denominator).toBeGreaterThan(0);
  });

  it('A1: positions of a figure are paged', async () => {
    const all = (await get('auditor', '/stats/positions?year=2026&figure=register.changes&limit=10000')).json();
    expect(all.total).toBeGreaterThan(100);
    const page2 = (await get('auditor', '/stats/positions?year=2026&figure=register.changes&offset=50&limit=50')).json();
    expect(page2.positions).toEqual(all.positions.slice(50, 100));
  });

  it('bad query parameters are coded 400s naming the field, never a 500', async () => {
    for (const [url, field] of [['/stats?quarter=5', 'quarter'], ['/stats?year=abc', 'year'], ['/stats/positions?figure=nope', 'figure'], ['/stats?colour=red', 'colour']] as const) {
      const res = await get('auditor', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain(field);
    }
  });

  it('hostile query strings on GET /stats, /stats/positions and /public/statistics: never a 5xx', async () => {
    const key = fc.constantFrom('year', 'quarter', 'department', 'figure', 'offset', 'limit', '__proto__', 'constructor', 'q');
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.constantFrom('2026', '4', '-1', '1e3', 'NaN', '%00', 'register.changes'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/stats', '/stats/positions', '/public/statistics'), fc.array(fc.tuple(key, value), { maxLength: 4 }), async (path, pairs) => {
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const res = await get(path.startsWith('/public') ? 'anonymous' : 'auditor', `${path}?${qs}`);
        expect(res.statusCode, `${path}?${qs}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }),
      { seed: 20261202, numRuns: 60 },
    );
  });

  it('P3: /public/statistics shows the figures in Chinese with SVG charts and captioned tables, no positions and no script', async () => {
    const res = await get('anonymous', '/public/statistics?year=2026');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const body = res.body;
    expect(body).toContain('<h1>考核统计 · 2026 年全年</h1>');
    expect(body).toMatch(/<svg[^>]*>/);
    expect(body).toMatch(/<caption>2026 年全年 [^<]+ 主要指标<\/caption>/);
    expect(body).toContain('按时公示结果/应公示（E5，A2）');
    expect(body).not.toContain('<script');
    expect((await get('anonymous', '/public/statistics?quarter=9')).statusCode).toBe(400);
  });

  it('P3: a hostile department name renders as text in the charts and tables (ECharts escapes SVG text, html escapes cells)', async () => {
    const hostile = '<script>alert(1)</script>"&<img src=x onerror=alert(2)>';
    const r = await app.inject({
      method: 'PATCH', url: '/departments/yy-swj-ltfz', headers: { authorization: `Bearer ${tokens.get('admin')}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      payload: { changes: { name: hostile } },
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    const body = (await get('anonymous', '/public/statistics?year=2026')).body;
    expect(body).not.toContain('<script>alert(1)');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
