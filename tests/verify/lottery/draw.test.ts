import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitDraw, completeDraw, quotaCount, startDraw, verifyDrawRecord, witnessCommitment } from '../../../src/verify/index.js';
import type { ClassDrawResult, CommitInput, DrawRecord, FollowUpCommitment, LotteryError, RootCommitment } from '../../../src/verify/index.js';
import { base, classDraw, errorOf } from './helpers.js';

const members = (n: number, prefix = 'm'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
const plan = { witnesses: { members: [{ id: 'w', commitment: witnessCommitment('s') }], minReveals: 1, onMissing: 'abandon' as const } };
const revealed = { witnesses: [{ id: 'w', secret: 's' }] };
const classes = (r: DrawRecord): ClassDrawResult => r.result as ClassDrawResult;
const run = (input: CommitInput, parent?: DrawRecord): DrawRecord => completeDraw(commitDraw(input), parent ? undefined : revealed, parent);
const targets = (cls: { name: string; pool: { members: string[] }; quota: { count: number } }[]): CommitInput => ({ ...base, kind: 'targets', classes: cls, entropy: plan });

describe('class draws (V5, T3, L2)', () => {
  it('V3: the same commitment and entropy always give the same result (determinism)', () => {
    expect(classDraw(members(50), 7)).toEqual(classDraw(members(50), 7));
  });

  it('V5: a draw never selects a member twice and selects exactly the quota', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.nat(), fc.string({ minLength: 1 }), (n, k0, secret) => {
        const k = k0 % (n + 1);
        const p = { witnesses: { members: [{ id: 'w', commitment: witnessCommitment(secret) }], minReveals: 1, onMissing: 'abandon' as const } };
        const r = completeDraw(commitDraw({ ...base, kind: 'targets', classes: [{ name: 'c', pool: { members: members(n) }, quota: { count: k } }], entropy: p }), { witnesses: [{ id: 'w', secret }] });
        const sel = classes(r).merged;
        return sel.length === k && new Set(sel).size === k && sel.every((m) => members(n).includes(m));
      }),
      { numRuns: 60 },
    );
  });

  it('T3: a ratio quota is ceil(size × numerator / denominator), exact for huge pools', () => {
    expect(quotaCount({ ratio: { numerator: 1, denominator: 20 } }, 28)).toBe(2);
    expect(quotaCount({ ratio: { numerator: 1, denominator: 20 } }, 40)).toBe(2);
    expect(quotaCount({ ratio: { numerator: 1, denominator: 20 } }, 41)).toBe(3);
    expect(quotaCount({ ratio: { numerator: 0, denominator: 7 } }, 41)).toBe(0);
    expect(quotaCount({ ratio: { numerator: 4294967295, denominator: 4294967295 } }, 4294967294)).toBe(4294967294);
    expect(quotaCount({ ratio: { numerator: 1, denominator: 3 } }, 15_000_001)).toBe(5_000_001);
  });

  it('T3: classes are drawn class by class and merged in class order; a class quota of 0 selects nobody', () => {
    const r = run(targets([{ name: 'hi', pool: { members: members(5, 'h') }, quota: { count: 2 } }, { name: 'zero', pool: { members: members(5, 'z') }, quota: { count: 0 } }, { name: 'lo', pool: { members: members(9, 'l') }, quota: { count: 3 } }]));
    const res = classes(r);
    expect(res.classes.map((c) => c.selected.length)).toEqual([2, 0, 3]);
    expect(res.merged).toEqual([...res.classes[0]!.selected, ...res.classes[2]!.selected]);
  });

  it('T3: a member in two classes is refused (POOLS_OVERLAP)', () => {
    const e = errorOf(() => commitDraw(targets([{ name: 'a', pool: { members: ['x', 'y'] }, quota: { count: 1 } }, { name: 'b', pool: { members: ['y', 'z'] }, quota: { count: 1 } }])));
    expect(e).toMatchObject({ code: 'POOLS_OVERLAP', path: 'commitment.classes[1].pool.hash' });
  });

  it('V2: a quota larger than the pool is refused (QUOTA_INVALID)', () => {
    expect(errorOf(() => commitDraw(targets([{ name: 'a', pool: { members: ['x'] }, quota: { count: 2 } }])))?.code).toBe('QUOTA_INVALID');
  });

  it('V2: excluded members are never selected', () => {
    const ms = members(30);
    const excluded = ms.filter((_, i) => i % 3 === 0);
    const r = completeDraw(
      commitDraw({ ...base, kind: 'targets', classes: [{ name: 'c', pool: { members: ms, exclusions: excluded.map((id) => ({ id, reason: 'PL5' })) }, quota: { count: 20 } }], entropy: plan }),
      revealed,
    );
    expect(classes(r).merged.filter((m) => excluded.includes(m))).toEqual([]);
    expect(classes(r).merged).toHaveLength(20);
  });

  it('L2: a batch order is a permutation of the whole pool', () => {
    const r = run({ ...base, kind: 'batchOrder', classes: [{ name: 'key', pool: { members: members(33) } }], entropy: plan });
    expect([...classes(r).merged].sort()).toEqual(members(33));
  });

  it('V3: an extension continues the shuffle — for one seed, draw k then extend by j equals drawing k + j', () => {
    const seed = new Uint8Array(32).fill(7);
    const mk = (k: number) => commitDraw(targets([{ name: 'c', pool: { members: members(40) }, quota: { count: k } }]));
    const small = mk(4);
    const state = startDraw(small.commitment as RootCommitment, small.pools, seed);
    const ext = commitDraw({ ...base, kind: 'extension', parent: small.commitmentHash, additional: [{ class: 'c', count: 5 }] });
    const extended = state.apply(ext.commitment as FollowUpCommitment) as ClassDrawResult;
    const big = mk(9);
    const direct = startDraw(big.commitment as RootCommitment, big.pools, seed).result as ClassDrawResult;
    expect(extended.merged).toEqual(direct.merged);
    expect(extended.classes[0]!.picked).toEqual(direct.merged.slice(4));
  });

  it('V3: an extension record verifies and repeats exactly', () => {
    const root = run(targets([{ name: 'c', pool: { members: members(40) }, quota: { count: 4 } }]));
    const ext = run({ ...base, kind: 'extension', parent: root.commitmentHash, additional: [{ class: 'c', count: 5 }] }, root);
    expect(run({ ...base, kind: 'extension', parent: root.commitmentHash, additional: [{ class: 'c', count: 5 }] }, root)).toEqual(ext);
    expect(classes(ext).merged.slice(0, 4)).toEqual(classes(root).merged);
    expect(new Set(classes(ext).merged).size).toBe(9);
    expect(verifyDrawRecord(JSON.parse(JSON.stringify(ext)))).toEqual({ ok: true });
  });

  it('T10: a replacement is the next member in the class order and takes the replaced slot', () => {
    const root = run(targets([{ name: 'c', pool: { members: members(20) }, quota: { count: 3 } }]));
    const ext = run({ ...base, kind: 'extension', parent: root.commitmentHash, additional: [{ class: 'c', count: 1 }] }, root);
    const next = classes(ext).classes[0]!.picked[0]!;
    const out = classes(root).merged[1]!;
    const rep = run({ ...base, kind: 'replacement', parent: root.commitmentHash, replacements: [{ class: 'c', member: out, reason: 'health', approver: 'boss' }] }, root);
    expect(classes(rep).merged).toEqual([classes(root).merged[0], next, classes(root).merged[2]]);
    expect(classes(rep).replacements).toEqual([{ class: 'c', member: out, replacement: next }]);
  });

  it('T10: replacing a member that is not selected is refused (PARAMETER_INVALID)', () => {
    const root = run(targets([{ name: 'c', pool: { members: members(20) }, quota: { count: 3 } }]));
    const notSelected = members(20).find((m) => !classes(root).merged.includes(m))!;
    const e = errorOf(() => run({ ...base, kind: 'replacement', parent: root.commitmentHash, replacements: [{ class: 'c', member: notSelected, reason: 'x', approver: 'y' }] }, root));
    expect(e).toMatchObject({ code: 'PARAMETER_INVALID', path: 'commitment.replacements[0].member' });
  });

  it('V3: an extension past the end of the pool is refused (QUOTA_INVALID)', () => {
    const root = run(targets([{ name: 'c', pool: { members: members(5) }, quota: { count: 3 } }]));
    expect(errorOf(() => run({ ...base, kind: 'extension', parent: root.commitmentHash, additional: [{ class: 'c', count: 3 }] }, root))?.code).toBe('QUOTA_INVALID');
  });

  it('L2: a batch order of 300 000 members completes (regression: spreading the picks into push overflowed the call stack)', () => {
    const r = run({ ...base, kind: 'batchOrder', classes: [{ name: 'key', pool: { members: members(300_000, 'k') } }], entropy: plan });
    expect(classes(r).merged).toHaveLength(300_000);
    expect(new Set(classes(r).merged).size).toBe(300_000);
  });

  it('V3: a follow-up for another task is refused (PARENT_MISMATCH)', () => {
    const root = run(targets([{ name: 'c', pool: { members: members(5) }, quota: { count: 2 } }]));
    const e = errorOf(() => run({ ...base, task: 'another-task', kind: 'extension', parent: root.commitmentHash, additional: [{ class: 'c', count: 1 }] }, root));
    expect(e).toMatchObject({ code: 'PARENT_MISMATCH', path: 'commitment.task' });
  });
});
