/**
 * The deterministic random bit generator and sampler of docs/lottery-spec.md §5.
 *
 * - Stream: block_i = SHA-256(key ‖ u64be(i)), i = 0, 1, 2, …; the key is a sub-seed, itself a
 *   tagged hash (§6.2), so the 40-byte input needs no tag of its own and fits one SHA-256
 *   compression (measured: a tagged 60-byte input costs 1.5× as much). Each 32-byte block
 *   yields eight 32-bit big-endian words, consumed in order.
 * - uniform(m), 1 ≤ m ≤ 2^32: limit = 2^32 − (2^32 mod m); draw words until w < limit; return
 *   w mod m. Rejection removes modulo bias exactly (V5); all arithmetic is exact in doubles.
 * - Shuffler: the forward (Durstenfeld) Fisher–Yates over indices 0..n−1, run lazily: the p-th
 *   pick swaps slot p with slot p + uniform(n − p) and returns slot p. k picks cost k uniforms,
 *   the pick order is the draw order, and continuing the same shuffler extends the draw.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const TWO_32 = 2 ** 32;

export class Stream {
  private readonly input = new Uint8Array(40);
  private counter = 0;
  private block = new Uint8Array(32);
  private next = 8;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError('Stream: key must be 32 bytes');
    this.input.set(key, 0);
  }

  nextWord(): number {
    if (this.next === 8) {
      const c = this.counter;
      const hi = Math.floor(c / TWO_32);
      const { input } = this;
      input[32] = hi >>> 24;
      input[33] = (hi >>> 16) & 0xff;
      input[34] = (hi >>> 8) & 0xff;
      input[35] = hi & 0xff;
      input[36] = c >>> 24;
      input[37] = (c >>> 16) & 0xff;
      input[38] = (c >>> 8) & 0xff;
      input[39] = c & 0xff;
      this.block = sha256(input);
      this.counter = c + 1;
      this.next = 0;
    }
    const b = this.block;
    const j = 4 * this.next++;
    return ((b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!) >>> 0;
  }

  /** Uniform integer in [0, m) by rejection sampling (spec §5.2). */
  uniform(m: number): number {
    if (!Number.isInteger(m) || m < 1 || m > TWO_32) throw new RangeError(`uniform: bad range ${m}`);
    const limit = TWO_32 - (TWO_32 % m);
    for (;;) {
      const w = this.nextWord();
      if (w < limit) return w % m;
    }
  }
}

/**
 * Lazy Fisher–Yates over 0..n−1. The permutation lives in a zero-filled Uint32Array holding
 * index + 1 (0 = untouched = identity), so creating a shuffler costs no initialisation pass.
 */
export class Shuffler {
  private readonly slots: Uint32Array;
  private p = 0;

  constructor(
    readonly n: number,
    private readonly stream: Stream,
  ) {
    if (!Number.isInteger(n) || n < 0 || n >= TWO_32 - 1) throw new RangeError(`Shuffler: bad size ${n}`);
    this.slots = new Uint32Array(n);
  }

  /** Picks made so far. */
  get picked(): number {
    return this.p;
  }

  get remaining(): number {
    return this.n - this.p;
  }

  /** The next index of the shuffle, or undefined when all n have been drawn. */
  pick(): number | undefined {
    const { p, n, slots } = this;
    if (p === n) return undefined;
    const j = p + this.stream.uniform(n - p);
    const atJ = slots[j] === 0 ? j : slots[j]! - 1;
    const atP = slots[p] === 0 ? p : slots[p]! - 1;
    slots[j] = atP + 1;
    slots[p] = atJ + 1;
    this.p = p + 1;
    return atJ;
  }
}
