/**
 * Byte encodings of docs/lottery-spec.md §2: domain tags, member ids, pools and lists.
 * Ids are compared by their UTF-8 bytes, which is Unicode code point order (spec §2.2).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fail } from './errors.js';

export const ALGORITHM = 'suiji-draw/1';

/** Spec §2.1: tag(name) = ASCII("suiji-draw/1:" ‖ name) ‖ 0x00 — the NUL makes tags prefix-free. */
export function tag(name: string): Uint8Array {
  const s = `${ALGORITHM}:${name}`;
  const out = new Uint8Array(s.length + 1);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export const TAG_POOL = tag('pool');
export const TAG_LIST = tag('list');

/** Spec §2.2: an id is 1..1024 UTF-8 bytes. */
export const MAX_ID_BYTES = 1024;

const encoder = new TextEncoder();

export const u32be = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};

export const u64be = (n: number | bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};

/** True when every code unit is below U+0080: such a string is NFC and its UTF-8 is its code units. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Code point order of two strings (= UTF-8 byte order, spec §2.2). JavaScript's `<` compares
 * UTF-16 code units, which differs only when both differing units are ≥ U+D800 (a surrogate
 * against U+E000..U+FFFF), so those are remapped.
 */
export function compareIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Spec §2.2: NFC-normalise and check an id given as input (builders call this; verifiers use checkId). */
export function normalizeId(raw: unknown, path: string): string {
  if (typeof raw !== 'string') fail('MALFORMED', path, 'id must be a string');
  const id = isAscii(raw) ? raw : raw.normalize('NFC');
  checkId(id, path);
  return id;
}

/** Spec §2.2: a canonical id is NFC, has no lone surrogate and is 1..1024 UTF-8 bytes. */
export function checkId(id: unknown, path: string): asserts id is string {
  if (typeof id !== 'string') fail('MALFORMED', path, 'id must be a string');
  if (id.length === 0) fail('ID_INVALID', path, 'id is empty');
  if (isAscii(id)) {
    if (id.length > MAX_ID_BYTES) fail('ID_INVALID', path, 'id longer than 1024 bytes');
    return;
  }
  if (/\p{Surrogate}/u.test(id)) fail('ID_INVALID', path, 'id has a lone surrogate');
  if (id.normalize('NFC') !== id) fail('ID_INVALID', path, 'id is not in Unicode NFC');
  if (encoder.encode(id).length > MAX_ID_BYTES) fail('ID_INVALID', path, 'id longer than 1024 bytes');
}

/**
 * Spec §2.3: the canonical form of a member set — NFC ids, ascending by UTF-8 bytes, no duplicate
 * (a duplicate is refused, never silently merged: it means the source register is broken).
 * Input that is already sorted (the normal case: registers export sorted) costs one O(n) pass.
 */
export function canonicalPool(raw: readonly unknown[], path: string): string[] {
  const ids = new Array<string>(raw.length);
  let sorted = true;
  let surrogates = false;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    let id: string;
    // The ASCII fast path keeps a 15-million-member commit to one cheap pass (no path strings built).
    if (typeof r === 'string' && r.length > 0 && r.length <= MAX_ID_BYTES && isAscii(r)) id = r;
    else {
      id = normalizeId(r, `${path}[${i}]`);
      if (!surrogates && /[\ud800-\udfff]/.test(id)) surrogates = true;
    }
    ids[i] = id;
    if (i > 0 && sorted) sorted = surrogates ? compareIds(ids[i - 1]!, id) < 0 : ids[i - 1]! < id;
  }
  // Without surrogates UTF-16 order is code point order, so the native sort is exact (spec §2.2).
  if (!sorted) {
    if (surrogates) ids.sort(compareIds);
    else ids.sort();
  }
  for (let i = 1; i < ids.length; i++) {
    if (ids[i - 1] === ids[i]) fail('POOL_NOT_CANONICAL', `${path}`, `duplicate id ${JSON.stringify(ids[i])}`);
  }
  return ids;
}

const CHUNK = 1 << 16;

/**
 * A streaming SHA-256 (update…digest). The verifier's default is @noble's, so src/verify runs in
 * a browser; a Node caller may pass node:crypto's (`() => createHash('sha256')`), which hashes
 * the pool several times faster. Both give the same bytes (tests/verify/lottery/hash-option.test.ts).
 */
export interface Sha256Hasher {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}
export type Sha256Factory = () => Sha256Hasher;
export const nobleSha256: Sha256Factory = () => sha256.create();

/**
 * Spec §2.3/§2.4: SHA-256(tag ‖ enc(id_1) ‖ … ‖ enc(id_n)) with enc(id) = u32be(len) ‖ UTF-8(id).
 * With `sorted`, also checks in the same pass that the ids are canonical and strictly ascending
 * (the O(n) check a verifier needs; committed pools arrive sorted, so nobody re-sorts).
 * Streams through a 64 KiB buffer so a 15-million-member pool never needs one big array.
 */
export function hashIdSequence(ids: readonly unknown[], sorted: boolean, path: string, createHash: Sha256Factory = nobleSha256): Uint8Array {
  const h = createHash();
  h.update(sorted ? TAG_POOL : TAG_LIST);
  const buf = new Uint8Array(CHUNK + 4 + MAX_ID_BYTES);
  let pos = 0;
  let prev = '';
  let prevAscii = true;
  const seen = sorted ? undefined : new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (typeof id !== 'string') fail('MALFORMED', `${path}[${i}]`, 'id must be a string');
    // ASCII fast path: copy code units while checking they are ASCII, in one pass.
    const len = id.length;
    let ascii = len > 0 && len <= MAX_ID_BYTES;
    for (let j = 0; ascii && j < len; j++) {
      const c = id.charCodeAt(j);
      if (c > 0x7f) ascii = false;
      else buf[pos + 4 + j] = c;
    }
    if (ascii) {
      buf[pos] = 0;
      buf[pos + 1] = 0;
      buf[pos + 2] = len >>> 8;
      buf[pos + 3] = len & 0xff;
      pos += 4 + len;
    } else {
      checkId(id, `${path}[${i}]`);
      const { written } = encoder.encodeInto(id, buf.subarray(pos + 4));
      new DataView(buf.buffer).setUint32(pos, written);
      pos += 4 + written;
    }
    if (sorted) {
      // One ASCII side makes `<` exact (the first differing unit pair then has one unit < U+D800).
      if (i > 0 && !((ascii || prevAscii) ? prev < id : compareIds(prev, id) < 0)) {
        fail('POOL_NOT_CANONICAL', `${path}[${i}]`, 'pool is not strictly ascending by UTF-8 bytes', `> ${JSON.stringify(prev)}`, id);
      }
      prev = id;
      prevAscii = ascii;
    } else {
      if (seen!.has(id)) fail('POOL_NOT_CANONICAL', `${path}[${i}]`, `duplicate id ${JSON.stringify(id)}`);
      seen!.add(id);
    }
    if (pos >= CHUNK) {
      h.update(buf.subarray(0, pos));
      pos = 0;
    }
  }
  h.update(buf.subarray(0, pos));
  return h.digest();
}

/** Spec §2.4: the hash of a sorted pool (checks canonical order). */
export const poolHash = (ids: readonly unknown[], path = 'pool', createHash?: Sha256Factory): Uint8Array => hashIdSequence(ids, true, path, createHash);

/** Spec §2.5: the hash of an ordered list without duplicates (the targets of a group draw, in draw order). */
export const listHash = (ids: readonly unknown[], path = 'list', createHash?: Sha256Factory): Uint8Array => hashIdSequence(ids, false, path, createHash);
