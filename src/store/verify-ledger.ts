/**
 * Full ledger verification through the port, so it works on every adapter
 * (docs/ledger-format.md §5): recompute each leaf from the stored envelope, compare it with the
 * stored hash, rebuild the RFC 6962 root incrementally and compare it with every stored
 * checkpoint, with any externally published (trusted) checkpoints, and with the head.
 * Never throws: a store error or an unreadable row is a failed verification naming where.
 */
import { availableParallelism, loadavg } from 'node:os';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalize, canonicalString } from '../verify/jcs.js';
import { leafHashOfInput, leafHashOfText, NodeMerkleFrontier } from './frontier.js';
import { isSuijiError } from '../domain/errors.js';
import type { Checkpoint, EventStore, LedgerHead, RecordedEvent } from './port.js';
import { envelopeTextOfRow, isLeafRowReader, leafHexOfText, type ActorTexts, type LeafRowReader } from './leaf-rows.js';
import { isLeafPageReader, type LeafPageReader, type LeafPageStream } from './leaf-pages.js';

export type LedgerFault =
  | 'leaf-hash-mismatch'
  | 'checkpoint-root-mismatch'
  | 'trusted-checkpoint-mismatch'
  /** A trusted checkpoint is larger than the ledger: its tail was lost or rolled back. */
  | 'shorter-than-trusted-checkpoint'
  | 'head-root-mismatch'
  | 'checkpoint-beyond-head'
  | 'position-gap'
  | 'missing-events'
  | 'unparseable-row'
  /** The row's value hashes to its leaf, but its stored text is not that value's canonical JCS: edited outside the store. */
  | 'non-canonical-row'
  | 'store-corrupt'
  | 'store-error';

export type LedgerVerification =
  | { readonly ok: true; readonly size: number; readonly root: string; readonly checkpoints: number }
  | {
      readonly ok: false;
      /** First position that could not be shown intact. */
      readonly position: number;
      readonly reason: LedgerFault;
      readonly detail: string;
      /** For root mismatches: the bad leaf lies in [position, until). */
      readonly until?: number;
    };

export interface VerifyLedgerOptions {
  readonly pageSize?: number;
  /** Checkpoints published outside the store (e.g. in a newspaper or a witness log). */
  readonly trusted?: readonly LedgerHead[];
  /** Called with each event once its leaf is verified, so a caller checks more in the same pass (evidence blobs). */
  readonly onEvent?: (event: RecordedEvent) => void;
  /**
   * Like onEvent for a caller that needs only the type and, sometimes, the payload (the CLI's
   * evidence check): it keeps the stored-text pass (src/store/leaf-rows.ts), which parses a
   * payload only when `payload()` is called. On a ledger that fails, a position may be handed
   * over twice (the decoded pass reruns to name the fault).
   */
  readonly onPayload?: (type: string, payload: () => unknown) => void;
  /**
   * Read the pages ahead in worker threads (an adapter that is a LeafPageReader: SQLite) while
   * this thread hashes: true for one reader thread, a number for that many, false for none.
   * Default: `defaultReaders` — threads only help when a core is free to run them
   * (SUIJI_VERIFY_READERS=N forces N).
   */
  readonly readAhead?: boolean | number;
}

/** Ledger size from which `verifyLedger` reads ahead in a worker thread by default (starting one costs tens of ms). */
export const READ_AHEAD_FROM = 20_000;

/**
 * Reader threads by default: one per core left free by the 1-minute load average, at most two,
 * none for a small ledger. Reading ahead costs about a third more CPU than the inline pass
 * (packing, a second isolate, handing pages over: 7.6 s against 5.6 s at 1,000,000 events) and
 * gains only where another core runs the reader: on a machine whose cores are busy it is slower
 * (docs/performance.md, "Ledger verification", lane lverify3).
 */
export function defaultReaders(size: number): number {
  // SUIJI_VERIFY_READERS=N forces N reader threads at any size (a machine whose free cores the operator knows; tests).
  const forced = process.env.SUIJI_VERIFY_READERS;
  if (forced !== undefined && /^[0-9]$/.test(forced)) return Number(forced);
  if (size < READ_AHEAD_FROM) return 0;
  const free = Math.floor(availableParallelism() - loadavg()[0]!);
  return Math.max(0, Math.min(2, free));
}

type Source = Pick<EventStore, 'readAll' | 'checkpoints' | 'head'>;

/** Faults of a read-ahead thread (it failed, or handed over the wrong page): final, not a doubt the decoded pass settles. */
const readerFaults = new WeakSet<LedgerVerification>();

const fail = (position: number, reason: LedgerFault, detail: string, until?: number): LedgerVerification =>
  until === undefined ? { ok: false, position, reason, detail } : { ok: false, position, reason, detail, until };

function storeFault(err: unknown, position: number): LedgerVerification {
  if (isSuijiError(err) && err.code === 'LEDGER_CORRUPT') {
    const at = typeof err.details.position === 'number' && err.details.position >= 0 ? err.details.position : position;
    const reason = err.details.reason === 'unparseable-row' ? 'unparseable-row' : 'store-corrupt';
    return fail(at, reason, err.messageEn);
  }
  return fail(position, 'store-error', err instanceof Error ? err.message : String(err));
}

/** canonicalize, with the type switch skipped for the usual case of a string member. */
const str = (v: unknown): string => (typeof v === 'string' ? canonicalString(v) : canonicalize(v));

/**
 * JCS of the envelope members of docs/ledger-format.md §2, whatever else an adapter returns:
 * the same text as `canonicalize` of those eleven members (RFC 8785 §3.2.3 order is fixed,
 * since the names are), built without an intermediate object. A member that is undefined
 * would be omitted by `canonicalize`; such an envelope takes the generic path.
 */
function envelopeText(e: RecordedEvent): string {
  if (
    e.actor === undefined || e.causationId === undefined || e.correlationId === undefined || e.eventId === undefined ||
    e.payload === undefined || e.position === undefined || e.recordedAt === undefined || e.revision === undefined ||
    e.schemaVersion === undefined || e.streamId === undefined || e.type === undefined
  ) {
    return canonicalize({
      position: e.position, streamId: e.streamId, revision: e.revision, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion,
      recordedAt: e.recordedAt, actor: e.actor, correlationId: e.correlationId, causationId: e.causationId, payload: e.payload,
    });
  }
  return (
    `{"actor":${canonicalize(e.actor)},"causationId":${canonicalize(e.causationId)},"correlationId":${str(e.correlationId)},` +
    `"eventId":${str(e.eventId)},"payload":${canonicalize(e.payload)},"position":${canonicalize(e.position)},` +
    `"recordedAt":${str(e.recordedAt)},"revision":${canonicalize(e.revision)},"schemaVersion":${canonicalize(e.schemaVersion)},` +
    `"streamId":${str(e.streamId)},"type":${str(e.type)}}`
  );
}

/**
 * The leaf hash of a recorded envelope: `envelopeLeafHash` of src/verify, with SHA-256 via
 * node:crypto (this file is Node-only; tests/store/node-hash.test.ts proves equal bytes).
 */
export const recordedLeafHash = (e: RecordedEvent): Uint8Array => leafHashOfText(envelopeText(e));

/** The stored leaf must be 64 lowercase hex characters and equal the recomputed one. */
function leafOf(e: RecordedEvent): { leaf: Uint8Array; ok: boolean } {
  const leaf = recordedLeafHash(e);
  return { leaf, ok: typeof e.hash === 'string' && e.hash === Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength).toString('hex') };
}

/** A page of leaves: each is checked against its stored hash, then folded into the tree; a fault stops the page. */
type LeafStep = (position: number, leaf: Uint8Array) => LedgerVerification | null;
type PageReader = (from: number, limit: number, step: LeafStep) => Promise<{ count: number; fault: LedgerVerification | null }>;

/**
 * The stored actor and payload texts of a page, by position, from an adapter that keeps them
 * (LeafRowReader): the decoded pass then also requires each to be the canonical JCS of the value
 * it decodes to (docs/ledger-format.md §5). Adapters without stored text have no such check.
 */
function storedTexts(store: Source, from: number, limit: number): Map<number, { actor: unknown; payload: unknown }> | null {
  if (!isLeafRowReader(store)) return null;
  const texts = new Map<number, { actor: unknown; payload: unknown }>();
  store.forEachRow(from, limit, (row) => void texts.set(row[0] as number, { actor: row[7], payload: row[10] }));
  return texts;
}

/** Where the stored text differs from the canonical text of its decoded value, or null. */
function nonCanonical(e: RecordedEvent, stored: { actor: unknown; payload: unknown } | undefined): string | null {
  if (stored === undefined) return 'no stored row at this position';
  if (stored.payload !== canonicalize(e.payload)) return `stored payload text is not the canonical JCS of its value: ${JSON.stringify(String(stored.payload).slice(0, 120))}`;
  if (stored.actor !== canonicalize(e.actor)) return `stored actor text is not the canonical JCS of its value: ${JSON.stringify(String(stored.actor).slice(0, 120))}`;
  return null;
}

/** The decoded path: every event parsed and re-encoded (any adapter; `onEvent` sees the events). */
const decodedPages = (store: Source, options: VerifyLedgerOptions): PageReader => async (from, limit, step) => {
  let page: RecordedEvent[];
  let texts: ReturnType<typeof storedTexts>;
  try {
    page = await store.readAll({ from, limit });
    texts = storedTexts(store, from, limit);
  } catch (err) {
    return { count: 0, fault: storeFault(err, from) };
  }
  let position = from;
  for (const e of page) {
    if (e.position !== position) return { count: page.length, fault: fail(position, 'position-gap', `expected position ${position}, found ${e.position}`) };
    const { leaf, ok } = leafOf(e);
    if (!ok) return { count: page.length, fault: fail(position, 'leaf-hash-mismatch', `stored ${String(e.hash)}, recomputed ${bytesToHex(leaf)}`) };
    const bad = step(position, leaf);
    options.onEvent?.(e);
    options.onPayload?.(e.type, () => e.payload);
    if (bad) return { count: page.length, fault: bad };
    // After the checkpoints this leaf closes: a row whose value and leaf were both rewritten by a
    // one-event append stays a checkpoint-root-mismatch (the value changed); inside a batch the
    // spelling is reported here, at the row, before the batch's checkpoint is reached.
    const text = texts === null ? null : nonCanonical(e, texts.get(position));
    if (text !== null) return { count: page.length, fault: fail(position, 'non-canonical-row', text) };
    position += 1;
  }
  return { count: page.length, fault: null };
};

/** Marks a row the stored-text path cannot vouch for; the decoded path then names the fault. */
const UNDECIDED: LedgerVerification = { ok: false, position: -1, reason: 'store-error', detail: 'undecided' };

/** The stored-text path (src/store/leaf-rows.ts): no parse, no re-encoding; any doubt is UNDECIDED. */
const rowPages = (store: LeafRowReader, onPayload: VerifyLedgerOptions['onPayload']): PageReader => {
  const actors: ActorTexts = new Map();
  return async (from, limit, step) => {
    let position = from;
    let fault: LedgerVerification | null = null;
    let count: number;
    try {
      count = store.forEachRow(from, limit, (row) => {
        if (fault !== null) return;
        const text = row[0] === position ? envelopeTextOfRow(row, actors) : null;
        if (text === null || leafHexOfText(text) !== row[11]) {
          fault = UNDECIDED;
          return;
        }
        fault = step(position, Buffer.from(row[11] as string, 'hex'));
        // The payload text is canonical JCS (envelopeTextOfRow checked it), so it parses.
        if (onPayload !== undefined) onPayload(row[4] as string, () => JSON.parse(row[10] as string) as unknown);
        position += 1;
      });
    } catch {
      return { count: 0, fault: UNDECIDED };
    }
    return { count, fault };
  };
};

/**
 * The stored-text path over pages read ahead (src/store/leaf-pages.ts): the bytes were spliced and
 * checked by the reader, here they are hashed and compared with the stored leaf, bytes to bytes.
 * A row the reader could not vouch for, or whose leaf differs, is UNDECIDED as in `rowPages`.
 */
const packedPages = (stream: LeafPageStream, onPayload: VerifyLedgerOptions['onPayload']): PageReader => async (from, limit, step) => {
  const readerFault = (detail: string): { count: number; fault: LedgerVerification } => {
    const fault = fail(from, 'store-error', detail);
    readerFaults.add(fault);
    return { count: 0, fault };
  };
  let page;
  try {
    page = await stream.next();
  } catch (err) {
    return readerFault(isSuijiError(err) ? `${err.messageEn}` : String(err));
  }
  if (page === null || page.from !== from) return readerFault(`the ledger reader handed over ${page === null ? 'no page' : `the page at ${page.from}`} where the page at ${from} was due`);
  const bytes = Buffer.from(page.bytes.buffer, page.bytes.byteOffset, page.bytes.byteLength);
  const hashes = Buffer.from(page.hashes.buffer, page.hashes.byteOffset, page.hashes.byteLength);
  let start = 0;
  for (let i = 0; i < page.sound; i++) {
    const end = page.ends[i]!;
    const leaf = leafHashOfInput(bytes.subarray(start, end));
    if (hashes.compare(leaf, 0, 32, 32 * i, 32 * i + 32) !== 0) return { count: i, fault: UNDECIDED };
    const fault = step(from + i, leaf);
    if (onPayload !== undefined) {
      const at = page.payloads[2 * i]!;
      const until = page.payloads[2 * i + 1]!;
      // The reader checked the payload text canonical JCS, so it parses.
      onPayload(page.types[page.typeOf[i]!]!, () => JSON.parse(bytes.toString('utf8', at, until)) as unknown);
    }
    if (fault) return { count: i + 1, fault };
    start = end;
  }
  return { count: page.sound, fault: page.sound === page.count && page.count === limit ? null : UNDECIDED };
};

/** How a verification reads its pages, opened once the head is known; closed at the end whatever happened. */
type PageSource = (head: LedgerHead) => { read: PageReader; close(): Promise<void> };

const inline = (read: PageReader): PageSource => () => ({ read, close: async () => undefined });

/** Read-ahead threads when the adapter offers them and the ledger is large enough, else the inline stored-text path. */
const storedTextSource = (store: Source & (LeafRowReader | LeafPageReader), options: VerifyLedgerOptions): PageSource => (head) => {
  const asked = options.readAhead ?? defaultReaders(head.size);
  const readers = isLeafPageReader(store) ? (asked === true ? 1 : asked === false ? 0 : Math.max(0, Math.floor(asked))) : 0;
  if (readers === 0 && isLeafRowReader(store)) return inline(rowPages(store, options.onPayload))(head);
  const pageSize = options.pageSize ?? 1000;
  const stream = (store as LeafPageReader).leafPages(0, head.size, pageSize, Math.max(1, readers));
  return { read: packedPages(stream, options.onPayload), close: () => stream.close() };
};

export async function verifyLedger(store: Source, options: VerifyLedgerOptions = {}): Promise<LedgerVerification> {
  // Stored-text verification when the adapter offers it and nobody needs decoded events. Only a
  // pass is taken from it: on any fault or doubt the decoded pass runs from the start, so every
  // fault is reported exactly as before (a failed ledger costs two passes; a sound one, one).
  // A read-ahead thread that failed is final: the verification fails, naming it (store-error).
  if (options.onEvent === undefined && (isLeafRowReader(store) || isLeafPageReader(store))) {
    const fast = await verifyWith(store, options, storedTextSource(store, options));
    if (fast.ok || readerFaults.has(fast)) return fast;
  }
  return verifyWith(store, options, inline(decodedPages(store, options)));
}

async function verifyWith(store: Source, options: VerifyLedgerOptions, source: PageSource): Promise<LedgerVerification> {
  const pageSize = options.pageSize ?? 1000;
  const trusted = [...(options.trusted ?? [])].sort((a, b) => a.size - b.size);
  let head: LedgerHead;
  try {
    head = await store.head();
  } catch (err) {
    return storeFault(err, 0);
  }
  let pages: ReturnType<PageSource>;
  try {
    pages = source(head);
  } catch (err) {
    const fault = storeFault(err, 0);
    readerFaults.add(fault);
    return fault;
  }
  try {
    return await verifyPages(store, head, trusted, pageSize, pages.read);
  } finally {
    await pages.close().catch(() => undefined);
  }
}

async function verifyPages(store: Source, head: LedgerHead, trusted: readonly LedgerHead[], pageSize: number, readPage: PageReader): Promise<LedgerVerification> {
  let trustedAt = 0;
  const frontier = NodeMerkleFrontier.empty();
  let position = 0;
  let lastGood = 0;
  let checkpointCount = 0;
  let pending: Checkpoint[] = [];
  let pendingAt = 0;
  let nextCheckpointFrom = 1;

  // A root matches at `size`: everything before is proven; a mismatch blames [lastGood, size).
  const compareRoot = (size: number, root: string, reason: LedgerFault): LedgerVerification | null => {
    const actual = bytesToHex(frontier.root());
    if (actual !== root) {
      return fail(lastGood, reason, `root over ${size} leaves is ${actual}, recorded ${String(root)}`, size);
    }
    lastGood = size;
    return null;
  };

  // Synchronous per leaf: the checkpoints of the page were fetched before it.
  const step: LeafStep = (at, leaf) => {
    frontier.push(leaf);
    position = at + 1;
    while (pendingAt < pending.length && pending[pendingAt]!.size <= position) {
      const cp = pending[pendingAt]!;
      pendingAt += 1;
      if (cp.size < position) continue;
      checkpointCount += 1;
      const bad = compareRoot(cp.size, cp.root, 'checkpoint-root-mismatch');
      if (bad) return bad;
    }
    while (trustedAt < trusted.length && trusted[trustedAt]!.size === position) {
      const bad = compareRoot(position, trusted[trustedAt]!.root, 'trusted-checkpoint-mismatch');
      if (bad) return bad;
      trustedAt += 1;
    }
    return null;
  };

  try {
    while (trustedAt < trusted.length && trusted[trustedAt]!.size === 0) {
      const bad = compareRoot(0, trusted[trustedAt]!.root, 'trusted-checkpoint-mismatch');
      if (bad) return bad;
      trustedAt += 1;
    }
    while (position < head.size) {
      const limit = Math.min(pageSize, head.size - position);
      const end = position + limit;
      pending = pending.slice(pendingAt);
      pendingAt = 0;
      while (nextCheckpointFrom <= end) {
        let more: Checkpoint[];
        try {
          more = await store.checkpoints({ from: nextCheckpointFrom, limit: pageSize });
        } catch (err) {
          return storeFault(err, position);
        }
        pending.push(...more);
        nextCheckpointFrom = more.length > 0 ? more[more.length - 1]!.size + 1 : head.size + 1;
      }
      const { count, fault } = await readPage(position, limit, step);
      if (fault) return fault;
      if (count === 0) return fail(position, 'missing-events', `head says ${head.size} events, found ${position}`);
    }
    const headBad = compareRoot(head.size, head.root, 'head-root-mismatch');
    if (headBad) return headBad;
    // A checkpoint past the head is a truncated ledger, unless the ledger grew while we read.
    const beyond = [...pending.slice(pendingAt), ...(await store.checkpoints({ from: head.size + 1, limit: 1 }))][0];
    if (beyond !== undefined && beyond.size > (await store.head()).size) {
      return fail(head.size, 'checkpoint-beyond-head', `checkpoint at size ${beyond.size} > head ${head.size}`);
    }
    if (trustedAt < trusted.length) {
      return fail(head.size, 'shorter-than-trusted-checkpoint', `a trusted checkpoint has size ${trusted[trustedAt]!.size} > ${head.size}: the ledger lost its tail or was rolled back`);
    }
  } catch (err) {
    return storeFault(err, position);
  }
  return { ok: true, size: head.size, root: head.root, checkpoints: checkpointCount };
}
