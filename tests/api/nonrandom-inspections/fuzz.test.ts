import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '../registers/harness.js';
import { URL, complaintBody, seedTwoTargets } from './fixtures.js';

/**
 * Hostile input on the non-random inspection write route (STYLE habit 6), as
 * tests/api/plans/fuzz.test.ts does for plans: a client can provoke 4xx, never a 5xx, and a
 * refusal never writes. Fixed seed, so a failure replays exactly.
 */
const SEED = 20261202;
const RUNS = 40;

describe('fuzzing POST /non-random-inspections (G2)', () => {
  let h: Harness;
  let body: Record<string, unknown> = {};
  let serial = 0;
  beforeAll(async () => {
    h = await openHarness();
    body = complaintBody('NR-F', await seedTwoTargets(h));
  });
  afterAll(async () => {
    await h.close();
  });

  const send = (payload: string) =>
    h.app.inject({ method: 'POST', url: URL, headers: { authorization: h.bearer('opA'), 'content-type': 'application/json' }, payload });
  /** Each accepted record needs a fresh id, or the next run would only ever meet ALREADY_EXISTS. */
  const fresh = (b: Record<string, unknown>) => (b.inspectionId === body.inspectionId ? { ...b, inspectionId: `NR-F${++serial}` } : b);

  it('G2: arbitrary JSON bodies → 4xx, ledger unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const before = await h.head();
        const res = await send(JSON.stringify(value));
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(res.json()).toHaveProperty('error');
        expect(await h.head()).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('G2: a valid body with one field replaced by arbitrary JSON → never 5xx; a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(body)), fc.jsonValue(), async (key, value) => {
        const before = await h.head();
        const res = await send(JSON.stringify(fresh({ ...body, [key]: value })));
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) expect(await h.head()).toEqual(before);
        else expect(res.statusCode).toBe(201);
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });

  it('G2: a source document with one field replaced by arbitrary strings → never 5xx; a refusal writes nothing', async () => {
    const doc = body.sourceDocument as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(doc)), fc.string({ unit: 'grapheme' }), async (key, value) => {
        const before = await h.head();
        const res = await send(JSON.stringify(fresh({ ...body, sourceDocument: { ...doc, [key]: value } })));
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) expect(await h.head()).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('G2: arbitrary path segments and query strings on the reads → 200, 400 or 404, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(`${URL}/%s`, `${URL}/statistics/%s`), fc.string({ minLength: 1, unit: 'grapheme' }), async (template, segment) => {
        const res = await h.app.inject({ method: 'GET', url: template.replace('%s', encodeURIComponent(segment)), headers: { authorization: h.bearer('auditor') } });
        expect([200, 400, 404], `${template} ${segment} ${res.body}`).toContain(res.statusCode);
      }),
      { seed: SEED, numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('kind', 'department', 'target', 'year', 'after', 'limit', 'x'), fc.string()), async (query) => {
        const res = await h.app.inject({ method: 'GET', url: URL, query, headers: { authorization: h.bearer('auditor') } });
        expect([200, 400], res.body).toContain(res.statusCode);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
