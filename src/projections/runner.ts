import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, RecordedEvent, Subscription } from '../store/port.js';
import { isBulkEventReader, type BulkEventReader } from '../store/bulk-read.js';
import { TimeSlice, yieldToEventLoop } from '../store/time-slice.js';
import type { Projection } from './projection.js';
import { describeFault, LedgerBasis, type BasisFault } from './basis.js';

/** Where the runner says why read models are being rebuilt; default stderr. */
export interface RunnerLog {
  warn(message: string, details: Record<string, unknown>): void;
  info(message: string, details: Record<string, unknown>): void;
}

const stderrLog: RunnerLog = {
  warn: (message, details) => void process.stderr.write(`警告 / WARNING: ${message} ${JSON.stringify(details)}\n`),
  info: () => undefined,
};

/** `rebuilding`: the read models were found ahead of the ledger or from another history (issue 7 §4). */
export type RunnerStatus =
  | { readonly state: 'current' }
  | { readonly state: 'rebuilding'; readonly reason: BasisFault['reason']; readonly detail: string };

/**
 * Catch-up page: one projections transaction, run without a break. ~1,000 events apply in
 * ~15 ms (bench/projection-rebuild.ts: ~80,000 events/s), so a server catching up on another
 * process's 40,000-row import still answers /health between pages (issue 8 §1).
 */
const PAGE = 1_000;
/** A rebuild reads bigger pages: one projections transaction per page. */
const REBUILD_PAGE = 20_000;
/** Page cache while rebuilding, in KiB (SQLite: a negative cache_size is KiB). */
const REBUILD_CACHE_KIB = 256 * 1024;

export const openProjectionDb = (dataDir: string): Database => {
  mkdirSync(dataDir, { recursive: true });
  const db = new BetterSqlite3(join(dataDir, 'projections.db'));
  db.pragma('journal_mode = WAL');
  // Projections are rebuildable from the ledger, so NORMAL is enough here; the ledger itself is FULL.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
};

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
}

/**
 * Runs projections from their stored checkpoints: catch up in pages (one transaction per
 * page, so a rebuild is fast), then follow the store's subscription live. Restarting does
 * not replay from zero; `rebuild()` does.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private readonly next = new Map<string, number>();
  private readonly basis: LedgerBasis;
  private following = false;
  private recovery: Promise<void> | null = null;
  private current: RunnerStatus = { state: 'current' };
  /** The projections' deferred work (Projection.background) under way, if any. */
  private deferred: { stopped: boolean; done: Promise<void> } | null = null;

  constructor(
    private readonly store: EventStore,
    readonly db: Database,
    private readonly projections: readonly Projection[],
    private readonly log: RunnerLog = stderrLog,
  ) {
    this.basis = new LedgerBasis(db);
    db.exec('CREATE TABLE IF NOT EXISTS projection_checkpoints (name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL)');
    const rows = db.prepare('SELECT name, version, position FROM projection_checkpoints').all() as CheckpointRow[];
    const stored = new Map(rows.map((r) => [r.name, r]));
    const save = db.prepare('INSERT OR REPLACE INTO projection_checkpoints (name, version, position) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const p of projections) {
        const row = stored.get(p.name);
        if (!row || row.version !== p.version) {
          // A new or changed projection starts from zero (a version bump means new tables).
          p.reset(db);
          p.setup(db);
          save.run(p.name, p.version, 0);
          this.next.set(p.name, 0);
        } else {
          p.setup(db);
          this.next.set(p.name, row.position);
        }
      }
      if (!this.basis.recorded && this.maxPosition === 0) this.basis.save();
    })();
  }

  /** The furthest any projection has applied: the ledger prefix the basis covers. */
  private get maxPosition(): number {
    let max = 0;
    for (const v of this.next.values()) max = Math.max(max, v);
    return max;
  }

  get status(): RunnerStatus {
    return this.current;
  }

  /**
   * Issue 7 §4: are the read models built from a prefix of this ledger? Read models ahead of
   * the ledger (a lost tail) or from another history (a swapped file) would answer with events
   * that no longer exist and skip the new ones written at their positions.
   */
  private async basisFault(thorough: boolean): Promise<BasisFault | null> {
    if (this.recovery) return null;
    if (!this.basis.recorded && this.maxPosition > 0) return { reason: 'no-basis', position: this.maxPosition };
    return this.basis.fault(this.store, thorough);
  }

  /**
   * Drops every read model at once (nothing from a lost history is served a moment longer),
   * then replays the ledger; `status` is `rebuilding` until the replay is done.
   */
  private recover(fault: BasisFault): Promise<void> {
    if (this.recovery) return this.recovery;
    const detail = describeFault(fault);
    this.current = { state: 'rebuilding', reason: fault.reason, detail };
    this.log.warn(`rebuilding read models: ${detail}`, { ...fault });
    const live = this.subscription;
    this.subscription = null;
    this.recovery = (async () => {
      const replayed = this.replay(); // drops the read models now, synchronously
      await live?.close();
      const events = await replayed;
      this.startDeferred();
      this.log.info('read models rebuilt from the ledger', { events, reason: fault.reason });
      this.current = { state: 'current' };
      if (this.following) await this.follow();
    })().finally(() => {
      // A failed rebuild stays `rebuilding` (degraded) until a later catch-up completes it.
      this.recovery = null;
    });
    return this.recovery;
  }

  /** Resolves once no rebuild is under way (for callers that must not read a half-built model). */
  async whenCurrent(): Promise<void> {
    while (this.recovery) await this.recovery;
  }

  /** For GET /health: a cheap basis check (starting a rebuild if it fails), status and lag. */
  async health(): Promise<{ status: RunnerStatus; lag: number }> {
    const fault = await this.basisFault(false);
    if (fault) void this.recover(fault).catch((err: unknown) => this.log.warn('rebuild failed', { error: String(err) }));
    return { status: this.current, lag: await this.lag() };
  }

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** Lowest next position over all projections: where catch-up starts. */
  get position(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const v of this.next.values()) min = Math.min(min, v);
    return Number.isFinite(min) ? min : 0;
  }

  private applyBatch(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    const db = this.db;
    const save = (this.saveCheckpoint ??= db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?'));
    const end = events[events.length - 1]!.position + 1;
    this.inTransaction(() => {
      for (const p of this.projections) {
        const from = this.next.get(p.name) ?? 0;
        if (from <= events[0]!.position) {
          for (let i = 0; i < events.length; i++) p.apply(db, events[i]!);
        } else {
          for (const e of events) if (e.position >= from) p.apply(db, e);
        }
        p.flush?.(db);
        save.run(Math.max(from, end), p.name);
      }
      for (const e of events) this.basis.advance(e);
      this.basis.save();
    });
    for (const p of this.projections) this.next.set(p.name, Math.max(this.next.get(p.name) ?? 0, end));
  }

  private saveCheckpoint: Statement | undefined;

  /** One projections transaction; when it rolls back, what projections held for `flush` is dropped with it. */
  private inTransaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      for (const p of this.projections) p.discard?.(this.db);
      throw err;
    }
  }

  /**
   * Like applyBatch over `readAll({ from: this.position, limit })`, for a store that can hand
   * events over one by one (BulkEventReader): no page array, each event applied by every
   * projection as it is decoded — the order live events are applied in. Returns the count.
   */
  private applyStreamed(store: BulkEventReader, limit: number): number {
    const db = this.db;
    const save = (this.saveCheckpoint ??= db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?'));
    const projections = this.projections;
    const from = projections.map((p) => this.next.get(p.name) ?? 0);
    let end = -1;
    const count = this.inTransaction(() => {
      const n = store.forEachEvent(this.position, limit, (e) => {
        for (let i = 0; i < projections.length; i++) if (e.position >= from[i]!) projections[i]!.apply(db, e);
        this.basis.advance(e);
        end = e.position + 1;
      });
      if (n > 0) {
        projections.forEach((p, i) => {
          p.flush?.(db);
          save.run(Math.max(from[i]!, end), p.name);
        });
        this.basis.save();
      }
      return n;
    });
    if (count > 0) for (const p of projections) this.next.set(p.name, Math.max(this.next.get(p.name) ?? 0, end));
    return count;
  }

  /**
   * Applies everything already in the store; returns the number of events read. Read models
   * found ahead of the ledger or from another history are rebuilt first (issue 7 §4). `until`:
   * stop once this position is reached, so a read that catches up to the head it saw does not
   * chase another process that keeps appending (issue 8 §1: a read waited 4.9 s for that).
   */
  async catchUp(pageSize = PAGE, until = Number.POSITIVE_INFINITY): Promise<number> {
    const fault = await this.basisFault(false);
    if (fault) await this.recover(fault);
    let read = 0;
    const store = this.store;
    // Paged stores (PostgreSQL, EventStoreDB): the next page is fetched while this one is applied,
    // so the database server and the network work while this process applies (issue 13).
    let next: Promise<RecordedEvent[]> | null = null;
    let nextFrom = -1;
    const fetch = (from: number): Promise<RecordedEvent[]> => {
      const p = store.readAll({ from, limit: pageSize });
      p.catch(() => undefined); // awaited below; a page never awaited (an apply failed) must not be an unhandled rejection
      return p;
    };
    while (this.position < until) {
      let n: number;
      if (isBulkEventReader(store)) {
        n = this.applyStreamed(store, pageSize);
      } else {
        // A prefetched page is used only if it starts where the projections are (a rebuild started
        // meanwhile would have reset them to 0).
        const page = await (next !== null && nextFrom === this.position ? next : fetch(this.position));
        next = null;
        const last = page[page.length - 1];
        if (page.length === pageSize && last !== undefined && last.position + 1 < until) {
          nextFrom = last.position + 1;
          next = fetch(nextFrom);
        }
        this.applyBatch(page);
        n = page.length;
      }
      if (n === 0) {
        if (this.recovery === null && this.current.state === 'rebuilding') this.current = { state: 'current' };
        return read;
      }
      read += n;
      // A macrotask between pages, not a microtask: pending requests are served before the next page.
      await yieldToEventLoop();
    }
    return read;
  }

  /**
   * Checks the read models against the ledger, catches up, then follows live appends. When the
   * check fails, the read models are dropped at once and rebuilt in the background (`status`
   * says why, `whenCurrent()` waits): a rebuild from zero is long, and the server answers — with
   * /health degraded — meanwhile.
   */
  async start(): Promise<void> {
    this.following = true;
    const fault = await this.basisFault(true);
    if (fault) {
      void this.recover(fault).catch((err: unknown) => this.log.warn('rebuild failed', { error: String(err) }));
      return;
    }
    await this.follow();
    // A process that stopped during a rebuild's deferred work (or before it) finishes it now.
    this.startDeferred();
  }

  /**
   * Runs the projections' deferred work to its end, a slice per macrotask so requests are
   * served in between; one run at a time. A rebuild started meanwhile drops what the work
   * builds (the slices then find nothing to do); stop() ends it between slices.
   */
  private runDeferred(): Promise<void> {
    if (this.deferred) return this.deferred.done;
    const run = { stopped: false, done: Promise.resolve() };
    run.done = (async () => {
      await yieldToEventLoop();
      for (const p of this.projections) {
        if (!p.background) continue;
        while (!run.stopped && this.db.open && p.background(this.db)) await yieldToEventLoop();
      }
    })().finally(() => {
      if (this.deferred === run) this.deferred = null;
    });
    this.deferred = run;
    return run.done;
  }

  private startDeferred(): void {
    void this.runDeferred().catch((err: unknown) => this.log.warn('deferred read-model work failed', { error: String(err) }));
  }

  /**
   * Finishes the deferred work a rebuild left (e.g. the name search index) and resolves when
   * it is done: for `suiji projections rebuild`, benchmarks and tests. A server need not wait.
   */
  async settle(): Promise<void> {
    await this.whenCurrent();
    await this.runDeferred();
  }

  private async follow(): Promise<void> {
    await this.catchUp();
    // The live path applies one event per transaction; another process's bulk import arrives
    // here as thousands of events in a row, so the handler yields once a slice is used up.
    const slice = new TimeSlice();
    this.subscription = this.store.subscribe(this.position, (e) => {
      // During a rebuild the replay applies everything; a live event would arrive out of order.
      if (this.recovery === null && e.position >= this.position) this.applyBatch([e]);
      return slice.pass();
    });
  }

  /**
   * Drops every projection and replays the whole ledger. While replaying, the projections
   * database runs with synchronous=OFF and a bigger page cache (its content is rebuildable
   * from the ledger, and the checkpoint rows are written in the same transactions); the
   * previous settings are restored, and the WAL checkpointed, afterwards. Resolves when the
   * read models are complete; work they deferred (the name index) goes on in the background
   * (`settle()` waits for it).
   */
  async rebuild(): Promise<number> {
    await this.stop();
    const events = await this.replay();
    this.startDeferred();
    return events;
  }

  /** The read models are dropped synchronously, before the first await. */
  private async replay(): Promise<number> {
    const db = this.db;
    const synchronous = db.pragma('synchronous', { simple: true }) as number;
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    const save = db.prepare('UPDATE projection_checkpoints SET position = 0 WHERE name = ?');
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = ${-REBUILD_CACHE_KIB}`);
    try {
      db.transaction(() => {
        for (const p of this.projections) {
          p.reset(db);
          p.setup(db);
          p.beforeRebuild?.(db);
          save.run(p.name);
          this.next.set(p.name, 0);
        }
        this.basis.clear();
        this.basis.save();
      })();
      return await this.catchUp(REBUILD_PAGE);
    } finally {
      try {
        db.transaction(() => {
          for (const p of this.projections) p.afterRebuild?.(db);
        })();
      } finally {
        db.pragma(`cache_size = ${cacheSize}`);
        db.pragma(`synchronous = ${synchronous}`);
        db.pragma('wal_checkpoint(PASSIVE)');
      }
    }
  }

  /** Events the slowest projection still has to apply. */
  async lag(): Promise<number> {
    const head = await this.store.head();
    return Math.max(0, head.size - this.position);
  }

  /** Stops following; a rebuild under way is finished first (closing the database under it would fail it). */
  async stop(): Promise<void> {
    this.following = false;
    await this.recovery?.catch(() => undefined);
    const deferred = this.deferred;
    if (deferred) {
      deferred.stopped = true;
      await deferred.done.catch(() => undefined);
    }
    const s = this.subscription;
    this.subscription = null;
    if (s) await s.close();
  }
}
