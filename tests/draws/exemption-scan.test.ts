/**
 * Issue 13 (the province path): PL5's exemption facts are read in one scan walked beside the
 * sorted pool, and the year's draw counts are matched by binary search in a sorted pool. These
 * properties hold the new readers equal to the former ones (four per-reason pool queries, a Set
 * of the pool and one point query per flagged member; a Set of the pool for the counts) on
 * random registers and filters — the committed bytes of a draw depend on them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { exemptionFactsIn } from '../../src/app/draws/exemption-facts.js';
import type { ExemptionFact, Pl5Exemption } from '../../src/domain/draws/index.js';
import type { TargetFilter, TargetRecord } from '../../src/domain/registers/index.js';
import { usccCheckChar } from '../../src/domain/uscc.js';
import { drawCountsOf, drawsProjection } from '../../src/projections/draws/index.js';
import { exemptionFactsOf, poolOf, targetsProjection } from '../../src/projections/registers/index.js';
import { openProjectionDb } from '../../src/projections/runner.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { tempDir } from '../helpers/temp-dir.js';
import { DEADLINE, actors, makeUscc, meta, openSeededHarness, withTask, witnessPlan, type Harness } from './harness.js';

const uscc = (n: number): string => {
  const body = `9137032300${String(n).padStart(7, '0')}`;
  return body + usccCheckChar(body);
};

const recorded = (position: number, type: string, payload: unknown): RecordedEvent => ({
  position, streamId: `s-${position}`, revision: 0, eventId: `e-${position}`, type, schemaVersion: 1, recordedAt: '2026-01-05T01:00:00.000Z',
  actor: { userId: 'test', role: 'system', department: 'system' }, correlationId: 'test', causationId: null, payload, hash: '',
});

/** The former reader (before issue 13), kept here as the reference. */
function formerFacts(db: Database, complaintsAt: number, members: readonly string[], filter: TargetFilter): Map<string, ExemptionFact[]> {
  const inPool = new Set(members);
  const out = new Map<string, ExemptionFact[]>();
  const flagged: [Pl5Exemption, TargetFilter][] = [
    ['keyIndustry', { ...filter, keyIndustry: true }],
    ['repeatedComplaints', { ...filter, minComplaints: Math.max(filter.minComplaints ?? 0, complaintsAt) }],
    ['abnormalOperation', { ...filter, abnormalOperation: true }],
    ['dishonest', { ...filter, dishonest: true }],
  ];
  for (const [reason, f] of flagged) {
    for (const id of poolOf(db, f)) {
      if (!inPool.has(id)) continue;
      const x = exemptionFactsOf(db, id)!;
      const at = reason === 'keyIndustry' ? x.keyIndustry : reason === 'abnormalOperation' ? x.abnormalOperation : reason === 'dishonest' ? x.dishonest : x.complaintCount >= complaintsAt ? x.complaintsSince : null;
      if (at === null) continue;
      const list = out.get(id) ?? [];
      list.push({ reason, position: String(at) });
      out.set(id, list);
    }
  }
  return out;
}

const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

const targetArb = fc.record({
  n: fc.integer({ min: 0, max: 9_999_999 }),
  riskLevel: fc.constantFrom('A', 'B', 'C', 'D'),
  status: fc.constantFrom('active', 'active', 'active', 'deregistered'),
  dishonest: fc.boolean(),
  abnormalOperation: fc.boolean(),
  keyIndustry: fc.boolean(),
  complaintCount: fc.integer({ min: 0, max: 4 }),
});

const filterArb: fc.Arbitrary<TargetFilter> = fc.constantFrom<TargetFilter>(
  {}, { riskLevel: ['C', 'D'] }, { keyIndustry: false }, { keyIndustry: true }, { minComplaints: 1 }, { minComplaints: 3 },
  { dishonest: true }, { status: ['active', 'deregistered'] }, { abnormalOperation: false, riskLevel: ['A'] },
);

describe('PL5 exemption facts and draw counts over a province-size pool (issue 13)', () => {
  let dir: { path: string; remove: () => void };
  let db: Database;
  beforeEach(() => {
    dir = tempDir();
    db = openProjectionDb(dir.path);
    targetsProjection.setup(db);
    drawsProjection.setup(db);
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('PL5: one scan beside the sorted pool gives the facts (and their order) the four per-reason queries gave', () => {
    fc.assert(
      fc.property(fc.uniqueArray(targetArb, { minLength: 1, maxLength: 60, selector: (t) => t.n }), filterArb, fc.integer({ min: 1, max: 3 }), (targets, filter, complaintsAt) => {
        db.exec('DELETE FROM reg_targets');
        targets.forEach((t, i) => {
          const record: TargetRecord = {
            uscc: uscc(t.n), name: `企业${t.n}`, entityType: 'enterprise', scale: 'small', industry: 'F5211', region: '南麻街道', jurisdiction: 'dept-a',
            riskLevel: t.riskLevel as TargetRecord['riskLevel'], creditLevel: 'A', status: t.status as TargetRecord['status'],
            flags: { dishonest: t.dishonest, abnormalOperation: t.abnormalOperation, keyIndustry: t.keyIndustry, complaintCount: t.complaintCount },
          };
          targetsProjection.apply(db, recorded(10 + i, 'TargetRegistered', record));
        });
        const members = poolOf(db, filter);
        expect(sorted(exemptionFactsIn(db, complaintsAt, members, filter, null))).toEqual(sorted(formerFacts(db, complaintsAt, members, filter)));
      }),
      { numRuns: 60 },
    );
  });

  it('PL5: a register member missing from the pool passed in is never exempted', () => {
    const ids = [1, 2, 3, 4].map(uscc);
    ids.forEach((id, i) => targetsProjection.apply(db, recorded(i + 1, 'TargetRegistered', {
      uscc: id, name: `企业${i}`, entityType: 'enterprise', scale: 'small', industry: 'F5211', region: '南麻街道', jurisdiction: 'dept-a', riskLevel: 'A', creditLevel: 'A', status: 'active',
      flags: { dishonest: true, abnormalOperation: false, keyIndustry: false, complaintCount: 0 },
    })));
    const facts = exemptionFactsIn(db, 2, [ids[0]!, ids[2]!], {}, null);
    expect([...facts.keys()]).toEqual([ids[0], ids[2]]);
  });

  it('PL5: the year\'s draw counts of a pool are the same for a sorted pool (binary search) and an unsorted one (a Set)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 80 }), fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 40 }), (pool, drawn) => {
        db.exec('DELETE FROM draw_counts');
        for (const n of drawn) db.prepare('INSERT INTO draw_counts VALUES (?, ?, ?)').run(uscc(n), 2026, 1 + (n % 2));
        db.prepare('INSERT INTO draw_counts VALUES (?, ?, ?)').run(uscc(999), 2025, 2); // another year never counts
        const ids = pool.map(uscc);
        const expected = new Map(drawn.filter((n) => pool.includes(n)).map((n) => [uscc(n), 1 + (n % 2)]));
        expect(sorted(drawCountsOf(db, [...ids].sort(), 2026))).toEqual(sorted(expected));
        expect(sorted(drawCountsOf(db, ids, 2026))).toEqual(sorted(expected));
      }),
      { numRuns: 60 },
    );
  });
});

describe('a province-size commit (issue 13)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openSeededHarness(6);
  });
  afterEach(async () => h.close());

  it('regression (exempt.push(...) overflowed the call stack at province scale): a general-item draw commits with 200,000 exempt members', async () => {
    await h.projections.catchUp();
    const insert = h.projections.db.prepare(`INSERT INTO reg_targets (uscc, name, entity_type, scale, industry, region, jurisdiction, risk_level, credit_level,
      dishonest, abnormal_operation, key_industry, complaint_count, status, updated_at, key_industry_since) VALUES (?, ?, 'enterprise', 'small', 'F5265', '南麻街道', 'dept-a', 'B', 'A', 0, 0, 1, 0, 'active', '2026-01-05T01:00:00.000Z', 1)`);
    const exemptCount = 200_000;
    h.projections.db.transaction(() => {
      for (let n = 1_000_000; n < 1_000_000 + exemptCount; n++) insert.run(makeUscc(n), `重点企业${n}`);
    })();
    const drawId = await h.service.commitTargets(meta(actors.opA), await withTask(h, {
      task: 'T-P', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 2 } }], entropy: witnessPlan(), revealDeadline: DEADLINE,
    }));
    const committed = (await h.store.readStream(`draw-${drawId.slice(0, drawId.lastIndexOf('.'))}`)).find((e) => e.type === 'DrawCommitted');
    const counting = (committed?.payload as { counting: { exempt: { id: string }[] } } | undefined)?.counting;
    expect(counting?.exempt).toHaveLength(exemptCount);
  }, 120_000);
});
