/**
 * An XLSX's shared-string table, kept as UTF-8 bytes in 1 MiB slabs with a (slab, offset,
 * length) triple per string, instead of exceljs's array of JS strings. A 1,000,000-row
 * register has a shared string for nearly every name and credit code: as V8 strings (UTF-16
 * for Chinese, a header each) they came to well over 100 MB (docs/performance.md "Imports").
 * Rich text is kept as its plain text: the importer reads only the text (cellText).
 */
const SLAB = 1 << 20;

export class CompactStrings {
  private slabs: Buffer[] = [];
  private used = SLAB;
  private index = new Uint32Array(3 * 1024);
  count = 0;

  push(value: unknown): number {
    const text = typeof value === 'string' ? value : plain(value);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (this.slabs.length === 0 || this.used + bytes > SLAB) {
      this.slabs.push(Buffer.allocUnsafe(Math.max(SLAB, bytes)));
      this.used = 0;
    }
    const slab = this.slabs.length - 1;
    this.slabs[slab]!.write(text, this.used, 'utf8');
    if (3 * (this.count + 1) > this.index.length) {
      const grown = new Uint32Array(this.index.length * 2);
      grown.set(this.index);
      this.index = grown;
    }
    this.index.set([slab, this.used, bytes], 3 * this.count);
    this.used += bytes;
    return ++this.count;
  }

  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    const slab = this.index[3 * i]!;
    const start = this.index[3 * i + 1]!;
    return this.slabs[slab]!.toString('utf8', start, start + this.index[3 * i + 2]!);
  }
}

function plain(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v && Array.isArray(v.richText)) return v.richText.map((t: { text?: unknown }) => (typeof t.text === 'string' ? t.text : '')).join('');
  return String(v);
}

/**
 * What exceljs's reader sees as `sharedStrings`: `push` while the table is read, `[i]` when a
 * cell refers to it. Nothing else of an array is used (lib/stream/xlsx/*-reader.js).
 */
export function sharedStringsView(store: CompactStrings): unknown[] {
  return new Proxy([] as unknown[], {
    get(target, key) {
      if (key === 'push') return (v: unknown) => store.push(v);
      if (key === 'length') return store.count;
      if (typeof key === 'string' && /^\d+$/.test(key)) return store.get(Number(key));
      return Reflect.get(target, key);
    },
  });
}
