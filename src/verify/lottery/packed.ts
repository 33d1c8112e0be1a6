/**
 * A member list kept as offsets into a record's bytes (record-bytes.ts) instead of one JS string
 * per member: a 15,000,000-member pool is 15,000,000 V8 strings and array slots otherwise,
 * 2.6× the pool's bytes (docs/performance.md, "Lottery verification"). Only ids the scanner
 * could take byte for byte are packed: ASCII (so UTF-8 = code units, NFC, no surrogate), 1 to
 * 1024 bytes, no escape — exactly the ids hashIdSequence's fast path takes, so hashing them here
 * gives its digest and its first error.
 */
import { hashIdSequence, MAX_ID_BYTES, TAG_POOL, type Sha256Factory } from './encoding.js';
import { fail } from './errors.js';

const CHUNK = 1 << 16;

export class PackedIds {
  /**
   * @param bytes  the record's bytes (shared, never copied)
   * @param starts the offset of each id's first byte (after its opening quote)
   * @param lens   each id's length in bytes, 1..1024
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly starts: Uint32Array,
    private readonly lens: Uint16Array,
  ) {
    if (starts.length !== lens.length) throw new RangeError('PackedIds: starts and lengths differ in count');
  }

  get length(): number {
    return this.starts.length;
  }

  /** The i-th id as a string (the draw reads its picks, 1 % of a province pool, this way). */
  at(i: number): string {
    const s = this.starts[i]!;
    return String.fromCharCode.apply(null, this.bytes.subarray(s, s + this.lens[i]!) as unknown as number[]);
  }

  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.at(i);
    return out;
  }

  /**
   * Spec §2.4 (sorted) or §2.5: the same digest and the same first error as
   * hashIdSequence(this.toArray(), sorted, path). Sorted pools — the bulk of a province record —
   * go straight from the record's bytes into the hash through a 64 KiB buffer, the order checked
   * on the bytes (ASCII: byte order = code unit order = `<`); a list (a group draw's targets,
   * small) is hashed as strings, its duplicate check needing them.
   */
  hash(sorted: boolean, path: string, createHash: Sha256Factory): Uint8Array {
    if (!sorted) return hashIdSequence(this.toArray(), false, path, createHash);
    const { bytes, starts, lens } = this;
    const h = createHash();
    h.update(TAG_POOL);
    const buf = new Uint8Array(CHUNK + 4 + MAX_ID_BYTES);
    let pos = 0;
    let prevStart = 0;
    let prevLen = 0;
    const n = starts.length;
    for (let i = 0; i < n; i++) {
      const s = starts[i]!;
      const len = lens[i]!;
      buf[pos] = 0;
      buf[pos + 1] = 0;
      buf[pos + 2] = len >>> 8;
      buf[pos + 3] = len & 0xff;
      pos += 4;
      // Copy the id while comparing it with the previous one: the first differing byte decides.
      let order = i === 0 ? 1 : 0;
      for (let j = 0; j < len; j++) {
        const c = bytes[s + j]!;
        buf[pos + j] = c;
        if (order === 0 && j < prevLen) order = c - bytes[prevStart + j]!;
      }
      if (order === 0) order = len - prevLen;
      if (order <= 0) fail('POOL_NOT_CANONICAL', `${path}[${i}]`, 'pool is not strictly ascending by UTF-8 bytes', `> ${JSON.stringify(this.at(i - 1))}`, this.at(i));
      pos += len;
      prevStart = s;
      prevLen = len;
      if (pos >= CHUNK) {
        h.update(buf.subarray(0, pos));
        pos = 0;
      }
    }
    h.update(buf.subarray(0, pos));
    return h.digest();
  }
}

/** A pool's members: strings, or packed offsets into a record's bytes. */
export type Members = readonly string[] | PackedIds;

export const memberAt = (m: Members, i: number): string => (m instanceof PackedIds ? m.at(i) : m[i]!);

/** The members as strings (a group draw, small, walks them whole). */
export const memberArray = (m: Members): readonly string[] => (m instanceof PackedIds ? m.toArray() : m);
