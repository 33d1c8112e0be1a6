/**
 * An optional adapter capability for `verifyLedger` (src/store/verify-ledger.ts): pages of leaf
 * inputs read ahead of the verifier, packed in transferable buffers, so the reading, the column
 * checks and the envelope splice (leaf-rows.ts) run off the thread that hashes. On SQLite a worker
 * thread reads the file (src/store/sqlite/leaf-page-threads.ts); an adapter whose reads are
 * already asynchronous (PostgreSQL) can pack the rows of a paged SELECT with `packLeafPage` in its
 * own event loop and return the pages from `next()`.
 *
 * A packed row holds exactly what the stored-text pass hashes and compares: 0x00 ‖ UTF-8 of the
 * envelope text spliced from the stored columns, and the stored leaf as 32 bytes. Only rows the
 * stored-text rules vouch for are packed (`sound`): from the first row they cannot vouch for, the
 * verifier leaves the page to the decoded pass, which names the fault, exactly as the inline
 * stored-text pass does (docs/ledger-format.md §5).
 */
import type { EventRow } from './rows.js';
import { envelopePartsOfRow, type ActorTexts } from './leaf-rows.js';

export interface LeafPage {
  /** Position of the first row. */
  readonly from: number;
  /** Rows the read returned (at most the page size). */
  readonly count: number;
  /** Rows packed: the first `sound` rows were vouched for; row `sound`, when < count, was not (wrong position, column, text or leaf). */
  readonly sound: number;
  /** Row i's leaf input, 0x00 ‖ UTF-8(envelope JCS), is bytes[i === 0 ? 0 : ends[i - 1], ends[i]). */
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  /** Row i's payload text lies in bytes[payloads[2i], payloads[2i + 1]) (for `onPayload`, parsed only when asked). */
  readonly payloads: Uint32Array;
  /** Row i's stored leaf, decoded from its 64 lowercase hex characters: hashes[32i, 32i + 32). */
  readonly hashes: Uint8Array;
  /** Row i's event type is types[typeOf[i]]. */
  readonly types: readonly string[];
  readonly typeOf: Uint16Array;
}

export interface LeafPageStream {
  /** The next page, in position order; null after the last. Rejects when the reader failed. */
  next(): Promise<LeafPage | null>;
  /** Stops reading ahead; safe to call at any time, and more than once. */
  close(): Promise<void>;
}

export interface LeafPageReader {
  /** Pages of positions [from, until) of `pageSize` rows each (the last may be shorter), read ahead by `readers` threads or tasks (default 1). */
  leafPages(from: number, until: number, pageSize: number, readers?: number): LeafPageStream;
}

export const isLeafPageReader = (source: object): source is LeafPageReader =>
  typeof (source as { leafPages?: unknown }).leafPages === 'function';

const HASH_BYTES = 32;
const LEAF_PREFIX = 0x00; // RFC 6962 §2.1

/** Exactly 64 lowercase hex digits, the form the decoded pass compares with (a regular expression cost 6 % of the reader). */
function lowerHex64(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * Buffer#utf8Write (Node's own, undocumented but stable since v0.x): Buffer#write with an encoding
 * argument parses it on every call, 12 % of the reader thread at 1,000,000 events.
 */
type Utf8Writer = Buffer & { utf8Write?: (s: string, offset: number, length?: number) => number };
const utf8Write = (b: Buffer, s: string, at: number): number => {
  const w = b as Utf8Writer;
  return w.utf8Write !== undefined ? w.utf8Write(s, at, b.length - at) : b.write(s, at, 'utf8');
};

/** The buffers a page owns, for postMessage's transfer list. */
type HexWriter = Buffer & { hexWrite?: (s: string, offset: number, length: number) => number };
const hexWrite = (b: Buffer, s: string, at: number): number => {
  const w = b as HexWriter;
  return w.hexWrite !== undefined ? w.hexWrite(s, at, HASH_BYTES) : b.write(s, at, HASH_BYTES, 'hex');
};

export const pageTransfer = (page: LeafPage): ArrayBuffer[] =>
  [page.bytes.buffer, page.ends.buffer, page.payloads.buffer, page.hashes.buffer, page.typeOf.buffer] as ArrayBuffer[];

/**
 * Packs the rows of one read (EVENT_COLUMNS order) that should hold positions from, from + 1, …
 * Every buffer is its own ArrayBuffer (allocUnsafeSlow: never Node's shared pool), so the page can
 * be transferred to another thread without copying.
 */
export function packLeafPage(rows: readonly EventRow[], from: number, actors: ActorTexts): LeafPage {
  const count = rows.length;
  const ends = new Uint32Array(count);
  const payloads = new Uint32Array(2 * count);
  const hashes = Buffer.allocUnsafeSlow(HASH_BYTES * count);
  const typeOf = new Uint16Array(count);
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  let bytes = Buffer.allocUnsafeSlow(1024 + 512 * count);
  let at = 0;
  let sound = 0;
  for (; sound < count; sound++) {
    const row = rows[sound]!;
    if (row[0] !== from + sound) break;
    const parts = envelopePartsOfRow(row, actors);
    const stored = row[11];
    if (parts === null || typeof stored !== 'string' || !lowerHex64(stored)) break;
    const [head, payload, tail] = parts;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const most = 1 + 3 * (head.length + payload.length + tail.length);
    if (at + most > bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, at + most));
      bytes.copy(grown, 0, 0, at);
      bytes = grown;
    }
    bytes[at] = LEAF_PREFIX;
    at += 1;
    at += utf8Write(bytes, head, at);
    payloads[2 * sound] = at;
    at += utf8Write(bytes, payload, at);
    payloads[2 * sound + 1] = at;
    at += utf8Write(bytes, tail, at);
    ends[sound] = at;
    hexWrite(hashes, stored, HASH_BYTES * sound);
    const type = row[4] as string;
    let t = typeIndex.get(type);
    if (t === undefined) {
      t = types.length;
      types.push(type);
      typeIndex.set(type, t);
    }
    typeOf[sound] = t;
  }
  return { from, count, sound, bytes, ends, payloads, hashes, types, typeOf };
}

/**
 * A LeafPageStream over an adapter's own asynchronous paged read (readAll's query, rows in
 * EVENT_COLUMNS order): the next page's query is in flight while the verifier hashes this one, so
 * the server's and the network's time overlap the hashing without a thread. This is all the
 * PostgreSQL adapter needs to offer `leafPages` (its `actor` and `payload` columns hold the JCS
 * text as appended): `pagedLeafPages((from, limit) => rows of readAll, from, until, pageSize)`.
 */
export function pagedLeafPages(
  read: (from: number, limit: number) => Promise<readonly EventRow[]>,
  from: number,
  until: number,
  pageSize: number,
): LeafPageStream {
  const actors: ActorTexts = new Map();
  let at = from;
  let pending: Promise<readonly EventRow[]> | null = null;
  const ask = (): void => {
    pending = at < until ? read(at, Math.min(pageSize, until - at)) : null;
    // A read that fails after close() must not be an unhandled rejection; next() still sees it.
    pending?.catch(() => undefined);
  };
  ask();
  return {
    async next(): Promise<LeafPage | null> {
      const rows = pending;
      if (rows === null) return null;
      const start = at;
      at += pageSize;
      ask();
      return packLeafPage(await rows, start, actors);
    },
    async close(): Promise<void> {
      at = until;
      pending = null;
    },
  };
}
