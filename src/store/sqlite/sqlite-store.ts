/**
 * The embedded event store: one SQLite file in WAL mode with synchronous=FULL
 * (docs/store-port.md). Appends are one IMMEDIATE transaction each, so writers in several
 * processes on the same file serialise on SQLite's write lock; the Merkle frontier is kept in
 * memory and reloaded whenever another connection has grown the ledger.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
import { checkStreamId, expectedHolds, prepareWrites, wrongExpectedRevision, type PreparedWrite } from '../prepare.js';
import { envelopeLeaf } from '../envelope.js';
import type { LeafRowReader } from '../leaf-rows.js';
import type { LeafPageReader, LeafPageStream } from '../leaf-pages.js';
import { openLeafPageThreads } from './leaf-page-threads.js';
import type { MerkleFrontier } from '../../verify/merkle.js';
import { checkHeadAgrees, frontierBlob, frontierFromRow, pageBounds, type HeadRow } from '../ledger-head.js';
import { ChangeNotifier } from '../notifier.js';
import { pagedSubscription } from '../subscription.js';
import type { BulkEventReader } from '../bulk-read.js';
import type { BulkStreamReader } from '../bulk-streams.js';
import type { OwnAppends } from '../own-appends.js';
import { applyPragmas, DB_FILE, migrate } from './schema.js';
import { guarded, mapSqliteError } from './errors.js';
import { decodeRows, EVENT_COLUMNS, rowDecoder, type EventRow } from '../rows.js';
import { findRetry, type IdRow } from '../idempotency.js';

export interface SqliteStoreOptions {
  readonly dataDir: string;
  readonly validate?: EventValidator;
  readonly clock?: () => Date;
  /** How often subscriptions look for appends made by other processes. Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** SQLite busy_timeout: how long a writer waits for another process's lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** false: refuse to create a new ledger (verification must not invent an empty one). */
  readonly create?: boolean;
  /** Called after each committed append with the new head (e.g. to keep a checkpoint outside the file). */
  readonly onCommitted?: (head: LedgerHead) => void;
}

/** Rows per query in forEachEvent: small enough that decoded events stay in V8's young generation. */
const BULK_CHUNK = 1000;

/** Thrown inside the write transaction to roll it back and resolve an idempotent retry outside. */
class RetryProbe extends Error {
  constructor(readonly conflict: SuijiError | null) {
    super('retry-probe');
  }
}

export class SqliteEventStore implements EventStore, BulkEventReader, BulkStreamReader, LeafRowReader, LeafPageReader, OwnAppends {
  private readonly db: Database.Database;
  private frontier: MerkleFrontier;
  /** Largest ledger size this connection has committed or read; the ledger may only grow. */
  private highWater = 0;
  private ownSize = 0;
  private readonly clock: () => Date;
  private readonly validate: EventValidator | undefined;
  private readonly notifier: ChangeNotifier;
  private readonly subscriptions = new Set<{ stop(): Promise<void> }>();
  private closed = false;
  private readonly stmt: ReturnType<SqliteEventStore['prepareStatements']>;
  private readonly writeTx: (writes: readonly PreparedWrite[]) => { results: AppendResult[]; frontier: MerkleFrontier; root: string };
  private readonly onCommitted: ((head: LedgerHead) => void) | undefined;

  constructor(options: SqliteStoreOptions) {
    const create = options.create ?? true;
    if (create) {
      try {
        mkdirSync(options.dataDir, { recursive: true });
      } catch (err) {
        throw new SuijiError('STORE_UNAVAILABLE', { reason: 'data-dir', dataDir: options.dataDir, message: String(err) });
      }
    }
    this.clock = options.clock ?? (() => new Date());
    this.validate = options.validate;
    this.onCommitted = options.onCommitted;
    this.notifier = new ChangeNotifier(options.pollIntervalMs ?? 200);
    this.db = guarded(() => new Database(join(options.dataDir, DB_FILE), { fileMustExist: !create }));
    try {
      guarded(() => {
        applyPragmas(this.db, options.busyTimeoutMs ?? 5000);
        migrate(this.db, create);
      });
      this.stmt = guarded(() => this.prepareStatements());
      this.frontier = frontierFromRow(guarded(() => this.stmt.head.get() as HeadRow));
      this.highWater = this.frontier.size;
    } catch (err) {
      this.db.close();
      throw err;
    }
    const tx = this.db.transaction((writes: readonly PreparedWrite[]) => this.write(writes));
    this.writeTx = (writes) => tx.immediate(writes);
  }

  private prepareStatements() {
    const db = this.db;
    return {
      head: db.prepare('SELECT size, frontier FROM ledger_head WHERE id = 1'),
      // Both are rowid / primary-key lookups: O(log n), cheap enough for every append.
      lastPosition: db.prepare('SELECT max(position) FROM events').pluck(),
      lastCheckpoint: db.prepare('SELECT max(size) FROM checkpoints').pluck(),
      setHead: db.prepare('UPDATE ledger_head SET size = ?, frontier = ? WHERE id = 1'),
      streamRevision: db.prepare('SELECT revision FROM streams WHERE stream_id = ?').pluck(),
      setStream: db.prepare(
        'INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision',
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertCheckpoint: db.prepare('INSERT INTO checkpoints (size, root, recorded_at) VALUES (?, ?, ?)'),
      byEventId: db.prepare('SELECT position, stream_id, revision, type, schema_version, payload FROM events WHERE event_id = ?'),
      readAll: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?`).raw(),
      readStream: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`).raw(),
      // One query for a batch of streams (json_each: any number of ids, one prepared statement).
      readStreams: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id IN (SELECT value FROM json_each(?)) ORDER BY stream_id, revision`).raw(),
      checkpoints: db.prepare('SELECT size, root, recorded_at AS recordedAt FROM checkpoints WHERE size >= ? ORDER BY size LIMIT ?'),
    };
  }

  /** Runs inside one IMMEDIATE transaction: checks every expected revision, then writes. */
  private write(writes: readonly PreparedWrite[]): { results: AppendResult[]; frontier: MerkleFrontier; root: string } {
    const head = this.stmt.head.get() as HeadRow;
    this.checkHead(head.size);
    // Another process may have appended since our last write: the stored frontier is the truth.
    const frontier = head.size === this.frontier.size ? this.frontier.clone() : frontierFromRow(head);
    const actuals = writes.map((w) => {
      const found = this.stmt.streamRevision.get(w.streamId) as number | undefined;
      const actual = found ?? -1;
      if (!expectedHolds(w.expected, actual)) throw new RetryProbe(wrongExpectedRevision(w.streamId, w.expected, actual));
      return actual;
    });
    const recordedAt = this.clock().toISOString();
    let position = head.size;
    const results = writes.map((w, i) => {
      let revision = actuals[i]!;
      for (const e of w.events) {
        revision += 1;
        const { leaf, hex } = envelopeLeaf(e, { position, streamId: w.streamId, revision, recordedAt });
        try {
          this.stmt.insertEvent.run(
            position, w.streamId, revision, e.eventId, e.type, e.schemaVersion, recordedAt,
            e.actorJson, e.correlationId, e.causationId, e.payloadJson, hex,
          );
        } catch (err) {
          // A known event id: maybe a retry of an acknowledged append (docs/store-port.md §3).
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new RetryProbe(null);
          throw err;
        }
        frontier.push(leaf);
        position += 1;
      }
      this.stmt.setStream.run(w.streamId, revision);
      return { streamId: w.streamId, nextRevision: revision, position: position - 1 };
    });
    this.stmt.setHead.run(frontier.size, frontierBlob(frontier));
    const root = bytesToHex(frontier.root());
    this.stmt.insertCheckpoint.run(frontier.size, root, recordedAt);
    return { results, frontier, root };
  }

  /** No gaps, ever (src/store/ledger-head.ts): head, last row and last checkpoint agree; the ledger never shrank. */
  private checkHead(size: number): void {
    const last = (this.stmt.lastPosition.get() as number | null) ?? -1;
    const lastCheckpoint = (this.stmt.lastCheckpoint.get() as number | null) ?? 0;
    checkHeadAgrees(size, last, lastCheckpoint, this.highWater);
  }

  private open(): void {
    if (this.closed) throw new SuijiError('STORE_UNAVAILABLE', { reason: 'closed' });
  }

  private writeAll(writes: readonly StreamWrite[]): AppendResult[] {
    this.open();
    const prepared = prepareWrites(writes, this.validate);
    try {
      const { results, frontier, root } = this.writeTx(prepared);
      this.frontier = frontier;
      this.highWater = Math.max(this.highWater, frontier.size);
      this.ownSize = Math.max(this.ownSize, frontier.size);
      this.notifier.bump();
      this.onCommitted?.({ size: frontier.size, root });
      return results;
    } catch (err) {
      if (!(err instanceof RetryProbe)) throw mapSqliteError(err);
      const original = guarded(() => findRetry((id) => this.stmt.byEventId.get(id) as IdRow | undefined, prepared));
      if (original) {
        // A replayed write is still this caller's write: its reader must see it too.
        for (const r of original) this.ownSize = Math.max(this.ownSize, r.position + 1);
        return original;
      }
      // Not a retry: the conflict stands (a unique clash is then a partial overlap, found above).
      throw err.conflict ?? new SuijiError('IDEMPOTENCY_CONFLICT', {});
    }
  }

  /** OwnAppends (src/store/own-appends.ts). */
  get appendedSize(): number {
    return this.ownSize;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const [result] = this.writeAll([{ streamId, events, expected }]);
    return result!;
  }

  async appendMulti(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    return this.writeAll(writes);
  }

  async readStream(streamId: string, fromRevision = 0): Promise<RecordedEvent[]> {
    this.open();
    checkStreamId(streamId);
    const rows = guarded(() => this.stmt.readStream.all(streamId, Math.max(0, Math.floor(fromRevision))) as EventRow[]);
    return decodeRows(rows);
  }

  /** BulkStreamReader (src/store/bulk-streams.ts): readStream of each id, in one query. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    this.open();
    for (const id of streamIds) checkStreamId(id);
    const rows = guarded(() => this.stmt.readStreams.all(JSON.stringify(streamIds)) as EventRow[]);
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of decodeRows(rows)) {
      const list = byStream.get(e.streamId);
      if (list) list.push(e);
      else byStream.set(e.streamId, [e]);
    }
    return byStream;
  }

  async streamRevision(streamId: string): Promise<number> {
    this.open();
    checkStreamId(streamId);
    return guarded(() => (this.stmt.streamRevision.get(streamId) as number | undefined) ?? -1);
  }

  private readPage(from: number, limit: number): RecordedEvent[] {
    this.open();
    const rows = guarded(() => this.stmt.readAll.all(from, limit) as EventRow[]);
    return decodeRows(rows);
  }

  /** LeafRowReader (src/store/leaf-rows.ts): readAll's rows, undecoded, for verifyLedger. */
  forEachRow(from: number, limit: number, fn: (row: EventRow) => void): number {
    const bounds = pageBounds({ from, limit });
    this.open();
    const rows = guarded(() => this.stmt.readAll.all(bounds.from, bounds.limit) as EventRow[]);
    for (const row of rows) fn(row);
    return rows.length;
  }

  /** LeafPageReader (src/store/leaf-pages.ts): readAll's rows of [from, until), read and packed by a worker thread on its own read-only connection. */
  leafPages(from: number, until: number, pageSize: number, readers = 1): LeafPageStream {
    this.open();
    return openLeafPageThreads(this.db.name, from, until, pageSize, { readers });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { from, limit } = pageBounds(options);
    return this.readPage(from, limit);
  }

  /** BulkEventReader (src/store/bulk-read.ts): readAll's events, read in chunks and handed over one by one. */
  forEachEvent(from: number, limit: number | undefined, fn: (event: RecordedEvent) => void): number {
    const bounds = pageBounds(limit === undefined ? { from } : { from, limit });
    let position = bounds.from;
    let left = bounds.limit;
    let count = 0;
    while (left !== 0) {
      this.open();
      const chunk = left < 0 ? BULK_CHUNK : Math.min(BULK_CHUNK, left);
      const rows = guarded(() => this.stmt.readAll.all(position, chunk) as EventRow[]);
      const decode = rowDecoder();
      for (const row of rows) {
        const e = decode(row);
        fn(e);
        position = e.position + 1;
        count += 1;
      }
      if (rows.length < chunk) break;
      if (left > 0) left -= rows.length;
    }
    return count;
  }

  subscribe(from: number, handler: EventHandler): Subscription {
    this.open();
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new SuijiError('VALIDATION_FAILED', { field: 'from', reason: 'must be a position >= 0' });
    }
    const source = { notifier: this.notifier, readPage: async (f: number, l: number) => this.readPage(f, l) };
    const sub = pagedSubscription(source, from, handler);
    this.subscriptions.add(sub);
    const forget = (): void => void this.subscriptions.delete(sub);
    sub.done.then(forget, forget);
    return sub;
  }

  async head(): Promise<LedgerHead> {
    this.open();
    const row = guarded(() => this.stmt.head.get() as HeadRow);
    const frontier = row.size === this.frontier.size ? this.frontier : frontierFromRow(row);
    this.highWater = Math.max(this.highWater, row.size);
    return { size: row.size, root: bytesToHex(frontier.root()) };
  }

  /** `from` is a tree size here: checkpoints with size >= from, oldest first. */
  async checkpoints(options: ReadAllOptions = {}): Promise<Checkpoint[]> {
    this.open();
    const { from, limit } = pageBounds(options);
    return guarded(() => this.stmt.checkpoints.all(from, limit) as Checkpoint[]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
    this.db.close();
  }
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteEventStore {
  return new SqliteEventStore(options);
}
