import { afterAll, beforeAll, describe } from 'vitest';
import { witnessPlan } from '../../draws/harness.js';
import { fuzzRouteBodies, type FuzzRoute } from '../fuzz-routes.js';
import { openHarness, type Harness } from '../registers/harness.js';
import { seedWorld } from '../tasks/fixtures.js';

/** Hostile input on every visit write route (T6–T8, T10): never a 5xx, and a refusal never writes. Fixed seed. */
const SEED = 20261203;
const RUNS = 30;

describe('fuzzing the visit write routes (T6–T8, T10)', () => {
  let h: Harness;
  let missing = '';
  const routes: FuzzRoute[] = [
    {
      name: 'CommitMatching',
      as: () => h.bearer('opA'),
      url: '/visits/matchings',
      body: { visits: ['dept-a-20260301-91370323MA00000010'], inspectors: {}, groupSize: 2, maxLoad: 1, entropy: witnessPlan(), revealDeadline: '2099-01-01T00:00:00.000Z' },
    },
    { name: 'ApplyMatching', as: () => h.bearer('opA'), url: '/visits/matchings/match-000000000000000000000000.inspectorGroups.1/application', body: {} },
    { name: 'AssignDirectly', as: () => h.bearer('principalA'), url: () => `/visits/${missing}/assignment`, body: { leader: 'I01', members: ['I01', 'I02'], reason: '不足' } },
    { name: 'RequestReplacement', as: () => h.bearer('opA'), url: () => `/visits/${missing}/replacements`, body: { member: 'I01', reason: 'health' } },
    { name: 'ApproveReplacement', as: () => h.bearer('principalA'), url: () => `/visits/${missing}/replacements/1/approval`, body: {} },
  ];
  beforeAll(async () => {
    h = await openHarness();
    const w = await seedWorld(h);
    missing = `dept-a-20260301-${w.targetsA[0]}`;
  });
  afterAll(async () => {
    await h.close();
  });

  fuzzRouteBodies(() => h, routes, { seed: SEED, runs: RUNS, anyBodyRefused: false, baseBody: 'refused' });
});
