import { afterAll, beforeAll, describe } from 'vitest';
import { fuzzRouteBodies, type FuzzRoute } from '../fuzz-routes.js';
import { openResultsWorld, type ResultsWorld } from '../results/fixtures.js';

/**
 * Hostile input on the E8/E9 write routes: never a 5xx, and a refusal never writes. Fixed seed.
 * Each base body is one the deciders refuse in this world (an evidence hash that is not stored,
 * a transfer to an unknown unit, an acceptance with no transfer, a follow-up on a visit with no
 * approved result, updates of a follow-up that does not exist), so any mutation is refused too.
 */
const SEED = 20261211;
const RUNS = 25;

describe('fuzzing the after-visit write routes (E8, E9)', () => {
  let w: ResultsWorld;
  const v = () => w.visits[0]!;
  const routes: FuzzRoute[] = [
    { name: 'RecordOutcome', as: () => w.leader, url: () => `/visits/${v()}/outcome`, body: { outcome: 'unreachable', basis: '无法联系', evidence: 'f'.repeat(64) } },
    { name: 'ProposeTransfer', as: () => w.h.bearer('opA'), url: () => `/visits/${v()}/transfer`, body: { toUnit: 'dept-nowhere', reason: '已迁出' } },
    { name: 'AcceptTransfer', as: () => w.h.bearer('principalA'), url: () => `/visits/${v()}/transfer/accept`, body: { leader: 'in-a', members: ['in-a', 'in-a2'] } },
    { name: 'OpenFollowUp', as: () => w.h.bearer('opA'), url: '/followups', body: { visitId: 'dept-a-20260901-91370323MA00000010', itemId: 'SW-02', kind: 'caseFiling', caseNumber: '1号' } },
    { name: 'UpdateFollowUp', as: () => w.h.bearer('opA'), url: '/followups/none/updates', body: { status: '调查中', note: '进展' } },
    { name: 'CloseFollowUp', as: () => w.h.bearer('opA'), url: '/followups/none/close', body: { outcome: '办结' } },
  ];
  beforeAll(async () => {
    w = await openResultsWorld();
  });
  afterAll(async () => {
    await w.h.close();
  });

  fuzzRouteBodies(() => w.h, routes, { seed: SEED, runs: RUNS, anyBodyRefused: true, baseBody: 'refused' });
});
