import type { ImportLimits } from './limits.js';
import { limitExceeded } from './limits.js';
import type { Source } from './source.js';
import { fileError } from './table.js';

/** APPNOTE.TXT (PKWARE ZIP spec) §4.3.16 end of central directory record, §4.3.12 central directory header. */
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_MIN = 22;
/** The EOCD is followed by a comment of at most 65,535 bytes. */
const EOCD_SEARCH = EOCD_MIN + 0xffff;
/** ZIP64 marks a size it moved to an extra field; no register needs 4 GiB, so such a file is refused. */
const ZIP64_MARK = 0xffffffff;

const broken = (en: string): Error => fileError('XLSX 不是有效的 zip 文件', `not a valid zip file (${en})`);

/**
 * Reads only the zip's central directory (a few KB at the end of the file) and refuses the
 * file when the uncompressed sizes it declares add up to more than the limit: a zip bomb is
 * refused without inflating a byte. Sizes are attacker-written; a zip that under-declares is
 * still bounded by the row and column limits the streaming reader enforces as it inflates.
 */
export function checkZip(bytes: Uint8Array, limits: ImportLimits): void {
  const { cdOffset, cdSize, entries } = endOfCentralDirectory(bytes, 0);
  checkCentralDirectory(bytes.subarray(cdOffset, cdOffset + cdSize), entries, limits);
}

/** Where each entry's local header starts, by name, from the central directory (APPNOTE §4.3.12: offset at +42). */
export interface ZipLayout {
  readonly cdOffset: number;
  readonly entries: readonly { readonly name: string; readonly localOffset: number }[];
}

/** checkZip on a file read from disk: only the tail and the central directory are read (issue 13). Returns the layout it read. */
export async function checkZipSource(source: Source, limits: ImportLimits): Promise<ZipLayout> {
  const tailStart = Math.max(0, source.size - EOCD_SEARCH);
  const tail = await source.readAt(tailStart, source.size - tailStart);
  const { cdOffset, cdSize, entries } = endOfCentralDirectory(tail, tailStart);
  const cd = await source.readAt(cdOffset, cdSize);
  checkCentralDirectory(cd, entries, limits);
  return { cdOffset, entries: entryOffsets(cd, entries) };
}

/** Names and local-header offsets; called after checkCentralDirectory, which walked the same records. */
function entryOffsets(cd: Uint8Array, entries: number): ZipLayout['entries'] {
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const names = new TextDecoder('utf-8');
  const out: { name: string; localOffset: number }[] = [];
  let p = 0;
  for (let n = 0; n < entries; n++) {
    const nameLength = view.getUint16(p + 28, true);
    out.push({ name: names.decode(cd.subarray(p + 46, p + 46 + nameLength)), localOffset: view.getUint32(p + 42, true) });
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return out;
}

/** `tail` holds the file's bytes from `tailStart` to its end. */
function endOfCentralDirectory(tail: Uint8Array, tailStart: number): { cdOffset: number; cdSize: number; entries: number } {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= Math.max(0, tail.length - EOCD_SEARCH); i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken('no end of central directory');
  const entries = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (cdOffset === ZIP64_MARK || cdOffset + cdSize > tailStart + eocd) throw broken('central directory out of bounds');
  return { cdOffset, cdSize, entries };
}

function checkCentralDirectory(cd: Uint8Array, entries: number, limits: ImportLimits): void {
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  let total = 0;
  let p = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > cd.length || view.getUint32(p, true) !== CENTRAL_SIGNATURE) throw broken('bad central directory entry');
    const uncompressed = view.getUint32(p + 24, true);
    if (uncompressed === ZIP64_MARK || view.getUint32(p + 20, true) === ZIP64_MARK) throw limitExceeded('maxUncompressedBytes', limits.maxUncompressedBytes);
    total += uncompressed;
    if (total > limits.maxUncompressedBytes) throw limitExceeded('maxUncompressedBytes', limits.maxUncompressedBytes, total);
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
}
