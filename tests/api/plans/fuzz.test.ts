import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRouteBodies, sendRoute, type FuzzRoute } from '../fuzz-routes.js';
import { openHarness, type Harness } from '../registers/harness.js';
import { planItem, planUrl, seedUnifiedList } from './fixtures.js';

/**
 * Hostile input on every plan write route (STYLE habit 6), as tests/api/registers/fuzz.test.ts
 * does for the registers: a client can provoke 4xx, never a 5xx, and a refusal never writes.
 * Fixed seed, so a failure replays exactly.
 */
const SEED = 20261201;
const RUNS = 30;

describe('fuzzing the plan write routes (PL1–PL4)', () => {
  let h: Harness;
  const url = planUrl('dept-a');
  // dept-a's version 1 is filed and waits for the parent, so filing, acknowledging and returning reach the decider.
  let bureau = '';
  const routes: FuzzRoute[] = [
    { name: 'SavePlanDraft', as: () => h.bearer('opB'), method: 'PUT', url: `${planUrl('dept-b')}/draft`, body: { items: [planItem('SW-03')], reason: '计划' } },
    { name: 'FilePlan', as: () => h.bearer('principalA'), method: 'POST', url: `${url}/versions/1/filing`, body: {} },
    { name: 'AcknowledgePlan', as: () => h.bearer('opB'), method: 'POST', url: `${url}/versions/1/acknowledgement`, body: {} },
    { name: 'ReturnPlan', as: () => bureau, method: 'POST', url: `${url}/versions/1/return`, body: { reason: '退回' } },
  ];
  beforeAll(async () => {
    h = await openHarness();
    ({ bureau } = await seedUnifiedList(h));
    await h.call('opA', 'PUT', `${url}/draft`, { items: [planItem('SW-01'), planItem('SW-02')], reason: '计划' });
    await h.call('principalA', 'POST', `${url}/versions/1/filing`);
  });
  afterAll(async () => {
    await h.close();
  });

  fuzzRouteBodies(() => h, routes, { seed: SEED, runs: RUNS, anyBodyRefused: true, baseBody: 'valid' });

  it('PL3: a planned item with one field replaced by arbitrary JSON → never 5xx; a refusal writes nothing', async () => {
    const item = planItem('SW-03');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(item)), fc.jsonValue(), async (key, value) => {
        const before = await h.head();
        const res = await sendRoute(h, routes[0]!, JSON.stringify({ items: [{ ...item, [key]: value }], reason: '计划' }));
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) expect(await h.head()).toEqual(before);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('arbitrary path segments on the plan and notice reads → 400 or 404, never 5xx', async () => {
    const templates = ['/departments/%s/plans/2026', '/departments/dept-a/plans/%s', '/departments/dept-a/plans/2026/versions/%s', '/plans/%s/coverage', '/notices/%s'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.string({ minLength: 1, unit: 'grapheme' }), async (template, segment) => {
        const res = await h.app.inject({ method: 'GET', url: template.replace('%s', encodeURIComponent(segment)), headers: { authorization: h.bearer('auditor') } });
        expect([400, 404], `${template} ${segment} ${res.body}`).toContain(res.statusCode);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('P2: arbitrary query strings on GET /notices → 200 or 400, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('kind', 'department', 'after', 'limit', 'x'), fc.string()), async (query) => {
        const res = await h.app.inject({ method: 'GET', url: '/notices', query });
        expect([200, 400], res.body).toContain(res.statusCode);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
