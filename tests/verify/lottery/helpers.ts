/** Shared test helpers: the committed vectors, a small record builder, and chi-square statistics. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUICKNET_CHAIN_HASH, commitDraw, completeDraw } from '../../../src/verify/index.js';
import type { CommitInput, DrawRecord, LotteryError, RevealedEntropy } from '../../../src/verify/index.js';

export const VECTOR_DIR = join(import.meta.dirname, '..', '..', 'vectors', 'lottery');

export interface VectorStep {
  readonly input: CommitInput;
  readonly revealed?: RevealedEntropy;
  readonly parent?: number;
  readonly record: DrawRecord;
}
export interface Vector {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly string[];
  readonly steps: readonly VectorStep[];
}

const NOT_DRAWS = new Set(['sampler.json', 'drand-quicknet.json', 'tsconfig.json', 'spec-cases.json']);

export function loadVectors(): Vector[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith('.json') && !NOT_DRAWS.has(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(join(VECTOR_DIR, f), 'utf8')) }));
}

export const loadJson = (name: string): any => JSON.parse(readFileSync(join(VECTOR_DIR, name), 'utf8'));

export const drandVectors = (): { chain: { publicKey: string; dst: string }; rounds: { round: number; signature: string; randomness: string }[] } =>
  loadJson('drand-quicknet.json');

/** A witness-only plan with one fixed witness, so a seed can be varied by the secret. */
export const witnessPlan = (commitment: string) => ({ witnesses: { members: [{ id: 'w', commitment }], minReveals: 1, onMissing: 'abandon' as const } });

export const base = {
  drawId: 'draw-t',
  task: 'task-t',
  purpose: 'test',
  committedAt: '2023-08-23T15:58:00Z',
  source: { ledgerPosition: '1', filter: null },
};

export const drandPlan = (round: number) => ({ drand: { chainHash: QUICKNET_CHAIN_HASH, round } });

/** Commit + complete a one-class target draw with drand round 1000. */
export function classDraw(members: readonly string[], count: number): DrawRecord {
  const v = drandVectors().rounds[0]!;
  const committed = commitDraw({ ...base, kind: 'targets', classes: [{ name: 'c', pool: { members }, quota: { count } }], entropy: drandPlan(1000) });
  return completeDraw(committed, { drand: v });
}

/** Upper-tail p-value of a chi-square statistic by the Wilson–Hilferty normal approximation. */
export function chiSquarePValue(stat: number, df: number): number {
  const h = 2 / (9 * df);
  const z = (Math.cbrt(stat / df) - (1 - h)) / Math.sqrt(h);
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), extended to negative x by symmetry. */
function erfc(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return x >= 0 ? y : 2 - y;
}

export function chiSquare(counts: readonly number[], expected: number): number {
  return counts.reduce((s, c) => s + ((c - expected) * (c - expected)) / expected, 0);
}

/** 8 bytes: u32be(salt) ‖ u32be(i) — the input of the fixed test seeds. */
export const saltedIndex = (i: number, salt: number): Uint8Array => {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, salt);
  v.setUint32(4, i);
  return b;
};

/** The error a call threw, or undefined when it did not throw. */
export const errorOf = (f: () => unknown): LotteryError | undefined => {
  try {
    f();
  } catch (e) {
    return e as LotteryError;
  }
  return undefined;
};
