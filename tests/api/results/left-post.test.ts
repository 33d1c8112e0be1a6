/**
 * G3/E1 (acting after losing a right): a group leader who left the post — deactivated in the
 * inspector register — submits no results, as a lost role ends a token; nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRecord, okResults, openResultsWorld, setToday, unchanged, type ResultsWorld } from './fixtures.js';

describe('a leader who left the post', () => {
  let w: ResultsWorld;
  beforeAll(async () => {
    w = await openResultsWorld();
    setToday('2026-09-21');
  });
  afterAll(async () => w.h.close());

  it('G3/E1: a leader deactivated in the register cannot submit the visit\'s results; nothing is written', async () => {
    const v = w.visits[0]!;
    await closeRecord(w.h, v);
    await w.h.seed({ type: 'ChangeInspectorStatus', data: { inspectorId: 'in-a', status: 'left', reason: '调离岗位 / post change' } });
    const r = await unchanged(w.h, w.h.callWith(w.leader, 'POST', `/visits/${v}/results`, { results: okResults }), 403);
    expect(r.json()).toMatchObject({ error: 'FORBIDDEN', details: { rule: 'E1' } });
    // Back in post, the same leader submits.
    await w.h.seed({ type: 'ChangeInspectorStatus', data: { inspectorId: 'in-a', status: 'active', reason: '复岗 / back in post' } });
    expect((await w.h.callWith(w.leader, 'POST', `/visits/${v}/results`, { results: okResults })).statusCode).toBe(201);
  });
});
