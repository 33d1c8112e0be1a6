/**
 * A draw record read from its bytes with its pools packed (packed.ts): the member lists at
 * `pools.<hash>` (and `parent.pools.<hash>`, …) go from the bytes to offsets — no JS string per
 * member — and everything else is parsed as before.
 *
 * How, and why it is exactly as strict as parseJsonStrict (json.ts) on the whole text:
 * - One pass over the bytes follows the JSON structure (strings, nesting, member names). A member
 *   list is packed only when it is an array of plain strings: printable ASCII other than `"` and
 *   `\`, 1 to 1024 bytes — a valid JSON array, whose value JSON.parse would give as those strings.
 * - The rest, the "skeleton" (the bytes with each packed array's contents removed, `[]` left in
 *   its place), goes through parseJsonStrict itself. Replacing a valid array by another valid
 *   array (`[]`) changes neither whether the text is JSON nor any duplicate name or its pointer
 *   (an array of strings has no names), so the skeleton is refused exactly when the text is.
 * - Anything else — an escape or a non-ASCII id in a pool, an empty or over-long id, invalid
 *   JSON, a duplicate name, a record that is not `suiji-draw-record/1` — answers `undefined`:
 *   the caller runs the whole-text path, which gives its own verdict or error.
 * Input is one Uint8Array (the file): the scanner runs a tight index loop with no token split
 * across chunks. Each packed list is its own hash input (packed.ts), written as the ids are read,
 * plus 4 bytes of offset per member; the file's bytes are not referenced afterwards.
 */
import { parseJsonStrict } from '../json.js';
import { MAX_ID_BYTES } from './encoding.js';
import { PackedIds } from './packed.js';
import { RECORD_FORMAT } from './record.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** JSON whitespace (RFC 8259 §2). */
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Where a packed list goes back into the parsed skeleton: the names leading to it, and the list. */
interface Packed {
  readonly path: readonly string[];
  readonly ids: PackedIds;
}

/** What an object is, for finding member lists: a record (the root, or a `parent`), a record's `pools`, or other. */
type Role = 'record' | 'pools' | 'other';

interface Frame {
  readonly object: boolean;
  readonly role: Role;
  readonly path: readonly string[];
  /** The current member's decoded name (objects), while its value is read. */
  key: string | undefined;
  expectKey: boolean;
}

/** End (index of the closing quote) of the string opening at `i`, or -1 when the text ends first. */
function stringEnd(b: Uint8Array, i: number): number {
  for (let j = i + 1; j < b.length; j++) {
    const c = b[j]!;
    if (c === QUOTE) return j;
    if (c === BACKSLASH) j++;
  }
  return -1;
}

const latin1 = (b: Uint8Array, from: number, to: number): string => {
  let s = '';
  for (let i = from; i < to; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, Math.min(to, i + 4096)) as unknown as number[]);
  return s;
};

/** A member name as JSON.parse would decode it; undefined if it is not a valid JSON string. */
function nameOf(b: Uint8Array, start: number, end: number, decoder: TextDecoder): string | undefined {
  let plain = true;
  for (let j = start + 1; j < end && plain; j++) {
    const c = b[j]!;
    if (c === BACKSLASH || c < 0x20 || c > 0x7e) plain = false;
  }
  if (plain) return latin1(b, start + 1, end);
  try {
    return JSON.parse(decoder.decode(b.subarray(start, end + 1))) as string;
  } catch {
    return undefined;
  }
}

/** A byte inside a plain id: 0 plain (printable ASCII and DEL), 1 the closing quote, 2 anything else (escape, control, non-ASCII). */
const PLAIN = new Uint8Array(256).map((_, c) => (c === QUOTE ? 1 : c < 0x20 || c === BACKSLASH || c > 0x7f ? 2 : 0));

/** Room an id needs in a list's encoding: its prefix, 1024 bytes, and a word's overrun. */
const ROOM = 4 + MAX_ID_BYTES + 8;

/**
 * True when none of the four bytes of `w` is ≥ 0x80, < 0x20, a quote or a backslash (each one
 * PLAIN's 0). Bit tricks of "Bit Twiddling Hacks" (hasless, haszero): as booleans they are exact.
 */
function plainWord(w: number): boolean {
  if ((w & 0x80808080) !== 0) return false;
  if (((w - 0x20202020) & ~w & 0x80808080) !== 0) return false;
  const quote = w ^ 0x22222222;
  if (((quote - 0x01010101) & ~quote & 0x80808080) !== 0) return false;
  const backslash = w ^ 0x5c5c5c5c;
  return ((backslash - 0x01010101) & ~backslash & 0x80808080) === 0;
}

/** Growable output of the list scanner. */
const grow = <T extends Uint8Array | Uint32Array>(a: T, need: number, make: (n: number) => T): T => {
  if (need <= a.length) return a;
  const bigger = make(Math.max(need, Math.ceil(a.length * 1.25)));
  bigger.set(a);
  return bigger;
};

/**
 * Scans the member list whose `[` is at `open`: plain ASCII strings only. Answers the packed ids
 * and the index of its `]`, or undefined when the list is anything else. One pass per byte:
 * check it, copy it into the list's encoding, compare it with the previous id's byte.
 */
function scanList(b: Uint8Array, open: number): { ids: PackedIds; close: number } | undefined {
  const end = b.length;
  // The encoding is at most the list's text plus one byte per id (`"a",` is 4 bytes, enc(a) 5);
  // the rest of the file, plus 1/16, is room enough for exported records (≥ 18-byte ids).
  let enc = new Uint8Array(Math.min(2 ** 32 - 1, end - open + ((end - open) >>> 4) + ROOM));
  let ev = new DataView(enc.buffer, enc.byteOffset, enc.byteLength);
  const bv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let starts = new Uint32Array(1024);
  let n = 0;
  let p = 0;
  let prev = 0;
  let prevLen = 0;
  let unordered = -1;
  let i = open + 1;
  while (i < end && isSpace(b[i]!)) i++;
  if (b[i] === 0x5d) return { ids: new PackedIds(enc.subarray(0, 0), starts.subarray(0, 0), -1), close: i };
  for (;;) {
    if (b[i] !== QUOTE) return undefined;
    const s = i + 1;
    if (p + ROOM > enc.length) {
      enc = grow(enc, p + ROOM, (k) => new Uint8Array(k));
      ev = new DataView(enc.buffer, enc.byteOffset, enc.byteLength);
    }
    const q = p + 4;
    let order = n === 0 ? 1 : 0;
    let j = s;
    // Four bytes a step while all four are plain (SWAR on big-endian words, whose numeric order is
    // their bytes' order); the byte loop below takes the rest of the id from the first word that is not.
    while (j + 4 <= end && j - s < MAX_ID_BYTES) {
      const w = bv.getUint32(j);
      if (!plainWord(w)) break;
      const k = j - s;
      ev.setUint32(q + k, w);
      if (order === 0) {
        if (k + 4 <= prevLen) {
          const pw = ev.getUint32(prev + 4 + k);
          if (pw !== w) order = w > pw ? 1 : -1;
        } else {
          for (let m = 0; m < 4 && order === 0 && k + m < prevLen; m++) order = b[j + m]! - enc[prev + 4 + k + m]!;
        }
      }
      j += 4;
    }
    for (; j < end; j++) {
      const c = b[j]!;
      const kind = PLAIN[c]!;
      if (kind !== 0) {
        if (kind === 1) break;
        // Not a plain id: an escape, a control character (invalid JSON) or non-ASCII — the whole-text path decides.
        return undefined;
      }
      const k = j - s;
      // Beyond the 1024 bytes reserved, writes fall outside `enc` or into unused room; such an id is refused below.
      enc[q + k] = c;
      if (order === 0 && k < prevLen) order = c - enc[prev + 4 + k]!;
    }
    const len = j - s;
    if (j >= end || len === 0 || len > MAX_ID_BYTES) return undefined;
    if (order === 0) order = len - prevLen;
    if (order <= 0 && unordered < 0) unordered = n;
    enc[p] = 0;
    enc[p + 1] = 0;
    enc[p + 2] = len >>> 8;
    enc[p + 3] = len & 0xff;
    if (n === starts.length) starts = grow(starts, 2 * n, (k) => new Uint32Array(k));
    starts[n++] = p;
    prev = p;
    prevLen = len;
    p = q + len;
    i = j + 1;
    while (i < end && isSpace(b[i]!)) i++;
    if (b[i] === 0x5d) {
      // A list much smaller than its room (several lists in one record) gives the room back.
      const packed = p < enc.length >>> 1 ? enc.slice(0, p) : enc.subarray(0, p);
      return { ids: new PackedIds(packed, starts.subarray(0, n), unordered), close: i };
    }
    if (b[i] !== 0x2c) return undefined;
    i++;
    while (i < end && isSpace(b[i]!)) i++;
  }
}

/**
 * Parses a draw record's bytes as parseJsonStrict(UTF-8 text) would, its member lists packed;
 * undefined when the whole-text path must decide (see the file's comment). Never throws.
 */
export function parseRecordBytes(b: Uint8Array): { readonly record: unknown } | undefined {
  // Offsets are kept in 32 bits.
  if (b.length >= 2 ** 32) return undefined;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const stack: Frame[] = [];
  const packed: Packed[] = [];
  /** The skeleton as kept byte ranges, each packed list's contents left out. */
  const kept: string[] = [];
  let from = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    const top = stack[stack.length - 1];
    if (c === QUOTE) {
      const end = stringEnd(b, i);
      if (end < 0) return undefined;
      if (top?.object && top.expectKey) {
        const key = nameOf(b, i, end, decoder);
        if (key === undefined) return undefined;
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      // A value: what it is follows from where it stands.
      const key = top?.object ? top.key : undefined;
      const role: Role =
        top === undefined ? 'record'
        : top.role === 'record' && key === 'parent' ? 'record'
        : top.role === 'record' && key === 'pools' ? 'pools'
        : 'other';
      // Names are followed only down records and their pools (a record's other parts may hold a million objects).
      const path = role === 'other' ? [] : top === undefined ? [] : [...top.path, key!];
      if (c === 0x5b && top?.role === 'pools' && key !== undefined) {
        const list = scanList(b, i);
        if (!list) return undefined;
        kept.push(decoder.decode(b.subarray(from, i + 1)));
        from = list.close;
        packed.push({ path: [...top.path, key], ids: list.ids });
        i = list.close - 1;
        continue;
      }
      stack.push({ object: c === 0x7b, role, path, key: undefined, expectKey: c === 0x7b });
    } else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c && top?.object) top.expectKey = true;
  }
  kept.push(decoder.decode(b.subarray(from)));
  let record: unknown;
  try {
    record = parseJsonStrict(kept.join(''));
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || (record as { format?: unknown }).format !== RECORD_FORMAT) return packed.length === 0 ? { record } : undefined;
  for (const { path, ids } of packed) {
    let o: unknown = record;
    for (const k of path.slice(0, -1)) o = (o as Record<string, unknown>)[k];
    const last = path[path.length - 1]!;
    // The skeleton's `[]` stands where the list was; an own data property, as JSON.parse makes (even for "__proto__").
    if (typeof o !== 'object' || o === null || !Object.hasOwn(o, last) || !Array.isArray((o as Record<string, unknown>)[last])) return undefined;
    Object.defineProperty(o, last, { value: ids, writable: true, enumerable: true, configurable: true });
  }
  return { record };
}
