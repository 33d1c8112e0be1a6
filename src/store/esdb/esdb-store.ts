/**
 * The EventStoreDB event store (docs/store-port.md "EventStoreDB adapter").
 *
 * Writes: one stream per EventStoreDB append, expected revisions checked by the server; several
 * streams through the reservation protocol (protocol.ts). Ledger: the order of `$all` as this
 * adapter reads it, keeping only this ledger's domain streams (`<ledger>/…`) and only events
 * whose transaction is committed; positions are assigned 0, 1, 2, … in that order by an index
 * every instance rebuilds the same way. The index stops at the first reservation whose
 * transaction is still undecided, so a position is never given while an earlier one could still
 * appear. The Merkle leaf hashes and the checkpoints are appended by writers to `<ledger>~ledger`
 * (expected revision, so instances never write conflicting checkpoints).
 */
import { randomUUID } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  streamNameFilter,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamSubscription,
  type Position,
} from '@eventstore/db-client';
import { SuijiError } from '../../domain/errors.js';
import type {
  AppendResult,
  Checkpoint,
  EventHandler,
  EventStore,
  EventValidator,
  ExpectedRevision,
  LedgerHead,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StreamWrite,
  Subscription,
} from '../port.js';
import { checkStreamId, prepareWrites, type PreparedWrite } from '../prepare.js';
import { envelopeLeaf } from '../envelope.js';
import { NodeMerkleFrontier } from '../frontier.js';
import { ChangeNotifier } from '../notifier.js';
import { pagedSubscription } from '../subscription.js';
import { findRetry, type IdRow } from '../idempotency.js';
import { pageBounds } from '../ledger-head.js';
import type { OwnAppends } from '../own-appends.js';
import { appendAtomically, DECISION_PREFIX, resolveTx, type Decision, type ProtocolOptions } from './protocol.js';
import { bodyOf, EsdbLog, StreamNames, type StoredBody, type StoredEvent } from './esdb-log.js';
import { esdbGuarded, mapEsdbError } from './errors.js';
import { checkLedgerName, DEFAULT_LEDGER } from './location.js';

export interface EsdbStoreOptions {
  /** `esdb://host:2113?tls=false` or `esdb+discover://…`, as `@eventstore/db-client` reads it. */
  readonly connectionString: string;
  /** Prefix of this ledger's streams; default `suiji`. */
  readonly ledger?: string;
  readonly validate?: EventValidator;
  readonly clock?: () => Date;
  readonly onCommitted?: (head: LedgerHead) => void;
  /** Subscriptions look at least this often when no live notification arrives. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** How long an undecided reservation locks its streams (and holds back the index) before anyone may release it. Default 5000 ms. */
  readonly leaseMs?: number;
  /** A client made elsewhere (tests inject faults through one); default: from `connectionString`. */
  readonly client?: EventStoreDBClient;
}

const PAGE = 500;
const CHECKPOINT_TYPE = 'LedgerCheckpoint';

interface CheckpointData {
  readonly size: number;
  readonly root: string;
  readonly recordedAt: string;
  /** Leaf hashes of positions [previous size, size). */
  readonly leaves: readonly string[];
}

interface Indexed {
  readonly event: RecordedEvent;
  readonly payloadJson: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const samePosition = (a: Position | null, b: Position | undefined): boolean => !!a && !!b && a.commit === b.commit && a.prepare === b.prepare;

export class EsdbEventStore implements EventStore, OwnAppends {
  private readonly client: EventStoreDBClient;
  private readonly names: StreamNames;
  private readonly log: EsdbLog;
  private readonly protocol: ProtocolOptions;
  private readonly clock: () => Date;
  private readonly validate: EventValidator | undefined;
  private readonly onCommitted: ((head: LedgerHead) => void) | undefined;
  private readonly notifier: ChangeNotifier;
  private readonly subscriptions = new Set<{ stop(): Promise<void> }>();
  private live: AllStreamSubscription | null = null;

  // The index: the ledger as read from $all so far.
  private readonly events: Indexed[] = [];
  private readonly byId = new Map<string, Indexed>();
  private readonly byStream = new Map<string, RecordedEvent[]>();
  private readonly frontier = NodeMerkleFrontier.empty();
  private allPosition: Position | null = null;
  /** True when the last catch-up stopped at an undecided reservation. */
  private blocked = false;

  // The bookkeeping stream as read so far.
  private ledgerRevision = -1;
  private readonly recordedLeaves: string[] = [];
  private readonly cps: Checkpoint[] = [];

  private indexing: Promise<unknown> = Promise.resolve();
  private checkpointing: Promise<unknown> = Promise.resolve();
  private ownSize = 0;
  private closed = false;

  private constructor(options: EsdbStoreOptions) {
    this.client = options.client ?? EventStoreDBClient.connectionString(options.connectionString);
    this.names = new StreamNames(checkLedgerName(options.ledger ?? DEFAULT_LEDGER));
    this.log = new EsdbLog(this.client, this.names);
    this.protocol = { leaseMs: options.leaseMs ?? 5000, decisions: new Map<string, Decision>() };
    this.clock = options.clock ?? (() => new Date());
    this.validate = options.validate;
    this.onCommitted = options.onCommitted;
    this.notifier = new ChangeNotifier(options.pollIntervalMs ?? 500);
  }

  static async open(options: EsdbStoreOptions): Promise<EsdbEventStore> {
    const store = new EsdbEventStore(options);
    try {
      await store.catchUp(false);
    } catch (err) {
      await store.client.dispose().catch(() => undefined);
      throw err;
    }
    return store;
  }

  private open(): void {
    if (this.closed) throw new SuijiError('STORE_UNAVAILABLE', { reason: 'closed' });
  }

  /** One catch-up at a time per store object: positions are assigned by exactly one reader. */
  private catchUp(wait: boolean): Promise<void> {
    const run = this.indexing.then(() => this.index(wait));
    this.indexing = run.catch(() => undefined);
    return run;
  }

  private async readLedgerStream(): Promise<void> {
    try {
      const read = this.client.readStream<StoredEvent>(this.names.ledgerStream, { fromRevision: BigInt(this.ledgerRevision + 1), direction: FORWARDS });
      for await (const r of read) {
        const e = r.event;
        if (!e) continue;
        const d = e.data as unknown as CheckpointData;
        const from = this.recordedLeaves.length;
        if (e.type !== CHECKPOINT_TYPE || !Array.isArray(d.leaves) || d.size !== from + d.leaves.length || typeof d.root !== 'string') {
          throw new SuijiError('LEDGER_CORRUPT', { reason: 'unparseable-checkpoint', position: from, revision: Number(e.revision) });
        }
        this.recordedLeaves.push(...d.leaves);
        this.cps.push({ size: d.size, root: d.root, recordedAt: d.recordedAt });
        this.ledgerRevision = Number(e.revision);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return;
      throw mapEsdbError(err);
    }
  }

  /**
   * Reads $all from where the index stopped. A reservation still undecided holds the index back
   * (`wait`: until its transaction is decided or its lease runs out and it is released).
   */
  private async index(wait: boolean): Promise<void> {
    this.open();
    await this.readLedgerStream();
    for (;;) {
      let read = 0;
      let stoppedAtPending = false;
      await esdbGuarded(async () => {
        const page = this.client.readAll({ fromPosition: this.allPosition ?? START, direction: FORWARDS, maxCount: PAGE });
        for await (const r of page) {
          read += 1;
          const e = r.event;
          if (!e) {
            // Nothing to index (an unresolved link); step past it so a page of them cannot loop.
            if (r.commitPosition !== undefined) this.allPosition = { commit: r.commitPosition, prepare: r.commitPosition };
            continue;
          }
          if (samePosition(this.allPosition, e.position)) continue;
          if (e.streamId.startsWith(this.names.domainPrefix)) {
            const tx = (e.metadata as StoredEvent['metadata'] | undefined)?.suijiTx;
            const state = tx ? await resolveTx(this.log, tx, this.protocol) : 'committed';
            if (state === 'pending') {
              stoppedAtPending = true;
              break;
            }
            if (state === 'committed') this.add(e.streamId.slice(this.names.domainPrefix.length), e.type, bodyOf(e.data, { streamId: e.streamId, revision: Number(e.revision) }));
          }
          this.allPosition = e.position;
        }
      });
      this.blocked = stoppedAtPending;
      if (stoppedAtPending) {
        if (!wait) return;
        await sleep(25);
        continue;
      }
      if (read < PAGE) return;
    }
  }

  private add(streamId: string, type: string, b: StoredBody): void {
    const position = this.events.length;
    const stream = this.byStream.get(streamId) ?? [];
    const revision = stream.length;
    const prepared = {
      eventId: b.eventId, type, schemaVersion: b.schemaVersion, actorJson: b.actor,
      correlationId: b.correlationId, causationId: b.causationId, payloadJson: b.payload,
    };
    const { leaf, hex } = envelopeLeaf(prepared, { position, streamId, revision, recordedAt: b.recordedAt });
    let actor: RecordedEvent['actor'];
    let payload: unknown;
    try {
      actor = JSON.parse(b.actor) as RecordedEvent['actor'];
      payload = JSON.parse(b.payload);
    } catch {
      throw new SuijiError('LEDGER_CORRUPT', { reason: 'unparseable-row', position });
    }
    const event: RecordedEvent = {
      position, streamId, revision, eventId: b.eventId, type, schemaVersion: b.schemaVersion, recordedAt: b.recordedAt,
      actor, correlationId: b.correlationId, causationId: b.causationId, payload, hash: hex,
    };
    const indexed = { event, payloadJson: b.payload };
    this.events.push(indexed);
    // The first occurrence answers retries (docs/store-port.md §10.1: ids are unique only per checked write).
    if (!this.byId.has(b.eventId)) this.byId.set(b.eventId, indexed);
    stream.push(event);
    this.byStream.set(streamId, stream);
    this.frontier.push(leaf);
  }

  /** The event as read: with the leaf hash the bookkeeping stream recorded for its position, so a changed event fails verification there. */
  private recorded(e: RecordedEvent): RecordedEvent {
    const h = this.recordedLeaves[e.position];
    return h === undefined || h === e.hash ? e : { ...e, hash: h };
  }

  /** Appends one checkpoint for the index's current size (if no instance has yet). */
  private writeCheckpoint(): Promise<void> {
    const run = this.checkpointing.then(async () => {
      for (let attempt = 0; attempt < 10; attempt += 1) {
        await this.readLedgerStream();
        const size = this.events.length;
        const from = this.recordedLeaves.length;
        if (size <= from) return;
        const data: CheckpointData = {
          size,
          root: bytesToHex(this.frontier.root()),
          recordedAt: this.clock().toISOString(),
          leaves: this.events.slice(from, size).map((e) => e.event.hash),
        };
        try {
          await this.client.appendToStream(this.names.ledgerStream, jsonEvent({ id: randomUUID(), type: CHECKPOINT_TYPE, data: data as unknown as Record<string, unknown> }), {
            expectedRevision: this.ledgerRevision < 0 ? NO_STREAM : BigInt(this.ledgerRevision),
          });
          this.recordedLeaves.push(...data.leaves);
          this.cps.push({ size, root: data.root, recordedAt: data.recordedAt });
          this.ledgerRevision += 1;
          return;
        } catch (err) {
          if (!(err instanceof WrongExpectedVersionError)) throw mapEsdbError(err);
          // Another instance checkpointed meanwhile: read it, and add ours only beyond it.
        }
      }
    });
    this.checkpointing = run.catch(() => undefined);
    return run;
  }

  /** No gaps, ever: the bookkeeping stream must not record more leaves than $all still holds. */
  private checkNotShrunk(): void {
    if (!this.blocked && this.recordedLeaves.length > this.events.length) {
      throw new SuijiError('LEDGER_CORRUPT', { reason: 'head-rows-mismatch', headSize: this.recordedLeaves.length, lastPosition: this.events.length - 1 }, {
        zh: `账本记录了 ${this.recordedLeaves.length} 条事件，但 $all 中只剩 ${this.events.length} 条：拒绝追加，以免留下空缺`,
        en: `The ledger records ${this.recordedLeaves.length} events but $all holds only ${this.events.length}: append refused so no gap is written`,
      });
    }
  }

  private refuseReserved(writes: readonly PreparedWrite[]): void {
    writes.forEach((w, i) => {
      if (w.streamId.startsWith(DECISION_PREFIX)) {
        const field = writes.length > 1 ? `writes[${i}].streamId` : 'streamId';
        throw new SuijiError('VALIDATION_FAILED', { field, reason: `must not start with ${DECISION_PREFIX}` }, {
          zh: `输入不符合要求：${field} 不得以 ${DECISION_PREFIX} 开头（账本内部使用）`,
          en: `Invalid ${field}: must not start with ${DECISION_PREFIX} (used by the ledger itself)`,
        });
      }
    });
  }

  private idRow(eventId: string): IdRow | undefined {
    const i = this.byId.get(eventId);
    if (!i) return undefined;
    const e = i.event;
    return { position: e.position, stream_id: e.streamId, revision: e.revision, type: e.type, schema_version: e.schemaVersion, payload: i.payloadJson };
  }

  private async writeAll(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    this.open();
    const prepared = prepareWrites(writes, this.validate);
    this.refuseReserved(prepared);
    await this.catchUp(true);
    this.checkNotShrunk();
    const retried = findRetry((id) => this.idRow(id), prepared);
    if (retried) {
      for (const r of retried) this.ownSize = Math.max(this.ownSize, r.position + 1);
      return retried;
    }
    const recordedAt = this.clock().toISOString();
    await appendAtomically(
      this.log,
      prepared.map((w) => ({
        streamId: w.streamId,
        expected: w.expected,
        types: w.events.map((e) => e.type),
        events: w.events.map((e): StoredBody => ({
          eventId: e.eventId, schemaVersion: e.schemaVersion, actor: e.actorJson, correlationId: e.correlationId,
          causationId: e.causationId, payload: e.payloadJson, recordedAt,
        })),
      })),
      randomUUID(),
      this.protocol,
    );
    // Our events are decided; the index reaches them once every earlier reservation is decided too.
    const lastIds = prepared.map((w) => w.events.at(-1)!.eventId);
    await this.catchUp(true);
    const results = prepared.map((w, i): AppendResult => {
      const last = this.byId.get(lastIds[i]!);
      if (!last) throw new SuijiError('LEDGER_CORRUPT', { reason: 'appended-event-not-in-all', streamId: w.streamId });
      return { streamId: w.streamId, nextRevision: last.event.revision, position: last.event.position };
    });
    await this.writeCheckpoint();
    const size = this.events.length;
    this.ownSize = Math.max(this.ownSize, ...results.map((r) => r.position + 1));
    this.notifier.bump();
    this.onCommitted?.({ size, root: bytesToHex(this.frontier.root()) });
    return results;
  }

  /** OwnAppends (src/store/own-appends.ts). */
  get appendedSize(): number {
    return this.ownSize;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const [result] = await this.writeAll([{ streamId, events, expected }]);
    return result!;
  }

  appendMulti(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    return this.writeAll(writes);
  }

  async readStream(streamId: string, fromRevision = 0): Promise<RecordedEvent[]> {
    this.open();
    checkStreamId(streamId);
    // A decider reads here before it writes: wait out undecided reservations (milliseconds, or
    // the lease after a crash) so the revision it reads is the one its append will be checked against.
    await this.catchUp(true);
    return (this.byStream.get(streamId) ?? []).slice(Math.max(0, Math.floor(fromRevision))).map((e) => this.recorded(e));
  }

  async streamRevision(streamId: string): Promise<number> {
    this.open();
    checkStreamId(streamId);
    await this.catchUp(true);
    return (this.byStream.get(streamId)?.length ?? 0) - 1;
  }

  private async readPage(from: number, limit: number): Promise<RecordedEvent[]> {
    await this.catchUp(false);
    const end = limit < 0 ? this.events.length : Math.min(this.events.length, from + limit);
    return this.events.slice(from, end).map((i) => this.recorded(i.event));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.open();
    const { from, limit } = pageBounds(options);
    return this.readPage(from, limit);
  }

  /** Live wake-ups from the server's catch-up subscription on $all (this ledger's streams only); polling covers a dropped one. */
  private startLive(): void {
    if (this.live) return;
    const live = this.client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: [this.names.domainPrefix, this.names.ledgerStream] }) });
    live.on('data', () => this.notifier.bump());
    live.on('error', () => {
      if (this.live === live) this.live = null;
    });
    this.live = live;
  }

  subscribe(from: number, handler: EventHandler): Subscription {
    this.open();
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new SuijiError('VALIDATION_FAILED', { field: 'from', reason: 'must be a position >= 0' });
    }
    this.startLive();
    const source = { notifier: this.notifier, readPage: (f: number, l: number) => this.readPage(f, l) };
    const sub = pagedSubscription(source, from, handler);
    this.subscriptions.add(sub);
    const forget = (): void => void this.subscriptions.delete(sub);
    sub.done.then(forget, forget);
    return sub;
  }

  async head(): Promise<LedgerHead> {
    this.open();
    await this.catchUp(false);
    return { size: this.events.length, root: bytesToHex(this.frontier.root()) };
  }

  async checkpoints(options: ReadAllOptions = {}): Promise<Checkpoint[]> {
    this.open();
    const { from, limit } = pageBounds(options);
    await this.catchUp(false);
    const all = this.cps.filter((c) => c.size >= from);
    return (limit < 0 ? all : all.slice(0, limit)).map((c) => ({ ...c }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((sub) => sub.stop()));
    this.closed = true;
    await this.live?.unsubscribe().catch(() => undefined);
    await this.client.dispose().catch(() => undefined);
  }
}

export const openEsdbStore = (options: EsdbStoreOptions): Promise<EsdbEventStore> => EsdbEventStore.open(options);
