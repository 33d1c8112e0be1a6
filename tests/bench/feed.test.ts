import { describe, expect, it } from 'vitest';
import { runFeedBench } from '../../bench/feed.js';

/** Smoke test of the feed bench at a tiny scale: every consumer gets every event, both designs run. No timing assertions. */
describe('bench feed (issue 11)', () => {
  it('P2: ten consumers each receive every event of a small ledger over /feed and over a shared tail', async () => {
    const r = await runFeedBench({ events: 300, consumers: 10 });
    expect(r.events).toBe(300);
    expect(r.consumers).toBe(10);
    expect(Object.keys(r.eventsPerSec)).toEqual(['readAll', 'feedDelivered', 'sharedTailDelivered']);
    expect(r.ratio).toBeGreaterThan(0);
  }, 120_000);
});
