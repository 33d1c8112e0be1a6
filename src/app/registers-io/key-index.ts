import { ByteArena } from './arena.js';

/**
 * The first row of each key (credit code, inspector id) seen in a file, to report "duplicate
 * of row N": a Map<string, number> of 1,000,000 credit codes is ~80 MB of JS heap; this is an
 * open-addressing table of 4-byte addresses into a ByteArena holding, per key, its row, its
 * length and its UTF-8 bytes (~26 bytes for a credit code, plus 4–8 bytes of table: about 32 a
 * key, against ~42 with a string index and a row array that doubled). Exact: a hash hit is
 * confirmed by comparing the stored bytes.
 */
export class KeyIndex {
  private readonly records = new ByteArena();
  private slots = new Uint32Array(2048);
  private count = 0;
  private scratch = Buffer.alloc(256);

  /** The row first seen with `key`, or undefined (and `row` is recorded for it). */
  firstOrAdd(key: string, row: number): number | undefined {
    if (2 * (this.count + 1) > this.slots.length) this.grow();
    const length = Buffer.byteLength(key, 'utf8');
    if (length > this.scratch.length) this.scratch = Buffer.alloc(2 * length);
    this.scratch.write(key, 0, length, 'utf8');
    const mask = this.slots.length - 1;
    let s = hash(this.scratch, 0, length) & mask;
    for (;;) {
      const at = this.slots[s]!;
      if (at === 0) break;
      const slab = this.records.slab(at - 1);
      const o = this.records.offset(at - 1);
      if (slab.readUInt32LE(o + 4) === length && slab.compare(this.scratch, 0, length, o + 8, o + 8 + length) === 0) return slab.readUInt32LE(o);
      s = (s + 1) & mask;
    }
    const address = this.records.alloc(8 + length);
    const slab = this.records.slab(address);
    const o = this.records.offset(address);
    slab.writeUInt32LE(row, o);
    slab.writeUInt32LE(length, o + 4);
    this.scratch.copy(slab, o + 8, 0, length);
    // Address + 1: a zero slot is empty.
    this.slots[s] = address + 1;
    this.count++;
    return undefined;
  }

  /** Doubles the table, rehashing from the stored bytes (the old table is dropped right after). */
  private grow(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (const at of this.slots) {
      if (at === 0) continue;
      const slab = this.records.slab(at - 1);
      const o = this.records.offset(at - 1);
      let s = hash(slab, o + 8, o + 8 + slab.readUInt32LE(o + 4)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = at;
    }
    this.slots = slots;
  }
}

/** FNV-1a over the key's UTF-8 bytes: spreads credit codes, which differ in a few characters. */
function hash(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}
