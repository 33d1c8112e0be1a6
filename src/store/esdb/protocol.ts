/**
 * The reservation protocol: `appendMulti` over a store that appends atomically to ONE stream
 * only, with an optimistic check of that stream's physical revision (EventStoreDB).
 * docs/store-port.md "EventStoreDB adapter" explains it; in short:
 *
 *  1. reserve — for each stream of the call, in call order, append the call's events
 *     tagged with a fresh transaction id, at the physical revision just read, after checking
 *     the caller's (logical) expected revision; a stream whose tail is another transaction's
 *     undecided reservation is locked: refused while that reservation's lease runs, aborted
 *     after it;
 *  2. complete — write the decision `committed` to the transaction's own decision stream
 *     with "no stream" expected: write-once, so exactly one of commit and abort ever wins;
 *  3. release — on any failure, write the decision `aborted` instead.
 *
 * Readers count a tagged event only when its transaction is committed, so a half-done call is
 * never counted: the decision record flips all its reservations visible at once.
 * Nothing here knows the EventStoreDB client: the adapter gives a `StreamLog`, and the
 * property test drives this very code over a fault-injecting in-memory log.
 */
import { SuijiError } from '../../domain/errors.js';
import type { ExpectedRevision } from '../port.js';
import { expectedHolds, wrongExpectedRevision } from '../prepare.js';

/** One physical event as the protocol sees it; `body` is the adapter's (the domain event). */
export interface LogEvent<B = unknown> {
  readonly type: string;
  /** Set on reservations: the transaction and when it reserved (ms, the log's clock). */
  readonly tx?: { readonly id: string; readonly at: number } | undefined;
  readonly body: B;
}

/** The optimistic check failed: the stream's physical revision was not the expected one. Nothing was written. */
export class PhysicalConflict extends Error {
  constructor(readonly stream: string) {
    super(`physical revision of ${stream} moved`);
  }
}

/**
 * What the protocol needs from the store. `append` is atomic for one stream and checks the
 * physical last revision (-1: the stream must not exist); it throws PhysicalConflict when the
 * check fails and anything else when the outcome is unknown (it may or may not have been written).
 */
export interface StreamLog<B = unknown> {
  append(stream: string, events: readonly LogEvent<B>[], expectedLast: number): Promise<void>;
  /** Physical events in revision order; [] when the stream does not exist. */
  read(stream: string): Promise<LogEvent<B>[]>;
  now(): number;
}

export type Decision = 'committed' | 'aborted';
// '~' never occurs in suiji's stream ids; the adapter refuses domain streams under this prefix.
export const DECISION_PREFIX = 'suiji~tx-';
export const decisionStream = (txId: string): string => `${DECISION_PREFIX}${txId}`;

export interface ProtocolOptions {
  /** How long another transaction's undecided reservation locks a stream before it may be aborted. */
  readonly leaseMs: number;
  /** Physical conflicts retried per stream before the call gives up (WRONG_EXPECTED_REVISION). */
  readonly maxPhysicalRetries?: number;
  /** Decisions are final: a cache shared by the readers and writers of one process. */
  readonly decisions?: Map<string, Decision>;
}

export async function readDecision(log: StreamLog, txId: string, cache?: Map<string, Decision>): Promise<Decision | null> {
  const known = cache?.get(txId);
  if (known) return known;
  const [first] = await log.read(decisionStream(txId));
  const d = first?.type === 'committed' || first?.type === 'aborted' ? first.type : null;
  if (d) cache?.set(txId, d);
  return d;
}

/** Write-once: the first decision written wins; returns the decision that stands. */
export async function decide(log: StreamLog, txId: string, wanted: Decision, cache?: Map<string, Decision>): Promise<Decision> {
  try {
    await log.append(decisionStream(txId), [{ type: wanted, body: null }], -1);
    cache?.set(txId, wanted);
    return wanted;
  } catch (err) {
    // Lost the race, or the answer was lost: what is recorded stands.
    const d = await readDecision(log, txId, cache);
    if (d) return d;
    throw err;
  }
}

/** A reservation's state for a reader: committed or aborted, or still pending (lease running). */
export async function resolveTx(
  log: StreamLog,
  tx: NonNullable<LogEvent['tx']>,
  options: ProtocolOptions,
): Promise<Decision | 'pending'> {
  const d = await readDecision(log, tx.id, options.decisions);
  if (d) return d;
  if (log.now() - tx.at < options.leaseMs) return 'pending';
  // The reserving call crashed or stalled past its lease: release it for everyone.
  return decide(log, tx.id, 'aborted', options.decisions);
}

export interface StreamState<B> {
  /** Physical last revision, -1 when the stream does not exist. */
  readonly physicalLast: number;
  /** The events that count, in order; their index is the logical revision. */
  readonly visible: readonly LogEvent<B>[];
  /** Another transaction's undecided reservation at the tail, if any. */
  readonly lockedBy: string | null;
}

/** The stream as readers count it: untagged events and events of committed transactions. */
export async function streamState<B>(log: StreamLog<B>, stream: string, options: ProtocolOptions): Promise<StreamState<B>> {
  const events = await log.read(stream);
  const visible: LogEvent<B>[] = [];
  let lockedBy: string | null = null;
  for (const e of events) {
    if (!e.tx) {
      if (lockedBy) throw lockViolation(stream, lockedBy);
      visible.push(e);
      continue;
    }
    const state = await resolveTx(log, e.tx, options);
    if (state === 'pending') {
      // Only a tail may be undecided: every writer decides a pending tail before writing past it.
      if (lockedBy && lockedBy !== e.tx.id) throw lockViolation(stream, lockedBy);
      lockedBy = e.tx.id;
      continue;
    }
    if (lockedBy) throw lockViolation(stream, lockedBy);
    if (state === 'committed') visible.push(e);
  }
  return { physicalLast: events.length - 1, visible, lockedBy };
}

const lockViolation = (stream: string, txId: string): SuijiError =>
  new SuijiError('LEDGER_CORRUPT', { reason: 'event-after-undecided-reservation', streamId: stream, txId });

const reserved = (streamId: string, expected: ExpectedRevision, actual: number, txId: string): SuijiError =>
  new SuijiError('WRONG_EXPECTED_REVISION', { streamId, expected, actual, reason: 'reserved', reservedBy: txId }, {
    zh: `流 ${streamId} 正被另一个写入预留，请重新读取后重试`,
    en: `Stream ${streamId} is reserved by another write in progress; re-read and retry`,
  });

export interface MultiWrite<B> {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly B[];
  /** The event type of each body (the log keeps it beside the body). */
  readonly types: readonly string[];
}

/** Logical last revision after the write, per write in call order. */
export interface MultiOutcome {
  readonly txId: string | null;
  readonly nextRevisions: number[];
}

/**
 * Checks `expected` against the logical state and appends at the physical revision, retrying
 * physical conflicts (another writer slipped in) by re-reading and re-checking.
 */
async function appendChecked<B>(
  log: StreamLog<B>,
  w: MultiWrite<B>,
  tx: LogEvent['tx'],
  options: ProtocolOptions,
): Promise<number> {
  const tries = options.maxPhysicalRetries ?? 5;
  for (let attempt = 0; ; attempt += 1) {
    const s = await streamState(log, w.streamId, options);
    const actual = s.visible.length - 1;
    if (s.lockedBy) throw reserved(w.streamId, w.expected, actual, s.lockedBy);
    if (!expectedHolds(w.expected, actual)) throw wrongExpectedRevision(w.streamId, w.expected, actual);
    const events = w.events.map((body, i) => ({ type: w.types[i]!, tx, body }));
    try {
      await log.append(w.streamId, events, s.physicalLast);
      return actual + w.events.length;
    } catch (err) {
      if (!(err instanceof PhysicalConflict) || attempt + 1 >= tries) {
        if (err instanceof PhysicalConflict) throw wrongExpectedRevision(w.streamId, w.expected, actual);
        throw err;
      }
    }
  }
}

/**
 * All-or-nothing append to several streams. One write needs no transaction (a single-stream
 * append is atomic). Throws WRONG_EXPECTED_REVISION when a check fails or the reservation was
 * aborted by another writer; anything else means the outcome is unknown to this caller (a
 * retry with the same event ids settles it).
 */
export async function appendAtomically<B>(
  log: StreamLog<B>,
  writes: readonly MultiWrite<B>[],
  txId: string,
  options: ProtocolOptions,
): Promise<MultiOutcome> {
  if (writes.length === 1) {
    return { txId: null, nextRevisions: [await appendChecked(log, writes[0]!, undefined, options)] };
  }
  // Reservations in call order: the ledger is $all's order, and the port promises positions in
  // call order. Two calls reserving shared streams in opposite orders may both be refused
  // (each finds the other's lock) — never both admitted; their handlers re-read and retry.
  const order = writes.map((_, i) => i);
  const tx = { id: txId, at: log.now() };
  const next: number[] = new Array<number>(writes.length);
  let reservedAny = false;
  try {
    for (const i of order) {
      reservedAny = true;
      next[i] = await appendChecked(log, writes[i]!, tx, options);
    }
  } catch (err) {
    // Release: the abort decision voids every reservation of this call, written or not.
    if (reservedAny) await decide(log, txId, 'aborted', options.decisions).catch(() => undefined);
    throw err;
  }
  const outcome = await decide(log, txId, 'committed', options.decisions);
  if (outcome === 'aborted') {
    const first = writes[order[0]!]!;
    throw new SuijiError('WRONG_EXPECTED_REVISION', { streamId: first.streamId, expected: first.expected, reason: 'reservation-aborted', txId }, {
      zh: '本次写入的预留已被其他写入释放（超过租期），未写入任何内容，请重新读取后重试',
      en: 'This write’s reservations were released by another writer (lease expired); nothing was written, re-read and retry',
    });
  }
  return { txId, nextRevisions: next };
}
