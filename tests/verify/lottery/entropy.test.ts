import { describe, expect, it } from 'vitest';
import {
  DRAND_CHAINS, QUICKNET_CHAIN_HASH, checkRevealed, commitDraw, completeDraw, verifyDrandSignature, verifyDrawRecord, witnessCommitment,
} from '../../../src/verify/index.js';
import type { DrawRecord, LotteryError } from '../../../src/verify/index.js';
import { base, drandPlan, drandVectors, loadVectors } from './helpers.js';

const chain = DRAND_CHAINS[QUICKNET_CHAIN_HASH]!;
const flipBit = (hex: string, bit: number): string => {
  const i = Math.floor(bit / 4);
  return hex.slice(0, i) + (parseInt(hex[i]!, 16) ^ (1 << (bit % 4))).toString(16) + hex.slice(i + 1);
};
const codeOf = (f: () => void): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as LotteryError).code;
  }
  return undefined;
};
const committedAtMs = Date.parse('2023-08-23T15:58:00Z');

describe('drand quicknet beacon (V2, V3)', () => {
  const { chain: pinned, rounds } = drandVectors();

  it('V3: the pinned chain matches the shared vector file', () => {
    expect(chain.publicKey).toBe(pinned.publicKey);
    expect(chain.dst).toBe(pinned.dst);
  });

  it.each(rounds.map((r) => [r.round, r] as const))('V3: round %i verifies offline against the pinned key', (_, r) => {
    expect(verifyDrandSignature(chain, r.round, r.signature)).toBe(true);
    expect(() => checkRevealed(drandPlan(r.round), { drand: r }, committedAtMs)).not.toThrow();
  });

  it('V3: a flipped bit in the signature is refused (DRAND_SIGNATURE_INVALID)', () => {
    const r = rounds[3]!;
    for (const bit of [0, 7, 100, 200, 383]) {
      expect(codeOf(() => checkRevealed(drandPlan(r.round), { drand: { ...r, signature: flipBit(r.signature, bit) } }, committedAtMs))).toBe('DRAND_SIGNATURE_INVALID');
    }
  });

  it('V3: a flipped bit in the randomness is refused (DRAND_RANDOMNESS_MISMATCH)', () => {
    const r = rounds[4]!;
    for (const bit of [0, 128, 255]) {
      expect(codeOf(() => checkRevealed(drandPlan(r.round), { drand: { ...r, randomness: flipBit(r.randomness, bit) } }, committedAtMs))).toBe('DRAND_RANDOMNESS_MISMATCH');
    }
  });

  it("V3: another round's valid beacon is refused (DRAND_ROUND_NOT_PLANNED)", () => {
    expect(codeOf(() => checkRevealed(drandPlan(1000), { drand: rounds[1]! }, committedAtMs))).toBe('DRAND_ROUND_NOT_PLANNED');
  });

  it("V3: a round's signature presented as another round's is refused", () => {
    expect(codeOf(() => checkRevealed(drandPlan(1001), { drand: { ...rounds[0]!, round: 1001 } }, committedAtMs))).toBe('DRAND_SIGNATURE_INVALID');
  });

  it('V2: a round not at least 30 s after committedAt is refused (DRAND_ROUND_NOT_FUTURE)', () => {
    const late = Date.parse('2023-08-23T15:59:00Z'); // round 1000 is 15:59:24, only 24 s later
    expect(codeOf(() => checkRevealed(drandPlan(1000), { drand: rounds[0]! }, late))).toBe('DRAND_ROUND_NOT_FUTURE');
    expect(codeOf(() => checkRevealed(drandPlan(1003), { drand: rounds[3]! }, late))).toBeUndefined();
  });
});

describe('witnesses (V2, V3)', () => {
  const secrets = ['alpha-secret-0123456789abcdef', 'beta-secret-fedcba9876543210'];
  const plan = (onMissing: 'proceed' | 'abandon', minReveals: number) => ({
    witnesses: { members: secrets.map((s, i) => ({ id: `w${i}`, commitment: witnessCommitment(s) })), minReveals, onMissing },
  });

  it('V2: the witness commitment is plain SHA-256 of the UTF-8 secret (reproducible with sha256sum)', () => {
    expect(witnessCommitment('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('V3: a reveal that does not hash to the commitment is refused (WITNESS_REVEAL_MISMATCH)', () => {
    const revealed = { witnesses: [{ id: 'w0', secret: secrets[0]! }, { id: 'w1', secret: `${secrets[1]!} ` }] };
    expect(codeOf(() => checkRevealed(plan('proceed', 1), revealed, 0))).toBe('WITNESS_REVEAL_MISMATCH');
  });

  it('V3: a missing reveal is refused when the plan says abandon, accepted when it says proceed', () => {
    const revealed = { witnesses: [{ id: 'w0', secret: secrets[0]! }, { id: 'w1', secret: null }] };
    expect(codeOf(() => checkRevealed(plan('abandon', 1), revealed, 0))).toBe('WITNESS_MISSING');
    expect(codeOf(() => checkRevealed(plan('proceed', 1), revealed, 0))).toBeUndefined();
    expect(codeOf(() => checkRevealed(plan('proceed', 2), revealed, 0))).toBe('WITNESS_MISSING');
  });

  it('V3: reveals out of plan order are refused (ENTROPY_INVALID)', () => {
    const revealed = { witnesses: [{ id: 'w1', secret: secrets[1]! }, { id: 'w0', secret: secrets[0]! }] };
    expect(codeOf(() => checkRevealed(plan('proceed', 1), revealed, 0))).toBe('ENTROPY_INVALID');
  });

  it('V3: a different reveal set gives a different seed (the missing witness changes the draw)', () => {
    const mk = (w1: string | null): DrawRecord => {
      const committed = commitDraw({ ...base, kind: 'targets', classes: [{ name: 'c', pool: { members: ['a', 'b', 'c', 'd'] }, quota: { count: 2 } }], entropy: plan('proceed', 1) });
      return completeDraw(committed, { witnesses: [{ id: 'w0', secret: secrets[0]! }, { id: 'w1', secret: w1 }] });
    };
    expect(mk(null).seed).not.toBe(mk(secrets[1]!).seed);
  });
});

describe('ceremony (V2)', () => {
  const plan = { ceremony: { label: 'dice', alphabet: '123456', length: 5 } };
  it('V2: a value outside the committed alphabet or length is refused (CEREMONY_INVALID)', () => {
    expect(codeOf(() => checkRevealed(plan, { ceremony: { value: '12345' } }, 0))).toBeUndefined();
    expect(codeOf(() => checkRevealed(plan, { ceremony: { value: '12347' } }, 0))).toBe('CEREMONY_INVALID');
    expect(codeOf(() => checkRevealed(plan, { ceremony: { value: '1234' } }, 0))).toBe('CEREMONY_INVALID');
  });
  it('V2: a source outside the plan is refused (ENTROPY_INVALID)', () => {
    expect(codeOf(() => checkRevealed(plan, { ceremony: { value: '12345' }, witnesses: [] }, 0))).toBe('ENTROPY_INVALID');
  });
});

describe('records with tampered entropy fail verification', () => {
  it('V3: a drand record whose signature bit is flipped fails with the signature path', () => {
    const rec = loadVectors().find((v) => v.name === 'batch-order')!.steps[0]!.record;
    const bad = structuredClone(rec) as any;
    bad.revealed.drand.signature = flipBit(bad.revealed.drand.signature, 17);
    expect(verifyDrawRecord(bad)).toMatchObject({ ok: false, code: 'DRAND_SIGNATURE_INVALID', path: 'revealed.drand.signature' });
  });
});
