/**
 * Hashes of docs/lottery-spec.md §3.5 and §6:
 *   commitmentHash = SHA-256(tag("commitment") ‖ JCS(commitment))
 *   seed           = SHA-256(tag("seed") ‖ commitmentHash ‖ E), E the revealed entropy (§6.1)
 *   subSeed        = SHA-256(tag("sub") ‖ seed ‖ u32be(len(label)) ‖ label ‖ u32be(index))
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { canonicalBytes } from '../jcs.js';
import { tag, u32be, u64be } from './encoding.js';
import type { Commitment, EntropyPlan, RevealedEntropy } from './record.js';

const TAG_COMMITMENT = tag('commitment');
const TAG_SEED = tag('seed');
const TAG_SUB = tag('sub');
const encoder = new TextEncoder();

/** Takes the commitment as published (any JSON); callers parse it first (spec §3.6). */
export const commitmentHash = (c: Commitment | unknown): Uint8Array => sha256(concatBytes(TAG_COMMITMENT, canonicalBytes(c)));

const present = (b: Uint8Array): Uint8Array => concatBytes(Uint8Array.of(1), b);
const absent = Uint8Array.of(0);
const lengthPrefixed = (b: Uint8Array): Uint8Array => concatBytes(u32be(b.length), b);

/**
 * Spec §6.1, fixed order drand ‖ witnesses ‖ ceremony; each part is 0x00 when the plan has no
 * such source. drand: 0x01 ‖ u64be(round used) ‖ randomness. witnesses: 0x01 ‖ u32be(count) ‖
 * per planned witness (0x01 ‖ u32be(len) ‖ UTF-8(secret)) or 0x00 if missing. ceremony:
 * 0x01 ‖ u32be(len) ‖ UTF-8(value).
 */
export function encodeEntropy(plan: EntropyPlan, revealed: RevealedEntropy): Uint8Array {
  const parts: Uint8Array[] = [];
  parts.push(plan.drand && revealed.drand ? present(concatBytes(u64be(revealed.drand.round), hexToBytes(revealed.drand.randomness))) : absent);
  if (plan.witnesses && revealed.witnesses) {
    const ws = revealed.witnesses.map((w) => (w.secret === null ? absent : present(lengthPrefixed(encoder.encode(w.secret)))));
    parts.push(present(concatBytes(u32be(ws.length), ...ws)));
  } else parts.push(absent);
  parts.push(plan.ceremony && revealed.ceremony ? present(lengthPrefixed(encoder.encode(revealed.ceremony.value))) : absent);
  return concatBytes(...parts);
}

export const drawSeed = (cHash: Uint8Array, plan: EntropyPlan, revealed: RevealedEntropy): Uint8Array =>
  sha256(concatBytes(TAG_SEED, cHash, encodeEntropy(plan, revealed)));

/** Spec §6.2: labels used are "class", "inspectors", "experts"; index is the class or target index. */
export const subSeed = (seed: Uint8Array, label: string, index: number): Uint8Array =>
  sha256(concatBytes(TAG_SUB, seed, lengthPrefixed(encoder.encode(label)), u32be(index)));
