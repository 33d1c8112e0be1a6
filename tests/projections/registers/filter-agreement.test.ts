import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entityTypes,
  levels,
  matchesInspectorFilter,
  matchesTargetFilter,
  parseTargetFilter,
  scales,
  targetStatuses,
  type InspectorFilter,
  type InspectorRecord,
  type TargetFilter,
  type TargetRecord,
} from '../../../src/domain/registers/index.js';
import { inspectorPool, inspectorsProjection, poolOf, targetsProjection } from '../../../src/projections/registers/index.js';
import type { RecordedEvent } from '../../../src/store/port.js';
import { makeUscc } from '../../domain/registers/helpers.js';

const industries = ['F5265', 'F5261', 'F5211', 'F52', 'H6210', 'O8010', 'C4210'] as const;
const regions = ['南麻街道', '历山街道', '鲁村镇'] as const;
const departments = ['d1', 'd2'] as const;
const registers = ['r1', 'r2'] as const;

let seq = 0;
const recorded = (type: string, payload: unknown): RecordedEvent => ({
  position: seq++, streamId: 's', revision: 0, eventId: `e${seq}`, type, schemaVersion: 1, recordedAt: '2026-11-25T08:00:00.000Z',
  actor: { userId: 'system', role: 'system', department: 'system' }, correlationId: 'c', causationId: null, payload, hash: '',
});

const targetArb = (i: number): fc.Arbitrary<TargetRecord> =>
  fc.record({
    uscc: fc.constant(makeUscc(`91370323MA3C${String(i).padStart(5, '0')}`)),
    name: fc.constant(`主体${i}`),
    entityType: fc.constantFrom(...entityTypes),
    scale: fc.constantFrom(...scales),
    industry: fc.constantFrom('F5265', 'F5261', 'F5211', 'H6210', 'O8010', 'C4210'),
    region: fc.constantFrom(...regions),
    jurisdiction: fc.constantFrom(...departments),
    riskLevel: fc.constantFrom(...levels),
    creditLevel: fc.constantFrom(...levels),
    flags: fc.record({ dishonest: fc.boolean(), abnormalOperation: fc.boolean(), keyIndustry: fc.boolean(), complaintCount: fc.integer({ min: 0, max: 4 }) }),
    status: fc.constantFrom(...targetStatuses),
  });

const sub = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
const filterArb: fc.Arbitrary<TargetFilter> = fc.record(
  {
    entityType: sub(entityTypes),
    scale: sub(scales),
    industry: sub(industries),
    region: sub(regions),
    riskLevel: sub(levels),
    creditLevel: sub(levels),
    dishonest: fc.boolean(),
    abnormalOperation: fc.boolean(),
    keyIndustry: fc.boolean(),
    minComplaints: fc.integer({ min: 0, max: 5 }),
    status: sub(targetStatuses),
    specialRegister: fc.constantFrom(...registers),
    jurisdiction: sub(departments),
  },
  { requiredKeys: [] },
);

let dir: string;
let db: Database;
let targets: TargetRecord[];
const memberships = new Map<string, string[]>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'suiji-filter-'));
  db = new BetterSqlite3(join(dir, 'projections.db'));
  targetsProjection.setup(db);
  targets = Array.from({ length: 300 }, (_, i) => fc.sample(targetArb(i), { numRuns: 1, seed: 1000 + i })[0]!);
  db.transaction(() => {
    for (const [i, t] of targets.entries()) {
      targetsProjection.apply(db, recorded('TargetRegistered', t));
      const regs = registers.filter((_, k) => (i + k) % 3 === 0);
      memberships.set(t.uscc, [...regs]);
      for (const r of regs) targetsProjection.apply(db, recorded('TargetAdmittedToSpecialRegister', { uscc: t.uscc, registerId: r, standardVersion: 1, indicators: {} }));
    }
  })();
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('T3: the SQL pool equals the reference filter semantics', () => {
  it('T3: poolOf(filter) = sorted targets where matchesTargetFilter holds, for random filters', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(filterArb, (f) => {
        expect(parseTargetFilter(f)).toEqual(f);
        const expected = targets.filter((t) => matchesTargetFilter(t, memberships.get(t.uscc) ?? [], f)).map((t) => t.uscc).sort();
        expect(poolOf(db, f)).toEqual(expected);
        if (expected.length > 0) nonEmpty++;
      }),
      { numRuns: 300 },
    );
    // The comparison means something only if many random filters select some targets.
    expect(nonEmpty).toBeGreaterThan(30);
  });

  it('T3: the empty filter is every active target', () => {
    expect(poolOf(db, {})).toEqual(targets.filter((t) => t.status === 'active').map((t) => t.uscc).sort());
  });
});

describe('T9/T10: the SQL inspector pool equals the reference semantics', () => {
  it('T9/T10: inspectorPool(filter) agrees with matchesInspectorFilter', () => {
    const idb = new BetterSqlite3(join(dir, 'inspectors.db'));
    inspectorsProjection.setup(idb);
    const dates = ['2024-01-01', '2025-06-30', '2026-12-31', '2027-12-31'] as const;
    const expertise = ['成品油', '预付卡', '拍卖'] as const;
    const usccs = targets.slice(0, 3).map((t) => t.uscc);
    const inspectorArb = (i: number) =>
      fc.record({
        inspectorId: fc.constant(`i${String(i).padStart(3, '0')}`),
        name: fc.constant(`检查员${i}`),
        department: fc.constantFrom(...departments),
        qualification: fc.tuple(fc.constantFrom(...dates), fc.constantFrom(...dates)).map(([a, b]) => ({ number: `Q${i}`, validFrom: a < b ? a : b, validTo: a < b ? b : a })),
        expertise: fc.subarray([...expertise]),
        region: fc.constantFrom(...regions),
        status: fc.constantFrom('active', 'suspended', 'left'),
      }) as fc.Arbitrary<InspectorRecord>;
    const people = Array.from({ length: 80 }, (_, i) => fc.sample(inspectorArb(i), { numRuns: 1, seed: 7 + i })[0]!);
    const conflicts = new Map<string, string[]>();
    idb.transaction(() => {
      for (const [i, p] of people.entries()) {
        inspectorsProjection.apply(idb, recorded('InspectorRegistered', p));
        const c = usccs.filter((_, k) => (i + k) % 4 === 0);
        conflicts.set(p.inspectorId, c);
        for (const u of c) inspectorsProjection.apply(idb, recorded('InspectorConflictDeclared', { inspectorId: p.inspectorId, uscc: u, reason: 'x' }));
      }
    })();
    const filter: fc.Arbitrary<InspectorFilter> = fc.record(
      {
        qualifiedOn: fc.constantFrom('2023-12-31', '2024-01-01', '2025-07-01', '2026-12-31', '2028-01-01'),
        status: sub(['active', 'suspended', 'left'] as const),
        department: sub(departments),
        region: sub(regions),
        expertise: sub(expertise),
        notConflictedWith: sub(usccs),
      },
      { requiredKeys: [] },
    );
    let nonEmpty = 0;
    fc.assert(
      fc.property(filter, (f) => {
        const expected = people.filter((p) => matchesInspectorFilter(p, conflicts.get(p.inspectorId) ?? [], f)).map((p) => p.inspectorId).sort();
        expect(inspectorPool(idb, f)).toEqual(expected);
        if (expected.length > 0) nonEmpty++;
      }),
      { numRuns: 300 },
    );
    expect(nonEmpty).toBeGreaterThan(30);
    idb.close();
  });
});
