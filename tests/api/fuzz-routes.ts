import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Harness } from './registers/harness.js';

/** One write route to fuzz, sent by someone allowed to, so the body reaches validation and the decider. */
export interface FuzzRoute {
  readonly name: string;
  /** The Authorization header value; a function, since tokens exist only once the harness is open. */
  readonly as: () => string;
  readonly method?: 'PUT' | 'POST';
  /** A function when the URL names something created in `beforeAll`. */
  readonly url: string | (() => string);
  readonly body: Record<string, unknown>;
}

export interface FuzzOptions {
  readonly seed: number;
  readonly runs: number;
  /**
   * True when no arbitrary JSON body can be accepted (every route needs fields), so each must be a 4xx;
   * false when some route takes `{}`, so an arbitrary body may succeed and only a refusal is checked.
   */
  readonly anyBodyRefused: boolean;
  /** How the second property names the base body: a valid one, or one the route refuses as it stands. */
  readonly baseBody: 'valid' | 'refused';
}

/** Sends `payload` as JSON on `route`, as the route's sender. */
export const sendRoute = (h: Harness, route: FuzzRoute, payload: string | Buffer) =>
  h.app.inject({
    method: route.method ?? 'POST',
    url: typeof route.url === 'string' ? route.url : route.url(),
    headers: { authorization: route.as(), 'content-type': 'application/json' },
    payload,
  });

/**
 * Hostile bodies on each route (STYLE habit 6): a client can provoke 4xx, never a 5xx, and a refusal
 * never writes. Shared by the plan and task fuzz suites; `harness` is read when the tests run.
 */
export function fuzzRouteBodies(harness: () => Harness, routes: readonly FuzzRoute[], o: FuzzOptions): void {
  for (const route of routes) {
    describe(route.name, () => {
      it(o.anyBodyRefused ? 'arbitrary JSON bodies → 4xx, ledger unchanged' : 'arbitrary JSON bodies → never 5xx; a refusal writes nothing', async () => {
        const h = harness();
        await fc.assert(
          fc.asyncProperty(fc.jsonValue(), async (body) => {
            const before = await h.head();
            const res = await sendRoute(h, route, JSON.stringify(body));
            if (o.anyBodyRefused) expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
            expect(res.statusCode, res.body).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.json()).toHaveProperty('error');
              expect(await h.head()).toEqual(before);
            }
          }),
          { seed: o.seed, numRuns: o.runs },
        );
      });

      it(`a ${o.baseBody} body with one field replaced by arbitrary JSON → never 5xx; a refusal writes nothing`, async () => {
        const h = harness();
        const keys = Object.keys(route.body);
        if (keys.length === 0) return;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue(), async (key, value) => {
            const before = await h.head();
            const res = await sendRoute(h, route, JSON.stringify({ ...route.body, [key]: value }));
            expect(res.statusCode, res.body).toBeLessThan(500);
            if (res.statusCode >= 400) expect(await h.head()).toEqual(before);
          }),
          { seed: o.seed, numRuns: o.runs },
        );
      });
    });
  }
}
