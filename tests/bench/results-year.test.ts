import { describe, expect, it } from 'vitest';
import { runResultsYear } from '../../bench/results-year.js';

/**
 * Smoke test of the issue 10 results benchmark at a tiny scale: every step runs end to end on the
 * real ledger and services, and every matched visit ends published on time with its notice. No
 * timing assertions (speed is the bench's).
 */
describe('bench results-year (issue 10)', () => {
  it('E5/P2: a tiny county year records, submits, reviews and publishes every matched visit, and computes every deadline', async () => {
    const r = await runResultsYear({ visits: 40, targetsPerInspector: 10 });
    expect(r.counts.visits).toBe(40);
    expect(r.counts.matched).toBeGreaterThan(0);
    expect(r.counts.results).toBe(r.counts.matched * 2);
    expect(r.counts.published).toBe(r.counts.matched);
    expect(r.counts.notices).toBe(r.counts.matched);
    expect(r.counts.overdue).toBe(0);
    expect(r.counts.provisionalDeadlines).toBe(0);
    expect(Object.keys(r.ms)).toEqual(['record', 'submit', 'review+publish', 'deadlines (ResultService.list)', 'deadlines (publicationDeadline, pure)']);
    expect(Object.keys(r.ratios)).toHaveLength(4);
  }, 120_000);
});
