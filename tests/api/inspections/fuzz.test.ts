import { afterAll, beforeAll, describe } from 'vitest';
import { fuzzRouteBodies, type FuzzRoute } from '../fuzz-routes.js';
import type { Harness } from '../registers/harness.js';
import { openTaskHarness } from '../tasks/fixtures.js';
import { onSite, preCheck, seedRecordWorld, signed, url, type RecordWorld } from './fixtures.js';

/** Hostile input on every write route of the on-site record (E1, E4, A3): never a 5xx, and a refusal never writes. Fixed seed. */
const SEED = 20261210;
const RUNS = 25;

describe('fuzzing the on-site record write routes (E1, E4, A3)', () => {
  let h: Harness;
  let w: RecordWorld;
  // Sent by the leader, so bodies reach validation and the decider; each route on its own visit.
  const routes: FuzzRoute[] = [
    { name: 'RecordPreCheck', as: () => w.as.I01, url: () => url(w.visits[0]!, 'pre-check'), body: { ...preCheck } },
    { name: 'RecordOnSite', as: () => w.as.I01, url: () => url(w.visits[1]!, 'on-site'), body: onSite(['ab'.repeat(32)]) },
    { name: 'RecordTargetAnswer', as: () => w.as.I01, url: () => url(w.visits[2]!, 'target-signature'), body: { ...signed } },
    { name: 'SignInspection', as: () => w.as.I01, url: () => url(w.visits[2]!, 'signatures'), body: {} },
    { name: 'CloseInspection', as: () => w.as.I01, url: () => url(w.visits[2]!, 'closure'), body: {} },
  ];
  beforeAll(async () => {
    h = await openTaskHarness();
    w = await seedRecordWorld(h);
    // visits[1] awaits its on-site record; visits[2] stays before its on-site record, so every later step is refused.
    for (const v of [w.visits[1]!]) {
      const r = await h.app.inject({ method: 'POST', url: url(v, 'pre-check'), headers: { authorization: w.as.I02 }, payload: preCheck });
      if (r.statusCode !== 201) throw new Error(r.body);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  fuzzRouteBodies(() => h, routes, { seed: SEED, runs: RUNS, anyBodyRefused: false, baseBody: 'refused' });
});
