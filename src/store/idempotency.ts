/**
 * Idempotent retries (docs/store-port.md §3): an append whose event ids all exist already, in
 * the same stream, with the same types, versions and payloads in the same order, is the
 * retry of an acknowledged append and returns its original result. Any other overlap with
 * recorded ids is IDEMPOTENCY_CONFLICT.
 */
import { SuijiError } from '../domain/errors.js';
import type { AppendResult } from './port.js';
import type { PreparedWrite } from './prepare.js';

/** What the store has recorded under one event id (columns of the events table). */
export interface IdRow {
  readonly position: number;
  readonly stream_id: string;
  readonly revision: number;
  readonly type: string;
  readonly schema_version: number;
  readonly payload: string;
}

/**
 * The original results when `writes` is an exact retry; null when no id is known yet.
 * `byEventId` looks one id up: a prepared statement on SQLite, a map filled by one query on PostgreSQL.
 */
export function findRetry(byEventId: (eventId: string) => IdRow | undefined, writes: readonly PreparedWrite[]): AppendResult[] | null {
  let known = 0;
  let total = 0;
  const clashes: string[] = [];
  const results: AppendResult[] = [];
  for (const w of writes) {
    let previous: IdRow | undefined;
    for (const e of w.events) {
      total += 1;
      const row = byEventId(e.eventId);
      if (row === undefined) continue;
      known += 1;
      const same =
        row.stream_id === w.streamId &&
        row.type === e.type &&
        row.schema_version === e.schemaVersion &&
        row.payload === e.payloadJson &&
        (previous === undefined || row.revision === previous.revision + 1);
      if (!same) clashes.push(e.eventId);
      previous = row;
    }
    if (previous) results.push({ streamId: w.streamId, nextRevision: previous.revision, position: previous.position, replayed: true });
  }
  if (known === 0) return null;
  if (known === total && clashes.length === 0) return results;
  throw new SuijiError('IDEMPOTENCY_CONFLICT', { field: 'eventId', eventIds: clashes, known, total });
}
