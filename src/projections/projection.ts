import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../store/port.js';

/**
 * A read model kept in the projections database (`<dataDir>/projections.db`). The runner
 * calls `apply` inside its transaction, a batch of events at a time, and stores the
 * position it reached in the same transaction — so a crash never double-applies.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the tables or the logic change: the runner then rebuilds this projection from zero. */
  readonly version: number;
  /** Creates its tables if missing (idempotent). */
  setup(db: Database): void;
  /** Drops everything it owns, for a rebuild. */
  reset(db: Database): void;
  /** Deterministic; must ignore event types it does not know. */
  apply(db: Database, event: RecordedEvent): void;
  /**
   * Optional, for speed: called by `rebuild()` after `reset` + `setup`, before any event is
   * applied — e.g. to drop secondary indexes (building an index once over a full table is much
   * faster than maintaining it row by row). Must not drop what `apply` needs to be correct
   * (UNIQUE / PRIMARY KEY constraints behind INSERT OR REPLACE).
   */
  beforeRebuild?(db: Database): void;
  /** Optional: called by `rebuild()` after the replay (also when it failed), e.g. to recreate those indexes. */
  afterRebuild?(db: Database): void;
  /**
   * Optional, for speed: `apply` may hold rows it rewrites many times in memory; the runner calls
   * `flush` after a batch's last `apply`, inside the same transaction as the checkpoint, so what
   * is committed is exactly what the events applied.
   */
  flush?(db: Database): void;
  /** Optional, with `flush`: the batch's transaction was rolled back; forget what was held. */
  discard?(db: Database): void;
  /**
   * Optional: work a rebuild leaves for afterwards (e.g. a search index built over the full
   * table), one slice per call in its own transaction; returns true while more remains. The
   * runner calls it between event-loop turns after a rebuild and at start. Reads must answer
   * the same before it is done (slower is fine).
   */
  background?(db: Database): boolean;
}
