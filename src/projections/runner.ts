import BetterSqlite3, { type Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, RecordedEvent, Subscription } from '../store/port.js';
import type { Projection } from './projection.js';

const PAGE = 5_000;

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
    const save = this.db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?');
    this.db.transaction(() => {
      for (const p of this.projections) {
        const from = this.next.get(p.name) ?? 0;
        for (const e of events) if (e.position >= from) p.apply(this.db, e);
        save.run(Math.max(from, events[events.length - 1]!.position + 1), p.name);
      }
    })();
    const end = events[events.length - 1]!.position + 1;
    for (const p of this.projections) this.next.set(p.name, Math.max(this.next.get(p.name) ?? 0, end));
  }

  /** Applies everything already in the store; returns the number of events read. */
  async catchUp(): Promise<number> {
    let read = 0;
    for (;;) {
      const page = await this.store.readAll({ from: this.position, limit: PAGE });
      if (page.length === 0) return read;
      this.applyBatch(page);
      read += page.length;
    }
  }

  /** Catches up, then follows live appends. */
  async start(): Promise<void> {
    await this.catchUp();
    this.subscription = this.store.subscribe(this.position, (e) => {
      if (e.position >= this.position) this.applyBatch([e]);
    });
  }

  /** Drops every projection and replays the whole ledger. */
  async rebuild(): Promise<number> {
    await this.stop();
    const save = this.db.prepare('UPDATE projection_checkpoints SET position = 0 WHERE name = ?');
    this.db.transaction(() => {
      for (const p of this.projections) {
        p.reset(this.db);
        p.setup(this.db);
        save.run(p.name);
        this.next.set(p.name, 0);
      }
    })();
    return this.catchUp();
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
