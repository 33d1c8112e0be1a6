/**
 * The PostgreSQL event store (docs/store-port.md §9). Every append is one READ COMMITTED
 * transaction that first locks the single `ledger_head` row (`SELECT … FOR UPDATE`): appends
 * from every connection and every instance serialise on that lock, take their positions from
 * the head's size — no sequence — and write events, stream revisions, the new Merkle frontier
 * and one checkpoint before committing. The next writer reads the head only after that commit,
 * so position n+1 can never become visible before n.
 */
import pg from 'pg';
import { bytesToHex } from '@noble/hashes/utils.js';
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
import { checkStreamId, expectedHolds, prepareWrites, wrongExpectedRevision, type PreparedEvent, type PreparedWrite } from '../prepare.js';
import { envelopeLeaf, partialEnvelopeLeaf, type PartialLeaf } from '../envelope.js';
import { ChangeNotifier } from '../notifier.js';
import { pagedSubscription } from '../subscription.js';
import type { OwnAppends } from '../own-appends.js';
import type { BulkStreamReader } from '../bulk-streams.js';
import { decodeRows, type EventRow } from '../rows.js';
import { findRetry, type IdRow } from '../idempotency.js';
import { checkHeadAgrees, frontierBlob, frontierFromRow, pageBounds, type HeadRow } from '../ledger-head.js';
import { migrate, quoteIdent } from './schema.js';
import { NUL, refuseNul, statements } from './sql.js';
import { columns, DEFAULT_LARGE_EVENT_CHARS, eventChars, planRows, type EventRowValues } from './event-rows.js';
import { mapPgError, pgGuarded } from './errors.js';
import { checkSchemaName, DEFAULT_SCHEMA } from './location.js';
import { PgWakeups } from './wakeups.js';

export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:port/db` (node-postgres syntax). */
  readonly connectionString: string;
  /** Schema holding the ledger's tables; default `suiji`. */
  readonly schema?: string;
  readonly validate?: EventValidator;
  readonly clock?: () => Date;
  /** Bounded fallback when a NOTIFY is missed: subscriptions look at least this often. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** false: refuse to create a missing ledger (verification must not invent an empty one). */
  readonly create?: boolean;
  readonly onCommitted?: (head: LedgerHead) => void;
  /** Connections in the pool; default 10. */
  readonly poolSize?: number;
  /** How long an append waits for the ledger-head lock held by another writer. Default 5000 ms (as SQLite's busy_timeout). */
  readonly lockTimeoutMs?: number;
  /**
   * Events with more characters of payload and actor JSON than this are inserted one statement
   * each with plain parameters instead of inside the batch's arrays (event-rows.ts); default
   * DEFAULT_LARGE_EVENT_CHARS (1 Mi). Tests lower it to drive that path with small events.
   */
  readonly largeEventChars?: number;
}

// bigint columns (positions, sizes) as JS numbers: positions stay far below 2^53, and the row
// decoder refuses anything that is not a safe integer.
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

interface Written {
  readonly results: AppendResult[];
  readonly size: number;
  readonly root: string;
  readonly replayed: boolean;
}

export class PostgresEventStore implements EventStore, BulkStreamReader, OwnAppends {
  private readonly pool: pg.Pool;
  private readonly clientConfig: pg.ClientConfig;
  private readonly schema: string;
  private readonly sql: ReturnType<typeof statements>;
  private readonly clock: () => Date;
  private readonly validate: EventValidator | undefined;
  private readonly onCommitted: ((head: LedgerHead) => void) | undefined;
  private readonly notifier: ChangeNotifier;
  private readonly wakeups: PgWakeups;
  private readonly subscriptions = new Set<{ stop(): Promise<void> }>();
  /** Largest ledger size this store object has committed or read; the ledger may only grow. */
  private highWater = 0;
  private ownSize = 0;
  private readonly largeEventChars: number;
  private closed = false;

  private constructor(options: PostgresStoreOptions) {
    this.schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
    this.clientConfig = {
      connectionString: options.connectionString,
      types,
      application_name: 'suiji',
      lock_timeout: options.lockTimeoutMs ?? 5000,
      // A writer frozen inside an append must not hold the head lock for ever.
      idle_in_transaction_session_timeout: 30_000,
      // An acknowledged append is on the server's disk (unless the server itself runs fsync=off).
      options: '-c synchronous_commit=on',
    };
    this.pool = new pg.Pool({ ...this.clientConfig, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.sql = statements(quoteIdent(this.schema));
    this.clock = options.clock ?? (() => new Date());
    this.validate = options.validate;
    this.onCommitted = options.onCommitted;
    this.largeEventChars = options.largeEventChars ?? DEFAULT_LARGE_EVENT_CHARS;
    const pollMs = options.pollIntervalMs ?? 1000;
    this.notifier = new ChangeNotifier(pollMs);
    this.wakeups = new PgWakeups(this.clientConfig, `suiji_${this.schema}`, this.notifier, pollMs);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await pgGuarded(async () => {
        const client = await store.pool.connect();
        try {
          await migrate(client, store.schema, options.create ?? true);
        } finally {
          client.release();
        }
      });
      store.highWater = (await store.readHead()).size;
    } catch (err) {
      await store.pool.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  private open(): void {
    if (this.closed) throw new SuijiError('STORE_UNAVAILABLE', { reason: 'closed' });
  }

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    this.open();
    return pgGuarded(async () => (await this.pool.query<R>(text, values)).rows);
  }

  private async rows(text: string, values: unknown[]): Promise<EventRow[]> {
    this.open();
    return pgGuarded(async () => (await this.pool.query({ text, values, rowMode: 'array' })).rows as EventRow[]);
  }

  /** One transaction on one pooled connection; any failure rolls back and is mapped to a coded error. */
  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    this.open();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw mapPgError(err);
    }
    let broken: Error | undefined;
    // A checked-out client has no pool listener: without this, a connection dropped mid-append
    // (server restart, pg_terminate_backend) is an uncaught 'error' that ends the process. The
    // query in flight rejects on its own; the client is discarded on release.
    const dropped = (err: Error): void => {
      broken = err;
    };
    client.on('error', dropped);
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (e) {
        broken = e instanceof Error ? e : new Error(String(e));
      }
      throw mapPgError(err);
    } finally {
      client.off('error', dropped);
      client.release(broken);
    }
  }

  /** Runs inside the append transaction, after the head row is locked; `partial`: the large events' leaves, begun before the lock. */
  private async write(c: pg.PoolClient, writes: readonly PreparedWrite[], partial: ReadonlyMap<PreparedEvent, PartialLeaf>): Promise<Written> {
    const s = this.sql;
    const head = (await c.query<HeadRow>(s.lockHead)).rows[0];
    if (!head) throw new SuijiError('LEDGER_CORRUPT', { reason: 'head-missing' });
    // Every read below is its own statement, so in READ COMMITTED it takes a snapshot after the
    // lock was granted and sees everything the previous holder committed (one combined
    // statement would read the other tables as of before its wait).
    const last = (await c.query<{ last: number | null; cp: number | null }>(s.lastRows)).rows[0]!;
    checkHeadAgrees(head.size, last.last ?? -1, last.cp ?? 0, this.highWater);

    // Under the head lock no other append can record these ids meanwhile: a known id is a retry
    // (same answer as before, nothing written) or a conflict (docs/store-port.md §3).
    const ids = writes.flatMap((w) => w.events.map((e) => e.eventId));
    const known = (await c.query<IdRow & { event_id: string }>(s.byEventIds, [ids])).rows;
    if (known.length > 0) {
      const byId = new Map(known.map((r) => [r.event_id, r]));
      const original = findRetry((id) => byId.get(id), writes)!;
      return { results: original, size: head.size, root: '', replayed: true };
    }

    const current = new Map(
      (await c.query<{ stream_id: string; revision: number }>(s.streamRevisions, [writes.map((w) => w.streamId)])).rows.map((r) => [r.stream_id, r.revision]),
    );
    const actuals = writes.map((w) => {
      const actual = current.get(w.streamId) ?? -1;
      if (!expectedHolds(w.expected, actual)) throw wrongExpectedRevision(w.streamId, w.expected, actual);
      return actual;
    });

    const frontier = frontierFromRow(head);
    const recordedAt = this.clock().toISOString();
    const rows: EventRowValues[] = [];
    let position = head.size;
    const results = writes.map((w, i) => {
      let revision = actuals[i]!;
      for (const e of w.events) {
        revision += 1;
        const at = { position, streamId: w.streamId, revision, recordedAt };
        const { leaf, hex } = partial.get(e)?.place(at) ?? envelopeLeaf(e, at);
        rows.push([position, w.streamId, revision, e.eventId, e.type, e.schemaVersion, recordedAt, e.actorJson, e.correlationId, e.causationId, e.payloadJson, hex]);
        frontier.push(leaf);
        position += 1;
      }
      return { streamId: w.streamId, nextRevision: revision, position: position - 1 };
    });
    const root = bytesToHex(frontier.root());
    const plan = planRows(rows, this.largeEventChars);
    for (const row of plan.single) await c.query(s.insertEvent, [...row]);
    for (const batch of plan.batches.slice(0, -1)) await c.query(s.insertEvents, columns(batch));
    // The last batch of events, stream revisions, head, checkpoint and the NOTIFY (delivered at
    // commit, never before: a woken subscriber finds the rows) in one statement: an append of
    // ordinary events is one round trip under the lock.
    await c.query(s.writeAll, [
      ...columns(plan.batches.at(-1)!),
      results.map((r) => r.streamId), results.map((r) => r.nextRevision),
      frontier.size, frontierBlob(frontier), root, recordedAt,
      `suiji_${this.schema}`, String(frontier.size),
    ]);
    return { results, size: frontier.size, root, replayed: false };
  }

  private async writeAll(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    this.open();
    const prepared = prepareWrites(writes, this.validate);
    refuseNul(prepared);
    // A large event's payload is hashed here, before the head lock: under it, the append only
    // adds the placement to a copy of that state (a 400 MB payload took long enough under the lock
    // for the server's idle-in-transaction timeout to end the connection).
    const partial = new Map<PreparedEvent, PartialLeaf>();
    for (const w of prepared) for (const e of w.events) if (eventChars(e) > this.largeEventChars) partial.set(e, partialEnvelopeLeaf(e));
    let out: Written;
    try {
      out = await this.transaction((c) => this.write(c, prepared, partial));
    } catch (err) {
      // A lost race on the unique indexes cannot happen under the head lock; if it does (a
      // hand-made row), it is still refused, as a conflict on the id.
      if ((err as { code?: string }).code === '23505') throw new SuijiError('IDEMPOTENCY_CONFLICT', { field: 'eventId' });
      throw err;
    }
    if (out.replayed) {
      // A replayed write is still this caller's write: its reader must see it too.
      for (const r of out.results) this.ownSize = Math.max(this.ownSize, r.position + 1);
      return out.results;
    }
    this.highWater = Math.max(this.highWater, out.size);
    this.ownSize = Math.max(this.ownSize, out.size);
    this.notifier.bump();
    this.onCommitted?.({ size: out.size, root: out.root });
    return out.results;
  }

  /** OwnAppends (src/store/own-appends.ts). */
  get appendedSize(): number {
    return this.ownSize;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const [result] = await this.writeAll([{ streamId, events, expected }]);
    return result!;
  }

  async appendMulti(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    return this.writeAll(writes);
  }

  async readStream(streamId: string, fromRevision = 0): Promise<RecordedEvent[]> {
    this.open();
    checkStreamId(streamId);
    if (streamId.includes(NUL)) return [];
    return decodeRows(await this.rows(this.sql.readStream, [streamId, Math.max(0, Math.floor(fromRevision))]));
  }

  /** BulkStreamReader (src/store/bulk-streams.ts): readStream of each id in one round trip (a re-import read one per row). */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    this.open();
    for (const id of streamIds) checkStreamId(id);
    const byStream = new Map<string, RecordedEvent[]>();
    const ids = streamIds.filter((id) => !id.includes(NUL));
    if (ids.length === 0) return byStream;
    for (const e of decodeRows(await this.rows(this.sql.readStreams, [ids]))) {
      const list = byStream.get(e.streamId);
      if (list) list.push(e);
      else byStream.set(e.streamId, [e]);
    }
    return byStream;
  }

  async streamRevision(streamId: string): Promise<number> {
    this.open();
    checkStreamId(streamId);
    if (streamId.includes(NUL)) return -1;
    const [row] = await this.query<{ revision: number }>(this.sql.streamRevision, [streamId]);
    return row?.revision ?? -1;
  }

  private async readPage(from: number, limit: number): Promise<RecordedEvent[]> {
    return decodeRows(await this.rows(this.sql.readAll, [from, limit < 0 ? null : limit]));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { from, limit } = pageBounds(options);
    return this.readPage(from, limit);
  }

  subscribe(from: number, handler: EventHandler): Subscription {
    this.open();
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new SuijiError('VALIDATION_FAILED', { field: 'from', reason: 'must be a position >= 0' });
    }
    this.wakeups.start();
    const source = { notifier: this.notifier, readPage: (f: number, l: number) => this.readPage(f, l) };
    const sub = pagedSubscription(source, from, handler);
    this.subscriptions.add(sub);
    const forget = (): void => void this.subscriptions.delete(sub);
    sub.done.then(forget, forget);
    return sub;
  }

  private async readHead(): Promise<LedgerHead> {
    const [row] = await this.query<HeadRow>(this.sql.head);
    if (!row) throw new SuijiError('LEDGER_CORRUPT', { reason: 'head-missing' });
    this.highWater = Math.max(this.highWater, row.size);
    return { size: row.size, root: bytesToHex(frontierFromRow(row).root()) };
  }

  async head(): Promise<LedgerHead> {
    return this.readHead();
  }

  /** `from` is a tree size here: checkpoints with size >= from, oldest first. */
  async checkpoints(options: ReadAllOptions = {}): Promise<Checkpoint[]> {
    const { from, limit } = pageBounds(options);
    return this.query<Checkpoint>(this.sql.checkpoints, [from, limit < 0 ? null : limit]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((sub) => sub.stop()));
    this.closed = true;
    await this.wakeups.stop();
    await this.pool.end().catch(() => undefined);
  }
}

export const openPostgresStore = (options: PostgresStoreOptions): Promise<PostgresEventStore> => PostgresEventStore.open(options);
