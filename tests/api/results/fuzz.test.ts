import { afterAll, beforeAll, describe } from 'vitest';
import { fuzzRouteBodies, type FuzzRoute } from '../fuzz-routes.js';
import { closeRecord, openResultsWorld, type ResultsWorld } from './fixtures.js';

/** Hostile input on every results write route (E5–E7), the public objection route included: never a 5xx, and a refusal never writes. Fixed seed. */
const SEED = 20261210;
const RUNS = 25;

describe('fuzzing the results write routes (E5, P2, E6, E7)', () => {
  let w: ResultsWorld;
  const v = () => w.visits[0]!;
  const routes: FuzzRoute[] = [
    { name: 'SubmitResults', as: () => w.leader, url: () => `/visits/${v()}/results`, body: { results: [{ itemId: 'SW-02', category: 'problemFound', kind: 'otherViolation' }] } },
    { name: 'ReviewResults', as: () => w.h.bearer('principalA'), url: () => `/visits/${v()}/results/review`, body: { decision: 'return', reason: '退回', exemption: { reason: 'r', basis: 'b' } } },
    { name: 'CorrectResults', as: () => w.h.bearer('principalA'), url: () => `/visits/${v()}/results/corrections`, body: { reason: '更正', results: [{ itemId: 'SW-02', category: 'noProblem' }], objection: 1 } },
    { name: 'ReceiveObjection', as: () => w.h.bearer('opA'), url: () => `/visits/${v()}/objections`, body: { uscc: '91370323MA00000010', contact: '来信', statement: '异议', receivedOn: '2026-01-01' } },
    { name: 'DecideObjection', as: () => w.h.bearer('principalA'), url: () => `/visits/${v()}/objections/1/decision`, body: { outcome: 'resultStands', reason: '维持' } },
    { name: 'ObjectionFeedback', as: () => w.h.bearer('opA'), url: () => `/visits/${v()}/objections/1/feedback`, body: { feedback: '反馈' } },
    { name: 'FileObjection (public)', as: () => '', url: '/objections', body: { visitId: 'dept-a-20260901-91370323MA00000010', uscc: '91370323MA00000010', contact: '王', statement: '异议' } },
  ];
  beforeAll(async () => {
    w = await openResultsWorld();
    await closeRecord(w.h, v());
  });
  afterAll(async () => {
    await w.h.close();
  });

  fuzzRouteBodies(() => w.h, routes, { seed: SEED, runs: RUNS, anyBodyRefused: true, baseBody: 'refused' });
});
