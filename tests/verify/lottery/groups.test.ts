import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitDraw, completeDraw, verifyDrawRecord, witnessCommitment } from '../../../src/verify/index.js';
import type { CommitInput, GroupsResult, LotteryError } from '../../../src/verify/index.js';
import { base, errorOf } from './helpers.js';

const ids = (n: number, p: string): string[] => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(3, '0')}`);

interface Params {
  nTargets: number;
  nLocal: number;
  nNeighbours: number;
  groupSize: number;
  maxLoad: number;
  recusals: { target: string; member: string }[];
  secret: string;
}

function groupDraw(p: Params): GroupsResult {
  const input: CommitInput = {
    ...base,
    kind: 'inspectorGroups',
    targets: ids(p.nTargets, 't'),
    inspectors: { members: ids(p.nLocal, 'L') },
    ...(p.nNeighbours > 0 && { neighbours: { members: ids(p.nNeighbours, 'N') } }),
    recusals: p.recusals,
    groupSize: p.groupSize,
    maxLoad: p.maxLoad,
    entropy: { witnesses: { members: [{ id: 'w', commitment: witnessCommitment(p.secret) }], minReveals: 1, onMissing: 'abandon' } },
  };
  const record = completeDraw(commitDraw(input), { witnesses: [{ id: 'w', secret: p.secret }] });
  expect(verifyDrawRecord(JSON.parse(JSON.stringify(record)))).toEqual({ ok: true });
  return record.result as GroupsResult;
}

const params = fc
  .record({ nTargets: fc.integer({ min: 1, max: 8 }), nLocal: fc.integer({ min: 0, max: 10 }), nNeighbours: fc.integer({ min: 0, max: 5 }), groupSize: fc.integer({ min: 2, max: 3 }), maxLoad: fc.integer({ min: 1, max: 3 }), secret: fc.string({ minLength: 1 }) })
  .chain((p) =>
    fc.record({
      recusals: fc.uniqueArray(fc.record({ target: fc.constantFrom(...ids(p.nTargets, 't')), member: fc.constantFrom(...ids(Math.max(p.nLocal, 1), 'L'), ...ids(Math.max(p.nNeighbours, 1), 'N')) }), { selector: (r) => `${r.target}|${r.member}`, maxLength: 12 }),
    }).map((r) => ({ ...p, ...r })),
  );

describe('inspector groups (T7, T8, T9, T10)', () => {
  it('T7/T10/T8: every group has groupSize distinct members, leader first, no recused member, loads within the cap; joint exactly when local falls short', () => {
    fc.assert(
      fc.property(params, (p) => {
        const res = groupDraw(p);
        const recused = new Set(p.recusals.map((r) => `${r.target}|${r.member}`));
        const load = new Map<string, number>();
        for (const g of res.groups) {
          // T7: at least two, exactly one leader (the first pick).
          expect(g.members).toHaveLength(p.groupSize);
          expect(new Set(g.members).size).toBe(p.groupSize);
          expect(g.leader).toBe(g.members[0]);
          // T10: a recused inspector is never drawn for that target.
          for (const m of g.members) expect(recused.has(`${g.target}|${m}`)).toBe(false);
          for (const m of g.members) load.set(m, (load.get(m) ?? 0) + 1);
          // T8: a local group uses local inspectors only.
          if (g.pool === 'local') for (const m of g.members) expect(m.startsWith('L')).toBe(true);
        }
        for (const n of load.values()) expect(n).toBeLessThanOrEqual(p.maxLoad);
        // Every target is either grouped or listed as unmatched, in draw order.
        const served = [...res.groups.map((g) => g.target), ...res.unmatched.map((u) => u.target)];
        expect(new Set(served)).toEqual(new Set(ids(p.nTargets, 't')));
        // T8: replay the joint rule — joint iff fewer than groupSize local inspectors were eligible.
        const replay = new Map<string, number>();
        for (const t of ids(p.nTargets, 't')) {
          const g = res.groups.find((x) => x.target === t);
          const eligibleLocal = ids(p.nLocal, 'L').filter((m) => !recused.has(`${t}|${m}`) && (replay.get(m) ?? 0) < p.maxLoad).length;
          if (g) {
            expect(g.pool).toBe(eligibleLocal >= p.groupSize || p.nNeighbours === 0 ? 'local' : 'joint');
            for (const m of g.members) replay.set(m, (replay.get(m) ?? 0) + 1);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('T7: a group size below 2 is refused', () => {
    expect(errorOf(() => commitDraw({ ...base, kind: 'inspectorGroups', targets: ['t'], inspectors: { members: ['a', 'b'] }, groupSize: 1, maxLoad: 1, entropy: { ceremony: { label: 'd', alphabet: '01', length: 8 } } }))).toMatchObject({ code: 'MALFORMED', path: 'commitment.groupSize' });
  });

  it('T8: with too few local inspectors and no neighbours the target is unmatched (direct assignment)', () => {
    const res = groupDraw({ nTargets: 3, nLocal: 3, nNeighbours: 0, groupSize: 2, maxLoad: 1, recusals: [], secret: 's' });
    expect(res.groups).toHaveLength(1);
    expect(res.unmatched).toEqual([{ target: 't001', need: 'inspectors' }, { target: 't002', need: 'inspectors' }]);
  });

  it('T9/T8: local and neighbour pools must be disjoint (POOLS_OVERLAP)', () => {
    const e = errorOf(() => commitDraw({ ...base, kind: 'inspectorGroups', targets: ['t'], inspectors: { members: ['a', 'b'] }, neighbours: { members: ['b', 'c'] }, groupSize: 2, maxLoad: 1, entropy: { ceremony: { label: 'd', alphabet: '01', length: 8 } } }));
    expect(e?.code).toBe('POOLS_OVERLAP');
  });
});
