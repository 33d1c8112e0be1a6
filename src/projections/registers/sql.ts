import type { Database, Statement } from 'better-sqlite3';
import type { RecordedEvent } from '../../store/port.js';

const cache = new WeakMap<Database, Map<string, Statement>>();

/** Prepared statements are cached per connection: apply() runs once per event during a rebuild. */
export function stmt(db: Database, sql: string): Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

/**
 * The recorded payload was validated against the event catalogue when it was appended, so the
 * projection reads it as the domain event of its type (the same trust as folding a stream).
 */
// The recorded event itself carries `type` and `payload`: no per-event copy (apply runs once per event per projection).
export const domainEvent = <E extends { type: string }>(event: RecordedEvent): E => event as unknown as E;

export const bool = (b: boolean): number => (b ? 1 : 0);
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');
