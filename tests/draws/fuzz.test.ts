/**
 * Hostile input on every draw write route and on the public POST /verify (STYLE habit 6):
 * a client gets 4xx (or, for /verify, a verdict), never a 5xx, and a refused request never
 * changes the ledger. Fixed seed so a failure replays exactly.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { DEADLINE, NOW, actors, issueToken, witnessPlan, withTask, type Harness, openSeededHarness } from './harness.js';

const SEED = 20261125;
const RUNS = 25;

describe('fuzzing the draw routes and POST /verify (V1–V4)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let token: string;
  let drawId: string;

  beforeAll(async () => {
    h = await openSeededHarness(8);
    token = await issueToken(h.store, actors.opA);
    await h.projections.catchUp();
    app = await buildApp({ store: h.store, projections: h.projections }, { draws: { clock: () => new Date(NOW) }, publicRateLimit: false });
    // An open draw behind the :drawId routes, so fuzzed bodies reach validation and the decider.
    const c = await app.inject({
      method: 'POST',
      url: '/draws/targets',
      headers: { authorization: `Bearer ${token}` },
      // T3: the draw serves a task created first.
      payload: await withTask(h, { task: 'T-FUZZ', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 3 } }], entropy: witnessPlan(), revealDeadline: DEADLINE }),
    });
    expect(c.statusCode, c.body).toBe(201);
    drawId = c.json<{ drawId: string }>().drawId;
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  const head = () => h.store.head();
  const routes = () => [
    '/draws/targets',
    '/draws/experts',
    '/draws/inspector-groups',
    '/draws/replacements',
    `/draws/${drawId}/witness-reveals`,
    `/draws/${drawId}/drand`,
    `/draws/${drawId}/ceremony`,
    `/draws/${drawId}/abandon`,
    // Issue 8 §3: follow-ups.
    `/draws/${drawId}/extensions`,
    `/draws/${drawId}/replacements`,
  ];

  it('V3: arbitrary JSON bodies on every draw write route → 4xx, ledger unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes()), fc.jsonValue(), async (url, body) => {
        const before = await head();
        const res = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect(res.statusCode, `${url} ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${url} ${res.body}`).toBeLessThan(500);
        expect(res.json()).toHaveProperty('error');
        expect(await head()).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS * 8 },
    );
  });

  it('V3: arbitrary draw ids in the URL → 4xx, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), fc.constantFrom('witness-reveals', 'drand', 'ceremony', 'complete', 'abandon', 'extensions', 'replacements', 'export', 'verify', ''), async (id, action) => {
        const before = await head();
        const url = `/draws/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
        const method = action === '' || action === 'export' || action === 'verify' ? 'GET' : 'POST';
        const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(method === 'POST' ? { payload: {} } : {}) });
        expect(res.statusCode, `${method} ${url} ${res.body}`).toBeLessThan(500);
        expect(await head()).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS * 4 },
    );
  });

  it('V4: POST /verify answers any JSON with a verdict or a 4xx, never a 5xx, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const before = await head();
        const res = await app.inject({ method: 'POST', url: '/verify', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 200) expect(res.json()).toMatchObject({ ok: false });
        expect(await head()).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS * 4 },
    );
  });
});
