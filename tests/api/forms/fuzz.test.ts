import { afterAll, beforeAll, describe } from 'vitest';
import { fuzzRouteBodies, type FuzzRoute } from '../fuzz-routes.js';
import { openTaskHarness } from '../tasks/fixtures.js';
import type { Harness } from '../registers/harness.js';
import { formBody, seedVisitOfTwoItems } from './fixtures.js';

/** Hostile bodies on the form write routes (STYLE habit 6): 4xx, never 5xx; a refusal writes nothing. Fixed seed. */
describe('fuzzing the check form write routes (E2, E3)', () => {
  let h: Harness;
  let visitId = '';
  const routes: FuzzRoute[] = [
    { name: 'PublishFormVersion', as: () => h.bearer('opA'), url: '/forms/SW-02/versions', body: formBody() },
    { name: 'ChooseVisitForm', as: () => h.bearer('opA'), url: () => `/visits/${visitId}/form`, body: { forms: [{ itemId: 'SW-01', version: 1 }, { itemId: 'SW-02', version: 1 }], reason: '手动' } },
  ];
  beforeAll(async () => {
    h = await openTaskHarness();
    ({ visitId } = await seedVisitOfTwoItems(h));
    await h.call('opA', 'POST', '/forms/SW-01/versions', formBody());
  });
  afterAll(async () => h.close());

  fuzzRouteBodies(() => h, routes, { seed: 20261010, runs: 30, anyBodyRefused: true, baseBody: 'refused' });
});
