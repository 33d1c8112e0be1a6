/**
 * The EventStoreDB event store (docs/store-port.md §10); the ledger index is ledger-index.ts.
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
import { EventStoreDBClient, END, streamNameFilter, type AllStreamSubscription } from '@eventstore/db-client';
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
import { ChangeNotifier } from '../notifier.js';
import { pagedSubscription } from '../subscription.js';
import { findRetry } from '../idempotency.js';
import { pageBounds } from '../ledger-head.js';
import type { OwnAppends } from '../own-appends.js';
import { appendAtomically, DECISION_PREFIX, type Decision, type ProtocolOptions } from './protocol.js';
import { EsdbLog, StreamNames, type StoredBody } from './esdb-log.js';
import { LedgerIndex } from './ledger-index.js';
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

  private readonly ledger: LedgerIndex;
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
    this.ledger = new LedgerIndex(this.client, this.names, this.log, this.protocol);
  }

  static async open(options: EsdbStoreOptions): Promise<EsdbEventStore> {
    const store = new EsdbEventStore(options);
    try {
      await store.ledger.catchUp(false);
    } catch (err) {
      await store.client.dispose().catch(() => undefined);
      throw err;
    }
    return store;
  }

  private open(): void {
    if (this.closed) throw new SuijiError('STORE_UNAVAILABLE', { reason: 'closed' });
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

  private async writeAll(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    this.open();
    const prepared = prepareWrites(writes, this.validate);
    this.refuseReserved(prepared);
    await this.ledger.catchUp(true);
    this.ledger.checkNotShrunk();
    const retried = findRetry((id) => this.ledger.idRow(id), prepared);
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
    await this.ledger.catchUp(true);
    const results = prepared.map((w, i): AppendResult => {
      const last = this.ledger.byEventId(lastIds[i]!);
      if (!last) throw new SuijiError('LEDGER_CORRUPT', { reason: 'appended-event-not-in-all', streamId: w.streamId });
      return { streamId: w.streamId, nextRevision: last.revision, position: last.position };
    });
    await this.ledger.checkpoint(this.clock);
    const head = this.ledger.head;
    this.ownSize = Math.max(this.ownSize, ...results.map((r) => r.position + 1));
    this.notifier.bump();
    this.onCommitted?.(head);
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
    await this.ledger.catchUp(true);
    return this.ledger.stream(streamId, Math.max(0, Math.floor(fromRevision)));
  }

  async streamRevision(streamId: string): Promise<number> {
    this.open();
    checkStreamId(streamId);
    await this.ledger.catchUp(true);
    return this.ledger.streamRevision(streamId);
  }

  private async readPage(from: number, limit: number): Promise<RecordedEvent[]> {
    this.open();
    await this.ledger.catchUp(false);
    return this.ledger.page(from, limit);
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
    await this.ledger.catchUp(false);
    return this.ledger.head;
  }

  async checkpoints(options: ReadAllOptions = {}): Promise<Checkpoint[]> {
    this.open();
    const { from, limit } = pageBounds(options);
    await this.ledger.catchUp(false);
    return this.ledger.checkpoints(from, limit);
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
