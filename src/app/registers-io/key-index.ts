import { CompactStrings } from './shared-strings.js';

/**
 * The first row of each key (credit code, inspector id) seen in a file, to report "duplicate
 * of row N": a Map<string, number> of 1,000,000 credit codes is ~80 MB of JS heap; this is an
 * open-addressing table over the keys' UTF-8 bytes (~40 bytes a key). Exact: a hash hit is
 * confirmed by comparing the stored key.
 */
export class KeyIndex {
  private readonly keys = new CompactStrings();
  private rows = new Uint32Array(1024);
  private slots = new Uint32Array(2048);

  /** The row first seen with `key`, or undefined (and `row` is recorded for it). */
  firstOrAdd(key: string, row: number): number | undefined {
    if (2 * (this.keys.count + 1) > this.slots.length) this.grow();
    let s = hash(key) & (this.slots.length - 1);
    for (;;) {
      const at = this.slots[s]!;
      if (at === 0) break;
      if (this.keys.get(at - 1) === key) return this.rows[at - 1];
      s = (s + 1) & (this.slots.length - 1);
    }
    const n = this.keys.push(key);
    if (n > this.rows.length) {
      const grown = new Uint32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[n - 1] = row;
    this.slots[s] = n;
    return undefined;
  }

  private grow(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    for (let i = 0; i < this.keys.count; i++) {
      let s = hash(this.keys.get(i)!) & (slots.length - 1);
      while (slots[s] !== 0) s = (s + 1) & (slots.length - 1);
      slots[s] = i + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a over UTF-16 code units: spreads credit codes, which differ in a few characters. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
