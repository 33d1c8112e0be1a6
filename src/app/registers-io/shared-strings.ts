import { ByteArena, ChunkedUint32 } from './arena.js';

/**
 * An XLSX's shared-string table, kept as UTF-8 bytes in an arena (a length and the bytes per
 * string, one 4-byte address each) instead of exceljs's array of JS strings. A 1,000,000-row
 * register has a shared string for nearly every name and credit code: as V8 strings (UTF-16
 * for Chinese, a header each) they came to well over 100 MB (docs/performance.md "Imports").
 * Rich text is kept as its plain text: the importer reads only the text (cellText).
 */
export class CompactStrings {
  private readonly bytes = new ByteArena();
  /** The XLSX's uncompressed size is under 4 GiB (maxUncompressedBytes, no ZIP64), so are its strings; ByteArena refuses more. */
  private readonly addresses = new ChunkedUint32();

  get count(): number {
    return this.addresses.length;
  }

  push(value: unknown): number {
    const text = typeof value === 'string' ? value : plain(value);
    const length = Buffer.byteLength(text, 'utf8');
    const address = this.bytes.alloc(4 + length);
    const slab = this.bytes.slab(address);
    const at = this.bytes.offset(address);
    slab.writeUInt32LE(length, at);
    slab.write(text, at + 4, length, 'utf8');
    return this.addresses.push(address);
  }

  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.count)) return undefined;
    const address = this.addresses.get(i);
    const slab = this.bytes.slab(address);
    const at = this.bytes.offset(address);
    return slab.toString('utf8', at + 4, at + 4 + slab.readUInt32LE(at));
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
