import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compareMerge } from '../../bench/county-year-merge.js';
import { issueKnobs } from '../../bench/county-year-world.js';
import { batchSize, nextBatch, perVisitMatching } from '../../bench/county-year-matching.js';
import { runCountyYear, type CountyYearResult } from '../../bench/county-year.js';
import type { VisitAssignment } from '../../src/domain/visits/index.js';
import { visitsProjection, type VisitView } from '../../src/projections/visits/index.js';

/**
 * Smoke test of the issue 9 benchmark at a tiny scale: its steps run end to end on the real
 * ledger and services, produce merged visits and match them per visit. No timing assertions
 * (speed is the bench's).
 * keyShare 1: the two key-item tasks (tasks 1 and 4, windows Jan–Apr and Apr–Jul) both take
 * the whole key-industry pool, so every key target is one visit of both tasks.
 */
describe('bench county-year (issue 9)', () => {
  it('T5/T6: a tiny county year runs every step end to end, merges overlapping tasks into visits and matches visits by per-visit draws', async () => {
    const r: CountyYearResult = await runCountyYear({ ...issueKnobs, targets: 300, tasks: 5, keyShare: 1 });
    expect(r.counts.tasks).toBe(5);
    expect(r.counts.plans).toBe(6);
    expect(Object.keys(r.ms)).toEqual([
      'registers seed', 'plans (draft+file+ack)', 'task creation', 'draw commit', 'reveal+complete', 'lock', 'dispatch', 'visit projection catch-up',
      'matching commit', 'matching reveal+complete', 'matching apply', perVisitMatching.label,
    ]);
    expect(r.counts.assignments).toBe(r.counts.drawn);
    expect(r.counts.mergedVisits).toBeGreaterThan(0);
    expect(r.counts.visits).toBeLessThan(r.counts.assignments);
    // (a) and (c) agree on the (unit, target) pairs; (b) equals (a) row for row (compareMerge throws otherwise).
    expect(r.merge.pairsInVisits).toBe(r.merge.sqlGroups);
    expect(r.merge.projectionVisits).toBe(r.merge.visits);
    // T6: the executing units' matching draws put groups on visits (VisitMatched events in the ledger).
    expect(r.counts.matchingDraws).toBeGreaterThan(0);
    expect(r.counts.visitMatchedEvents).toBeGreaterThan(0);
    expect(r.counts.visitsMatched).toBe(r.counts.visitMatchedEvents);
    expect(r.counts.visitsMatched + r.counts.visitsUnmatched).toBe(r.counts.visits);
    expect(r.matching.reduce((s, u) => s + u.draws, 0)).toBe(r.counts.matchingDraws);
    for (const u of r.matching) expect(u.batchSize).toBeLessThanOrEqual(500);
  }, 120_000);

  describe('when the visits projection and the pure merge disagree', () => {
    const a = (taskId: string, from: string, to: string): VisitAssignment => ({ taskId, items: ['BX-01'], uscc: '91370323MA00000000', executingUnit: 'u', window: { from, to } });
    const rows = [a('T1', '2026-01-01', '2026-03-31'), a('T2', '2026-03-01', '2026-05-31')];

    it('T5: compareMerge refuses a projection row that is not what mergeVisits computes (the bench cannot report a wrong merge)', () => {
      const db = new Database(':memory:');
      visitsProjection.setup(db);
      // One visit per task instead of the merged one.
      const insert = db.prepare(
        "INSERT INTO visits (visit_id, executing_unit, uscc, window_from, window_to, items, tasks, participants, status, matching) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', 'unmatched', '{}')",
      );
      for (const x of rows) insert.run(`u-${x.window.from.replaceAll('-', '')}-${x.uscc}`, 'u', x.uscc, x.window.from, x.window.to, '["BX-01"]', JSON.stringify([{ taskId: x.taskId, items: ['BX-01'], window: x.window }]));
      expect(() => compareMerge(rows, db)).toThrow(/differs from mergeVisits/);
      db.close();
    });

    it('T5: with no projection to check, the merged pair is one visit and one GROUP BY group', () => {
      const m = compareMerge(rows);
      expect([m.visits, m.mergedVisits, m.sqlGroups, m.windowsAllOverlap]).toEqual([1, 1, 1, true]);
    });
  });

  describe('when a unit batches its work queue', () => {
    const v = (visitId: string, uscc: string) => ({ visitId, uscc }) as VisitView;

    it('T6: two visits of one target never share a matching draw; the later waits for the next batch, order kept', () => {
      const queue = [v('u-20260101-A', 'A'), v('u-20260101-B', 'B'), v('u-20260601-A', 'A'), v('u-20260701-C', 'C')];
      const first = nextBatch(queue, 10);
      expect(first.batch.map((x) => x.visitId)).toEqual(['u-20260101-A', 'u-20260101-B', 'u-20260701-C']);
      expect(first.rest.map((x) => x.visitId)).toEqual(['u-20260601-A']);
      expect(nextBatch(queue, 2).rest.map((x) => x.visitId)).toEqual(['u-20260601-A', 'u-20260701-C']);
    });

    it('T6: a batch fits the pool under maxLoad with headroom, and never exceeds the request limit of 500', () => {
      // 7 inspectors × 4 visits / 2 per group = 14 groups; 90 % of that is 12.
      expect(batchSize(7)).toBe(12);
      expect(batchSize(311)).toBe(500);
      // Fewer inspectors than a group: no draw, the unit's visits stay unmatched (reported).
      expect(batchSize(1)).toBe(0);
      expect(batchSize(0)).toBe(0);
    });
  });
});
