import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeVisits, visitId, type VisitAssignment } from '../../../src/domain/visits/index.js';

const A = '91350100M000100Y43';
const B = '91350100M000100Y51';
const at = (taskId: string, from: string, to: string, over: Partial<VisitAssignment> = {}): VisitAssignment => ({
  taskId, items: [`item-${taskId}`], uscc: A, executingUnit: 'unit-1', window: { from, to }, ...over,
});

describe('mergeVisits (T5)', () => {
  it('T5: two overlapping tasks to the same unit and target give one visit with both items', () => {
    const v = mergeVisits([at('t1', '2026-03-01', '2026-06-30'), at('t2', '2026-06-30', '2026-09-30', { items: ['item-x', 'item-t1'] })]);
    expect(v).toHaveLength(1);
    expect(v[0]!.items).toEqual(['item-t1', 'item-x']);
    expect(v[0]!.tasks.map((t) => t.taskId)).toEqual(['t1', 't2']);
    expect(v[0]!.window).toEqual({ from: '2026-03-01', to: '2026-09-30' });
    expect(v[0]!.visitId).toBe('unit-1-20260301-' + A);
  });

  it('T5: windows that do not overlap (adjacent days) stay two visits', () => {
    expect(mergeVisits([at('t1', '2026-03-01', '2026-03-31'), at('t2', '2026-04-01', '2026-04-30')])).toHaveLength(2);
  });

  it('T5: another executing unit or another target is another visit', () => {
    const v = mergeVisits([at('t1', '2026-03-01', '2026-12-31'), at('t2', '2026-03-01', '2026-12-31', { executingUnit: 'unit-2' }), at('t3', '2026-03-01', '2026-12-31', { uscc: B })]);
    expect(v).toHaveLength(3);
  });

  it('T5: overlap is transitive — a task bridging two visits merges them under the earliest from', () => {
    const apart = [at('t1', '2026-01-01', '2026-03-31'), at('t3', '2026-05-01', '2026-07-31')];
    expect(mergeVisits(apart)).toHaveLength(2);
    const bridged = mergeVisits([...apart, at('t2', '2026-03-15', '2026-05-15')]);
    expect(bridged).toHaveLength(1);
    expect(bridged[0]!.visitId).toBe(visitId('unit-1', '2026-01-01', A));
    expect(bridged[0]!.window).toEqual({ from: '2026-01-01', to: '2026-07-31' });
  });

  it('T5: a long window containing a later short one keeps reaching past it', () => {
    const v = mergeVisits([at('t1', '2026-01-01', '2026-12-31'), at('t2', '2026-02-01', '2026-02-02'), at('t3', '2026-11-01', '2026-11-30')]);
    expect(v).toHaveLength(1);
  });
});

// Properties, against a brute-force reference: union-find over the pairwise overlap graph.
const day = fc.integer({ min: 1, max: 60 }).map((d) => `2026-${String(Math.ceil(d / 28)).padStart(2, '0')}-${String(((d - 1) % 28) + 1).padStart(2, '0')}`);
const assignmentsArb = fc
  .uniqueArray(
    fc.record({
      taskId: fc.constantFrom('t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'),
      uscc: fc.constantFrom(A, B),
      executingUnit: fc.constantFrom('u1', 'u2'),
      items: fc.uniqueArray(fc.constantFrom('i1', 'i2', 'i3'), { minLength: 1, maxLength: 3 }),
      days: fc.tuple(day, day),
    }),
    { selector: (r) => `${r.taskId}|${r.uscc}`, maxLength: 16 },
  )
  .map((rs) =>
    rs.map(({ days, ...r }): VisitAssignment => ({ ...r, window: { from: days[0] < days[1] ? days[0] : days[1], to: days[0] < days[1] ? days[1] : days[0] } })),
  );

const overlaps = (a: { from: string; to: string }, b: { from: string; to: string }): boolean => a.from <= b.to && b.from <= a.to;

function referenceComponents(as: readonly VisitAssignment[]): string[][] {
  const parent = as.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  as.forEach((a, i) =>
    as.forEach((b, j) => {
      if (j > i && a.executingUnit === b.executingUnit && a.uscc === b.uscc && overlaps(a.window, b.window)) parent[find(i)] = find(j);
    }),
  );
  const groups = new Map<number, string[]>();
  as.forEach((a, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), `${a.taskId}|${a.uscc}|${a.executingUnit}`]));
  return [...groups.values()].map((g) => g.sort()).sort((x, y) => (x.join() < y.join() ? -1 : 1));
}
const keysOf = (v: ReturnType<typeof mergeVisits>): string[][] =>
  v.map((x) => x.tasks.map((t) => `${t.taskId}|${x.uscc}|${x.executingUnit}`).sort()).sort((x, y) => (x.join() < y.join() ? -1 : 1));

describe('mergeVisits properties (T5)', () => {
  it('T5: the order of the input events does not change the result', () => {
    fc.assert(
      fc.property(assignmentsArb.chain((as) => fc.tuple(fc.constant(as), fc.shuffledSubarray(as, { minLength: as.length, maxLength: as.length }))), ([as, shuffled]) => {
        expect(mergeVisits(shuffled)).toEqual(mergeVisits(as));
      }),
    );
  });

  it('T5: every assignment lands in exactly one visit, of its own unit and target, covering its items and window', () => {
    fc.assert(
      fc.property(assignmentsArb, (as) => {
        const visits = mergeVisits(as);
        for (const a of as) {
          const holding = visits.filter((v) => v.executingUnit === a.executingUnit && v.uscc === a.uscc && v.tasks.some((t) => t.taskId === a.taskId));
          expect(holding).toHaveLength(1);
          const v = holding[0]!;
          for (const i of a.items) expect(v.items).toContain(i);
          expect(v.window.from <= a.window.from && a.window.to <= v.window.to).toBe(true);
        }
        expect(visits.reduce((n, v) => n + v.tasks.length, 0)).toBe(as.length);
      }),
    );
  });

  it('T5: two visits of the same unit and target never have overlapping windows, and ids are unique', () => {
    fc.assert(
      fc.property(assignmentsArb, (as) => {
        const visits = mergeVisits(as);
        expect(new Set(visits.map((v) => v.visitId)).size).toBe(visits.length);
        for (const v of visits)
          for (const w of visits)
            if (v !== w && v.executingUnit === w.executingUnit && v.uscc === w.uscc) expect(overlaps(v.window, w.window)).toBe(false);
      }),
    );
  });

  it('T5: visits are exactly the connected components of the overlap graph (brute-force reference)', () => {
    fc.assert(
      fc.property(assignmentsArb, (as) => {
        expect(keysOf(mergeVisits(as))).toEqual(referenceComponents(as));
      }),
    );
  });
});

describe('mergeVisits with frozen visits (T5/T6, rules 6–7)', () => {
  it('T5: a frozen visit is kept as recorded; an overlapping later assignment forms its own visit with the suffix -2', () => {
    const [frozen] = mergeVisits([at('t1', '2026-03-01', '2026-06-30')]);
    const v = mergeVisits([at('t1', '2026-03-01', '2026-06-30'), at('t2', '2026-03-01', '2026-04-30')], [frozen!]);
    expect(v).toHaveLength(2);
    expect(v[0]).toEqual(frozen);
    expect(v[1]!.visitId).toBe(`${frozen!.visitId}-2`);
    expect(v[1]!.tasks.map((t) => t.taskId)).toEqual(['t2']);
  });

  // Freeze a random subset of the visits of a first batch, add a second batch: frozen visits are
  // unchanged, every later assignment is in exactly one visit, ids stay unique, and the unfrozen
  // ones are exactly the components of the assignments no frozen visit holds.
  it('T5: frozen visits never change, later assignments never join them, ids stay unique, order does not matter', () => {
    fc.assert(
      fc.property(assignmentsArb, assignmentsArb, fc.infiniteStream(fc.boolean()), (first, second, pick) => {
        const frozen = mergeVisits(first).filter(() => pick.next().value);
        const held = new Set(frozen.flatMap((f) => f.tasks.map((t) => `${f.executingUnit}|${f.uscc}|${t.taskId}`)));
        const later = second.map((a) => ({ ...a, taskId: `${a.taskId}-later` }));
        const all = [...first, ...later];
        const visits = mergeVisits(all, frozen);
        expect(mergeVisits([...all].reverse(), [...frozen].reverse())).toEqual(visits);
        for (const f of frozen) expect(visits.find((v) => v.visitId === f.visitId)).toEqual(f);
        expect(new Set(visits.map((v) => v.visitId)).size).toBe(visits.length);
        const rest = all.filter((a) => !held.has(`${a.executingUnit}|${a.uscc}|${a.taskId}`));
        const open = visits.filter((v) => !frozen.includes(v));
        expect(keysOf(open)).toEqual(referenceComponents(rest));
      }),
    );
  });
});
