import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness.js';
import { writeCases, type WriteRequest } from './write-cases.js';

/**
 * Hostile input on every register write route (STYLE habit 6): a client can provoke 4xx,
 * never a 5xx, and a refused request never changes the ledger. Fixed seed, so a failure
 * replays exactly; modest runs so each route takes a second or two.
 */
const SEED = 20261125;
const RUNS = 30;

describe('fuzzing every register write route (L1–L6, G3)', () => {
  let h: Harness;
  const requests = new Map<string, WriteRequest>();

  beforeAll(async () => {
    h = await openHarness();
    // An existing resource behind each URL, so the bodies reach validation and the deciders (not just 404).
    for (const c of writeCases) requests.set(c.command, await c.prepare(h, 'dept-a', 'dept-b'));
  });
  afterAll(async () => {
    await h.close();
  });

  const send = (req: WriteRequest, payload: string | Buffer | object, contentType = 'application/json') =>
    h.app.inject({ method: req.method, url: req.url, headers: { authorization: h.bearer('admin'), 'content-type': contentType }, payload });

  for (const c of writeCases) {
    describe(`${c.command}`, () => {
      it('arbitrary JSON bodies → 4xx, ledger unchanged', async () => {
        const req = requests.get(c.command)!;
        await fc.assert(
          fc.asyncProperty(fc.jsonValue(), async (body) => {
            const before = await h.head();
            const res = await send(req, JSON.stringify(body));
            expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
            expect(res.statusCode, res.body).toBeLessThan(500);
            expect(res.json()).toHaveProperty('error');
            expect(await h.head()).toEqual(before);
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });

      it('arbitrary strings and bytes sent as JSON → 4xx, ledger unchanged', async () => {
        const req = requests.get(c.command)!;
        const payload = fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)));
        await fc.assert(
          fc.asyncProperty(payload, async (p) => {
            const before = await h.head();
            const res = await send(req, p);
            expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
            expect(res.statusCode, res.body).toBeLessThan(500);
            expect(await h.head()).toEqual(before);
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });

      it('a valid body with one field replaced by arbitrary JSON → never 5xx; a refusal writes nothing', async () => {
        const req = requests.get(c.command)!;
        const keys = Object.keys(req.body);
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue(), async (key, value) => {
            const before = await h.head();
            const res = await send(req, JSON.stringify({ ...req.body, [key]: value }));
            expect(res.statusCode, res.body).toBeLessThan(500);
            if (res.statusCode >= 400) expect(await h.head()).toEqual(before);
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });
    });
  }

  it('L6/T3: arbitrary query strings on GET /targets, /inspectors, /experts → 200 or 400, never 5xx', async () => {
    const keys = ['industry', 'scale', 'status', 'region', 'dishonest', 'minComplaints', 'limit', 'after', 'qualifiedOn', 'department', 'notConflictedWith', 'specialRegister', 'x'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/targets', '/inspectors', '/experts'), fc.dictionary(fc.constantFrom(...keys), fc.string()), async (path, query) => {
        const res = await h.app.inject({ method: 'GET', url: path, query, headers: { authorization: h.bearer('auditor') } });
        expect([200, 400], res.body).toContain(res.statusCode);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('arbitrary path segments on the register reads → 400 or 404, never 5xx', async () => {
    const templates = ['/targets/%s', '/targets/%s/history', '/inspectors/%s', '/experts/%s/history', '/departments/%s/item-list/versions/1', '/departments/dept-a/item-list/versions/%s', '/users/%s/history'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.string({ minLength: 1, unit: 'grapheme' }), async (template, segment) => {
        const res = await h.app.inject({ method: 'GET', url: template.replace('%s', encodeURIComponent(segment)), headers: { authorization: h.bearer('auditor') } });
        expect([400, 404], `${template} ${segment} ${res.body}`).toContain(res.statusCode);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('arbitrary Idempotency-Key values → either a valid key or a 400 naming the header; never 5xx', async () => {
    const req = requests.get('UpdateTarget')!;
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }).filter((k) => !/[\r\n]/.test(k) && k.trim() === k), async (key) => {
        const before = await h.head();
        const res = await h.app.inject({ method: req.method, url: req.url, headers: { authorization: h.bearer('admin'), 'idempotency-key': key }, payload: { changes: { region: `r-${key.length}` }, reason: 'r' } });
        if (/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
          expect([200, 201], res.body).toContain(res.statusCode);
        } else {
          expect(res.statusCode, res.body).toBe(400);
          expect(res.json().details.field).toBe('headers/idempotency-key');
          expect(await h.head()).toEqual(before);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('deeply nested JSON, with or without __proto__, is a 400 on a write route, not a stack overflow', async () => {
    const req = requests.get('RegisterTarget')!;
    const n = 200_000;
    for (const payload of ['['.repeat(n) + '1' + ']'.repeat(n), '['.repeat(n) + '{"__proto__":1}' + ']'.repeat(n), '{"a":'.repeat(n) + '"constructor"' + '}'.repeat(n)]) {
      const before = await h.head();
      const res = await send(req, payload);
      expect(res.statusCode).toBe(400);
      expect(await h.head()).toEqual(before);
    }
  });
});
