/**
 * V5: selection is uniform without replacement. Fixed seeds (SHA-256 of a counter), so these
 * tests are deterministic and cannot flake; the threshold is p > 0.001 (Wilson–Hilferty).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { Stream, commitDraw, startDraw } from '../../../src/verify/index.js';
import type { ClassDrawResult, GroupsResult, RootCommitment } from '../../../src/verify/index.js';
import { base, chiSquare, chiSquarePValue, saltedIndex, witnessPlan } from './helpers.js';

const seeds = (count: number, salt: number): Uint8Array[] => Array.from({ length: count }, (_, i) => sha256(saltedIndex(i, salt)));

function drawMany(n: number, k: number, count: number, salt: number): string[][] {
  const members = Array.from({ length: n }, (_, i) => `m${i}`);
  const { commitment, pools } = commitDraw({ ...base, kind: 'targets', classes: [{ name: 'c', pool: { members }, quota: { count: k } }], entropy: witnessPlan('11'.repeat(32)) });
  return seeds(count, salt).map((s) => (startDraw(commitment as RootCommitment, pools, s).result as ClassDrawResult).merged as string[]);
}

describe('uniformity (V5)', () => {
  it('V5: each member is selected equally often (chi-square, n = 10, k = 3, 20 000 draws)', () => {
    const n = 10;
    const k = 3;
    const N = 20_000;
    const counts = new Array<number>(n).fill(0);
    for (const sel of drawMany(n, k, N, 1)) for (const m of sel) counts[Number(m.slice(1))]! += 1;
    // Without replacement, indicators are negatively correlated; scaling by (n−1)/(n−k) makes the statistic χ²(n−1).
    const stat = (chiSquare(counts, (N * k) / n) * (n - 1)) / (n - k);
    expect(chiSquarePValue(stat, n - 1)).toBeGreaterThan(0.001);
  });

  it('V5: the first pick is uniform over the pool (chi-square, n = 7, 14 000 draws)', () => {
    const n = 7;
    const N = 14_000;
    const counts = new Array<number>(n).fill(0);
    for (const sel of drawMany(n, 2, N, 2)) counts[Number(sel[0]!.slice(1))]! += 1;
    expect(chiSquarePValue(chiSquare(counts, N / n), n - 1)).toBeGreaterThan(0.001);
  });

  it('V5: every position of a batch order is uniform (chi-square on position × member, n = 5, 6 000 orders)', () => {
    const n = 5;
    const N = 6_000;
    const counts = new Array<number>(n * n).fill(0);
    for (const order of drawMany(n, n, N, 3)) order.forEach((m, pos) => (counts[pos * n + Number(m.slice(1))]! += 1));
    // Rows and columns are fixed margins: (n−1)² degrees of freedom.
    expect(chiSquarePValue(chiSquare(counts, N / n), (n - 1) * (n - 1))).toBeGreaterThan(0.001);
  });

  it('V5/T10: inspector groups are uniform over ordered pairs of eligible inspectors (recused one never drawn)', () => {
    const N = 6_000;
    const { commitment, pools } = commitDraw({
      ...base, kind: 'inspectorGroups', targets: ['t'], inspectors: { members: ['i0', 'i1', 'i2', 'i3', 'i4'] }, recusals: [{ target: 't', member: 'i2' }], groupSize: 2, maxLoad: 1, entropy: witnessPlan('22'.repeat(32)),
    });
    const pairs = new Map<string, number>();
    for (const s of seeds(N, 4)) {
      const g = (startDraw(commitment as RootCommitment, pools, s).result as GroupsResult).groups[0]!;
      const key = g.members.join(',');
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    expect([...pairs.keys()].some((k) => k.includes('i2'))).toBe(false);
    expect(pairs.size).toBe(12); // 4 eligible × 3 ordered pairs
    expect(chiSquarePValue(chiSquare([...pairs.values()], N / 12), 11)).toBeGreaterThan(0.001);
  });

  it('V5: rejection sampling removes the modulo bias that a plain `word mod m` has (the test has power)', () => {
    const m = 3 * 2 ** 30; // 2^32 mod m = 2^30: plain `mod` makes [0, 2^30) twice as likely
    const N = 6_000;
    const ours = [0, 0, 0];
    const naive = [0, 0, 0];
    const s1 = new Stream(sha256(saltedIndex(9, 9)));
    const s2 = new Stream(sha256(saltedIndex(9, 9)));
    for (let i = 0; i < N; i++) {
      ours[Math.floor(s1.uniform(m) / 2 ** 30)]! += 1;
      naive[Math.floor((s2.nextWord() % m) / 2 ** 30)]! += 1;
    }
    expect(chiSquarePValue(chiSquare(ours, N / 3), 2)).toBeGreaterThan(0.001);
    expect(chiSquarePValue(chiSquare(naive, N / 3), 2)).toBeLessThan(0.001);
  });

  it('V5: the chi-square approximation matches known critical values', () => {
    // χ²(9) at 0.001 is 27.877; χ²(2) at 0.05 is 5.991.
    expect(chiSquarePValue(27.877, 9)).toBeCloseTo(0.001, 3);
    expect(chiSquarePValue(5.991, 2)).toBeCloseTo(0.05, 2);
  });
});
