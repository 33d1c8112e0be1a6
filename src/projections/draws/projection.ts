import type { Database, Statement } from 'better-sqlite3';
import type { Projection } from '../projection.js';
import type { RecordedEvent } from '../../store/port.js';
import type { DrawEvent, DrawCountedPayload } from '../../domain/draws/index.js';

const cache = new WeakMap<Database, Map<string, Statement>>();
function stmt(db: Database, sql: string): Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

/** Selected members of a result, in draw order: the merged class list, or each group's members. */
function selectedOf(result: unknown): string[] {
  if (typeof result !== 'object' || result === null) return [];
  const r = result as { merged?: unknown; groups?: unknown };
  if (Array.isArray(r.merged)) return r.merged.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(r.groups)) {
    return r.groups.flatMap((g: unknown) => (typeof g === 'object' && g !== null && typeof (g as { target?: unknown }).target === 'string' ? [(g as { target: string }).target] : []));
  }
  return [];
}

/**
 * What draws exist (V1) and PL5's per-entity-per-year counts. Payloads were schema-checked at
 * append (src/domain/catalogue.ts), so they are read as their domain events, as when folding.
 */
export const drawsProjection: Projection = {
  name: 'draws',
  // 2: due_at (issue 7 §1, overdue draws in public listings).
  version: 2,
  setup(db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS draws (
      draw_id TEXT PRIMARY KEY, task TEXT NOT NULL, purpose TEXT NOT NULL, kind TEXT NOT NULL, department TEXT NOT NULL,
      status TEXT NOT NULL, commitment_hash TEXT NOT NULL, committed_at TEXT NOT NULL, reveal_deadline TEXT NOT NULL,
      pool_size INTEGER NOT NULL, excluded INTEGER NOT NULL, completed_at TEXT, abandoned_at TEXT, abandon_reason TEXT,
      selected TEXT, committed_position INTEGER NOT NULL, due_at TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS draws_task ON draws (task, purpose);
    CREATE TABLE IF NOT EXISTS draw_counts (uscc TEXT NOT NULL, year INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (uscc, year));
    CREATE INDEX IF NOT EXISTS draw_counts_year ON draw_counts (year);`);
  },
  reset(db: Database) {
    db.exec('DROP TABLE IF EXISTS draws; DROP TABLE IF EXISTS draw_counts;');
  },
  apply(db: Database, event: RecordedEvent) {
    if (event.type === 'DrawCounted') {
      const p = event.payload as DrawCountedPayload;
      stmt(db, 'INSERT INTO draw_counts (uscc, year, count) VALUES (?, ?, ?) ON CONFLICT (uscc, year) DO UPDATE SET count = max(count, excluded.count)').run(p.uscc, p.year, p.count);
      return;
    }
    const e = { type: event.type, payload: event.payload } as DrawEvent;
    switch (e.type) {
      case 'DrawCommitted': {
        const p = e.payload;
        const refs = poolRefs(p.commitment);
        stmt(
          db,
          `INSERT OR REPLACE INTO draws (draw_id, task, purpose, kind, department, status, commitment_hash, committed_at, reveal_deadline, pool_size, excluded, committed_position, due_at)
           VALUES (?, ?, ?, ?, ?, 'committed', ?, ?, ?, ?, ?, ?, ?)`,
        ).run(p.drawId, p.task, p.purpose, p.commitment.kind, p.department, p.commitmentHash, p.commitment.committedAt, p.revealDeadline, refs.size, refs.excluded, event.position, dueAtOf(p.revealDeadline, p.drandFallbackAfter));
        return;
      }
      case 'DrawCompleted':
        stmt(db, "UPDATE draws SET status = 'completed', completed_at = ?, selected = ? WHERE draw_id = ?").run(event.recordedAt, JSON.stringify(selectedOf(e.payload.result)), e.payload.drawId);
        return;
      case 'DrawAbandoned':
        stmt(db, "UPDATE draws SET status = 'abandoned', abandoned_at = ?, abandon_reason = ? WHERE draw_id = ?").run(event.recordedAt, e.payload.reason, e.payload.drawId);
        return;
      default:
        return;
    }
  },
};

/** Pool sizes and exclusion counts summed over the commitment's pool references. */
function poolRefs(commitment: unknown): { size: number; excluded: number } {
  let size = 0;
  let excluded = 0;
  const add = (ref: unknown): void => {
    if (typeof ref !== 'object' || ref === null) return;
    const r = ref as { size?: unknown; exclusions?: unknown };
    if (typeof r.size === 'number') size += r.size;
    if (Array.isArray(r.exclusions)) excluded += r.exclusions.length;
  };
  const c = commitment as { classes?: unknown; inspectors?: unknown };
  if (Array.isArray(c.classes)) for (const cls of c.classes) add((cls as { pool?: unknown }).pool);
  add(c.inspectors);
  return { size, excluded };
}

/** Issue 7 §1: when every planned source should be in — the reveal deadline, or the drand fallback instant when later (as src/app/draws/view.ts). */
const dueAtOf = (revealDeadline: string, drandFallbackAfter: string | null): string =>
  drandFallbackAfter !== null && Date.parse(drandFallbackAfter) > Date.parse(revealDeadline) ? drandFallbackAfter : revealDeadline;
