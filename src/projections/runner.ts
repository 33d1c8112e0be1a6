import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, RecordedEvent, Subscription } from '../store/port.js';
import { isBulkEventReader, type BulkEventReader } from '../store/bulk-read.js';
import { TimeSlice, yieldToEventLoop } from '../store/time-slice.js';
import type { Projection } from './projection.js';

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

  constructor(
    private readonly store: EventStore,
    readonly db: Database,
    private readonly projections: readonly Projection[],
  ) {
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
    })();
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
    db.transaction(() => {
      for (const p of this.projections) {
        const from = this.next.get(p.name) ?? 0;
        if (from <= events[0]!.position) {
          for (let i = 0; i < events.length; i++) p.apply(db, events[i]!);
        } else {
          for (const e of events) if (e.position >= from) p.apply(db, e);
        }
        save.run(Math.max(from, end), p.name);
      }
    })();
    for (const p of this.projections) this.next.set(p.name, Math.max(this.next.get(p.name) ?? 0, end));
  }

  private saveCheckpoint: Statement | undefined;

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
    const count = db.transaction(() => {
      const n = store.forEachEvent(this.position, limit, (e) => {
        for (let i = 0; i < projections.length; i++) if (e.position >= from[i]!) projections[i]!.apply(db, e);
        end = e.position + 1;
      });
      if (n > 0) projections.forEach((p, i) => save.run(Math.max(from[i]!, end), p.name));
      return n;
    })();
    if (count > 0) for (const p of projections) this.next.set(p.name, Math.max(this.next.get(p.name) ?? 0, end));
    return count;
  }

  /**
   * Applies everything already in the store; returns the number of events read. `until`: stop
   * once this position is reached, so a read that catches up to the head it saw does not chase
   * another process that keeps appending (issue 8 §1: a read waited 4.9 s for that).
   */
  async catchUp(pageSize = PAGE, until = Number.POSITIVE_INFINITY): Promise<number> {
    let read = 0;
    const store = this.store;
    while (this.position < until) {
      let n: number;
      if (isBulkEventReader(store)) {
        n = this.applyStreamed(store, pageSize);
      } else {
        const page = await store.readAll({ from: this.position, limit: pageSize });
        this.applyBatch(page);
        n = page.length;
      }
      if (n === 0) return read;
      read += n;
      // A macrotask between pages, not a microtask: pending requests are served before the next page.
      await yieldToEventLoop();
    }
    return read;
  }

  /** Catches up, then follows live appends. */
  async start(): Promise<void> {
    await this.catchUp();
    // The live path applies one event per transaction; another process's bulk import arrives
    // here as thousands of events in a row, so the handler yields once a slice is used up.
    const slice = new TimeSlice();
    this.subscription = this.store.subscribe(this.position, (e) => {
      if (e.position >= this.position) this.applyBatch([e]);
      return slice.pass();
    });
  }

  /**
   * Drops every projection and replays the whole ledger. While replaying, the projections
   * database runs with synchronous=OFF and a bigger page cache (its content is rebuildable
   * from the ledger, and the checkpoint rows are written in the same transactions); the
   * previous settings are restored, and the WAL checkpointed, afterwards.
   */
  async rebuild(): Promise<number> {
    await this.stop();
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

  async stop(): Promise<void> {
    const s = this.subscription;
    this.subscription = null;
    if (s) await s.close();
  }
}
