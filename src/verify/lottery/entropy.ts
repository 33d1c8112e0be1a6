/**
 * Entropy sources of docs/lottery-spec.md §4, checked offline:
 * (a) a drand quicknet round — BLS12-381 short signature (G1) under the pinned chain key (G2),
 *     message SHA-256(u64be round), RFC 9380 hash-to-curve DST; randomness = SHA-256(signature);
 * (b) witnesses — the reveal must hash (plain SHA-256 of its UTF-8) to the committed value;
 * (c) a ceremony value — exactly `length` characters from the committed alphabet.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { u64be } from './encoding.js';
import { fail } from './errors.js';
import type { EntropyPlan, RevealedEntropy } from './record.js';

export interface DrandChain {
  readonly name: string;
  readonly publicKey: string;
  readonly dst: string;
  readonly genesisTime: number;
  readonly periodSeconds: number;
}

/** Pinned chains, keyed by drand chain hash. v1 knows quicknet only (spec §4.1). */
export const DRAND_CHAINS: { readonly [chainHash: string]: DrandChain | undefined } = {
  '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971': {
    name: 'quicknet',
    publicKey:
      '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
    dst: 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_',
    genesisTime: 1692803367,
    periodSeconds: 3,
  },
};

export const QUICKNET_CHAIN_HASH = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';

/** Spec §4.1: the planned round must be published at least this long after committedAt. */
export const DRAND_MARGIN_SECONDS = 30;

/** Unix seconds at which round R is published: genesisTime + (R − 1) × period. */
export const drandRoundTime = (chain: DrandChain, round: number): number => chain.genesisTime + (round - 1) * chain.periodSeconds;

/** BLS verification of one beacon; false for any malformed or wrong signature (never throws). */
export function verifyDrandSignature(chain: DrandChain, round: number, signatureHex: string): boolean {
  try {
    const bls = bls12_381.shortSignatures;
    const msg = bls.hash(sha256(u64be(round)), chain.dst);
    return bls.verify(hexToBytes(signatureHex), msg, hexToBytes(chain.publicKey));
  } catch {
    return false;
  }
}

const encoder = new TextEncoder();

/** Spec §4.2: a witness commits to SHA-256(UTF-8(secret)) — reproducible with `printf %s secret | sha256sum`. */
export const witnessCommitment = (secret: string): string => bytesToHex(sha256(encoder.encode(secret)));

/**
 * Checks revealed entropy against the committed plan and the fallback rules (§4.4); throws a
 * coded LotteryError at the first problem. Deadlines are events of the ledger, not of this record:
 * the record only shows which sources were used, and the plan decides whether that is allowed.
 */
export function checkRevealed(plan: EntropyPlan, revealed: RevealedEntropy, committedAtMs: number, at = ''): void {
  const path = `${at}revealed`;
  for (const k of ['drand', 'witnesses', 'ceremony'] as const) {
    if ((plan[k] === undefined) !== (revealed[k] === undefined)) fail('ENTROPY_INVALID', `${path}.${k}`, plan[k] ? 'planned source not revealed' : 'source not in the plan');
  }
  if (plan.drand && revealed.drand) {
    const chain = DRAND_CHAINS[plan.drand.chainHash];
    if (!chain) fail('UNSUPPORTED_ALGORITHM', `${at}commitment.entropy.drand.chainHash`, 'unknown drand chain');
    const { round, signature, randomness } = revealed.drand;
    if (drandRoundTime(chain, plan.drand.round) * 1000 < committedAtMs + DRAND_MARGIN_SECONDS * 1000) {
      fail('DRAND_ROUND_NOT_FUTURE', `${at}commitment.entropy.drand.round`, `round must be published ≥ ${DRAND_MARGIN_SECONDS} s after committedAt`);
    }
    if (round !== plan.drand.round && round !== plan.drand.fallbackRound) {
      fail('DRAND_ROUND_NOT_PLANNED', `${path}.drand.round`, 'neither the planned nor the fallback round', plan.drand.round, round);
    }
    if (!verifyDrandSignature(chain, round, signature)) fail('DRAND_SIGNATURE_INVALID', `${path}.drand.signature`, 'BLS signature does not verify under the pinned chain key');
    const expected = bytesToHex(sha256(hexToBytes(signature)));
    if (expected !== randomness) fail('DRAND_RANDOMNESS_MISMATCH', `${path}.drand.randomness`, 'randomness ≠ SHA-256(signature)', expected, randomness);
  }
  if (plan.witnesses && revealed.witnesses) {
    const members = plan.witnesses.members;
    if (revealed.witnesses.length !== members.length) fail('ENTROPY_INVALID', `${path}.witnesses`, 'one entry per planned witness', members.length, revealed.witnesses.length);
    let reveals = 0;
    revealed.witnesses.forEach((w, i) => {
      const m = members[i]!;
      if (w.id !== m.id) fail('ENTROPY_INVALID', `${path}.witnesses[${i}].id`, 'witnesses in plan order', m.id, w.id);
      if (w.secret === null) {
        if (plan.witnesses!.onMissing === 'abandon') fail('WITNESS_MISSING', `${path}.witnesses[${i}].secret`, 'plan says abandon when a witness does not reveal');
        return;
      }
      const got = witnessCommitment(w.secret);
      if (got !== m.commitment) fail('WITNESS_REVEAL_MISMATCH', `${path}.witnesses[${i}].secret`, 'SHA-256(secret) ≠ commitment', m.commitment, got);
      reveals += 1;
    });
    if (reveals < plan.witnesses.minReveals) fail('WITNESS_MISSING', `${path}.witnesses`, 'fewer reveals than minReveals', plan.witnesses.minReveals, reveals);
  }
  if (plan.ceremony && revealed.ceremony) {
    const { alphabet, length } = plan.ceremony;
    const chars = [...revealed.ceremony.value];
    if (chars.length !== length || chars.some((c) => !alphabet.includes(c))) {
      fail('CEREMONY_INVALID', `${path}.ceremony.value`, `expected ${length} characters from ${JSON.stringify(alphabet)}`);
    }
  }
}
