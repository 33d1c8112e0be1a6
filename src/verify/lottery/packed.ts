/**
 * A member list kept packed instead of one JS string per member: a 15,000,000-member pool is
 * 15,000,000 V8 strings and array slots otherwise, 2.6× the pool's bytes (docs/performance.md,
 * "Lottery verification"). The list is held as its own hash input — enc(id_1) ‖ … ‖ enc(id_n),
 * enc(id) = u32be(len) ‖ id (spec §2.4) — written by the record's scanner (record-bytes.ts) as
 * it reads the ids, so hashing a sorted pool is one call of the hash over those bytes, with no
 * per-member work left. Only ids hashIdSequence's fast path takes are packed: ASCII (so UTF-8 =
 * code units, NFC, no surrogate), 1 to 1024 bytes; the scanner notes the first id not above its
 * predecessor, so hash() gives hashIdSequence's digest and its first error.
 */
import { hashIdSequence, TAG_POOL, type Sha256Factory } from './encoding.js';
import { fail } from './errors.js';

export class PackedIds {
  /**
   * @param enc       enc(id_1) ‖ … ‖ enc(id_n)
   * @param starts    the offset in `enc` of each id's length prefix
   * @param unordered the index of the first id not strictly above the one before it, or -1
   */
  constructor(
    private readonly enc: Uint8Array,
    private readonly starts: Uint32Array,
    private readonly unordered: number,
  ) {}

  get length(): number {
    return this.starts.length;
  }

  /** The i-th id as a string (the draw reads its picks, 1 % of a province pool, this way). */
  at(i: number): string {
    const s = this.starts[i]!;
    const len = (this.enc[s + 2]! << 8) | this.enc[s + 3]!;
    return String.fromCharCode.apply(null, this.enc.subarray(s + 4, s + 4 + len) as unknown as number[]);
  }

  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.at(i);
    return out;
  }

  /**
   * Spec §2.4 (sorted) or §2.5: the same digest and the same first error as
   * hashIdSequence(this.toArray(), sorted, path). A sorted pool — the bulk of a province record —
   * is its encoding hashed whole; a list (a group draw's targets, small) is hashed as strings, its
   * duplicate check needing them.
   */
  hash(sorted: boolean, path: string, createHash: Sha256Factory): Uint8Array {
    if (!sorted) return hashIdSequence(this.toArray(), false, path, createHash);
    const i = this.unordered;
    if (i >= 0) fail('POOL_NOT_CANONICAL', `${path}[${i}]`, 'pool is not strictly ascending by UTF-8 bytes', `> ${JSON.stringify(this.at(i - 1))}`, this.at(i));
    const h = createHash();
    h.update(TAG_POOL);
    const n = this.starts.length;
    const end = n === 0 ? 0 : this.starts[n - 1]! + 4 + ((this.enc[this.starts[n - 1]! + 2]! << 8) | this.enc[this.starts[n - 1]! + 3]!);
    h.update(this.enc.subarray(0, end));
    return h.digest();
  }
}

/** A pool's members: strings, or packed. */
export type Members = readonly string[] | PackedIds;

export const memberAt = (m: Members, i: number): string => (m instanceof PackedIds ? m.at(i) : m[i]!);

/** The members as strings (a group draw, small, walks them whole). */
export const memberArray = (m: Members): readonly string[] => (m instanceof PackedIds ? m.toArray() : m);
