/**
 * The matching step of the county-year bench (issue 9): per-visit inspector matching (T6) as an
 * executing unit does it through `POST /visits/matchings` → witness reveals → complete →
 * application, here through the same `VisitService` and `DrawService` the routes call.
 *
 * Batches. Each unit walks its work queue (unmatched visits in id order: window start, then
 * target) and matches it in batches, one draw per batch. A batch holds at most
 *   min(500, floor(0.9 × pool × MAX_LOAD / GROUP_SIZE))
 * visits: 500 is the request's `visits` limit; pool × MAX_LOAD / GROUP_SIZE is how many
 * two-person groups the unit's qualified inspectors can form when nobody takes more than
 * MAX_LOAD visits of one draw; 0.9 leaves room for declared conflicts (T10), so a batch's last
 * visits are not starved by the load cap. Two visits of one target never share a draw (T6): the
 * later one waits for the next batch.
 */
import { queryInspectors } from '../src/projections/registers/index.js';
import { listVisits, type VisitView } from '../src/projections/visits/index.js';
import type { CountyYearContext, MatchingOutcome, MatchingStep, UnitMatching } from './county-year-context.js';
import { NOW, REVEAL_DEADLINE, SECRETS, entropy, operatorOf } from './county-year-world.js';

export const GROUP_SIZE = 2;
/** Visits one inspector takes from one matching draw: a batch is a few weeks of a unit's work. */
export const MAX_LOAD = 4;
/** `POST /visits/matchings` takes at most 500 visits (src/app/visits/requests.ts). */
export const REQUEST_LIMIT = 500;
const HEADROOM = 0.9;

/** 0 when the pool cannot form one group: the unit's visits then stay unmatched (T8: joint pool or direct assignment). */
export const batchSize = (pool: number): number => (pool < GROUP_SIZE ? 0 : Math.min(REQUEST_LIMIT, Math.floor((HEADROOM * pool * MAX_LOAD) / GROUP_SIZE)));

/** The next batch of a queue: up to `size` visits, one per target (T6); the rest stay queued in order. */
export function nextBatch(queue: readonly VisitView[], size: number): { batch: VisitView[]; rest: VisitView[] } {
  const batch: VisitView[] = [];
  const rest: VisitView[] = [];
  const targets = new Set<string>();
  for (const v of queue) {
    if (batch.length < size && !targets.has(v.uscc)) {
      batch.push(v);
      targets.add(v.uscc);
    } else rest.push(v);
  }
  return { batch, rest };
}

export const perVisitMatching: MatchingStep = {
  label: 'matching (per-visit draws)',
  async run(ctx: CountyYearContext): Promise<MatchingOutcome> {
    await ctx.rt.projections.catchUp();
    const db = ctx.rt.projectionDb;
    const units = (db.prepare('SELECT DISTINCT executing_unit AS unit FROM visits ORDER BY unit').all() as { unit: string }[]).map((r) => r.unit);
    const perUnit: UnitMatching[] = [];
    let visitMatchedEvents = 0;
    for (const unit of units) {
      const actor = operatorOf(unit);
      // T9: the service draws from inspectors qualified on the commit date; the bench sizes batches by the same pool.
      const pool = queryInspectors(db, { department: [unit], status: ['active'], qualifiedOn: NOW.slice(0, 10) }).length;
      const size = batchSize(pool);
      let queue = listVisits(db, { unit, status: 'unmatched', limit: 1_000_000 });
      const visits = queue.length;
      let draws = 0;
      while (size > 0 && queue.length > 0) {
        const { batch, rest } = nextBatch(queue, size);
        queue = rest;
        const { drawId } = await ctx.time('matching commit', () =>
          ctx.visits.commitMatching(ctx.meta(actor), {
            visits: batch.map((v) => v.visitId), inspectors: { department: [unit], status: ['active'] }, groupSize: GROUP_SIZE, maxLoad: MAX_LOAD, entropy, revealDeadline: REVEAL_DEADLINE,
          }),
        );
        await ctx.time('matching reveal+complete', async () => {
          for (const [i, secret] of SECRETS.entries()) await ctx.draws.revealWitness(ctx.meta(actor), drawId!, { witness: `w${i + 1}`, secret });
          await ctx.draws.complete(ctx.meta(actor), drawId!);
        });
        const applied = await ctx.time('matching apply', () => ctx.visits.applyMatching(ctx.meta(actor), drawId!));
        visitMatchedEvents += applied.events.filter((e) => e === 'VisitMatched').length;
        draws++;
      }
      await ctx.rt.projections.catchUp();
      const status = db.prepare('SELECT status, count(*) AS n FROM visits WHERE executing_unit = ? GROUP BY status').all(unit) as { status: string; n: number }[];
      const count = (s: string) => status.find((r) => r.status === s)?.n ?? 0;
      perUnit.push({ unit, inspectors: pool, batchSize: size, visits, draws, matched: count('matched'), unmatched: count('unmatched') });
    }
    const sum = (f: (u: UnitMatching) => number) => perUnit.reduce((s, u) => s + f(u), 0);
    return { draws: sum((u) => u.draws), visitsMatched: sum((u) => u.matched), visitsUnmatched: sum((u) => u.unmatched), visitMatchedEvents, perUnit };
  },
};
