import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRouteBodies, sendRoute, type FuzzRoute } from '../fuzz-routes.js';
import { type Harness } from '../registers/harness.js';
import { drawBody, drawToCompletion, openTaskHarness, seedWorld, taskBody } from './fixtures.js';

/**
 * Hostile input on every task write route (STYLE habit 6), as tests/api/plans/fuzz.test.ts does
 * for plans: a client can provoke 4xx, never a 5xx, and a refusal never writes. Fixed seed.
 */
const SEED = 20261202;
const RUNS = 30;

describe('fuzzing the task write routes (T1–T4, PL6)', () => {
  let h: Harness;
  // `open`: created, not delegated; `drawn`: its target draw completed, not locked.
  let open = '';
  let drawn = '';
  let drawId = '';
  const routes: FuzzRoute[] = [
    { name: 'CreateTask', as: () => h.bearer('opA'), url: () => '/tasks', body: taskBody({ adHoc: true, adHocReason: '临时' }) },
    { name: 'DelegateTask', as: () => h.bearer('principalA'), url: () => `/tasks/${open}/delegation`, body: { delegate: 'dept-b', reason: '委托' } },
    { name: 'AcceptDelegation', as: () => h.bearer('principalA'), url: () => `/tasks/${open}/delegation/acceptance`, body: {} },
    { name: 'LockTaskList', as: () => h.bearer('principalA'), url: () => `/tasks/${drawn}/lock`, body: { drawId: 'x.targets.1' } },
    { name: 'DispatchTask', as: () => h.bearer('principalA'), url: () => `/tasks/${drawn}/dispatch`, body: {} },
    { name: 'CommitDraw of a task', as: () => h.bearer('opA'), url: () => '/draws/targets', body: {} },
  ];
  beforeAll(async () => {
    h = await openTaskHarness();
    await seedWorld(h);
    open = (await h.call('opA', 'POST', '/tasks', taskBody())).json().taskId;
    drawn = (await h.call('opA', 'POST', '/tasks', taskBody())).json().taskId;
    drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(drawn));
    // Mutate the route the fuzz tests already hold (they were defined before this hook ran):
    // replacing the array element would leave them fuzzing the placeholder body `{}`.
    const widened = drawBody(open) as unknown as Record<string, unknown>;
    widened.classes = [{ name: '南麻', filter: { region: ['南麻街道'] }, quota: { count: 3 } }];
    Object.assign(routes[5]!, { body: widened });
  });
  afterAll(async () => {
    await h.close();
  });

  fuzzRouteBodies(() => h, routes, { seed: SEED, runs: RUNS, anyBodyRefused: false, baseBody: 'refused' });

  it('T2: a task class with one field replaced by arbitrary JSON → never 5xx; a refusal writes nothing', async () => {
    const klass = taskBody().classes[0]!;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(klass)), fc.jsonValue(), async (key, value) => {
        const before = await h.head();
        const res = await sendRoute(h, routes[0]!, JSON.stringify(taskBody({ classes: [{ ...klass, [key]: value }] })));
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) expect(await h.head()).toEqual(before);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('arbitrary task ids in the path → 400 or 404, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, unit: 'grapheme' }), async (segment) => {
        const res = await h.app.inject({ method: 'GET', url: `/tasks/${encodeURIComponent(segment)}`, headers: { authorization: h.bearer('auditor') } });
        expect([400, 404], `${segment} ${res.body}`).toContain(res.statusCode);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('the completed draw is still lockable after the fuzzing (refusals changed nothing)', async () => {
    const r = await h.call('principalA', 'POST', `/tasks/${drawn}/lock`, { drawId });
    expect(r.statusCode, r.body).toBe(201);
  });
});
