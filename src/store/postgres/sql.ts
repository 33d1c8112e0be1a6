/**
 * The adapter's SQL, built once per schema, and the one input check PostgreSQL needs beyond
 * prepare.ts: text columns cannot hold U+0000.
 */
import { SuijiError } from '../../domain/errors.js';
import type { PreparedWrite } from '../prepare.js';
import { EVENT_COLUMNS } from '../rows.js';

/** PostgreSQL text cannot hold U+0000; such input is refused up front with the field named. */
export const NUL = '\u0000';
export function refuseNul(writes: readonly PreparedWrite[]): void {
  writes.forEach((w, wi) => {
    const multi = writes.length > 1 ? `writes[${wi}].` : '';
    const bad = (field: string): SuijiError =>
      new SuijiError('VALIDATION_FAILED', { field, reason: 'contains U+0000' }, {
        zh: `输入不符合要求：${field} 含有 U+0000 字符`,
        en: `Invalid ${field}: contains the character U+0000`,
      });
    if (w.streamId.includes(NUL)) throw bad(`${multi}streamId`);
    w.events.forEach((e, ei) => {
      const f = `${multi}events[${ei}]`;
      if (e.type.includes(NUL)) throw bad(`${f}.type`);
      if (e.correlationId.includes(NUL)) throw bad(`${f}.correlationId`);
      if (e.causationId?.includes(NUL)) throw bad(`${f}.causationId`);
    });
  });
}

const UNNEST_EVENTS =
  '$1::bigint[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]';

/** `s` is the quoted schema name. */
export function statements(s: string) {
  return {
    head: `SELECT size, frontier FROM ${s}.ledger_head WHERE id = 1`,
    lockHead: `SELECT size, frontier FROM ${s}.ledger_head WHERE id = 1 FOR UPDATE`,
    // Both are primary-key index lookups (max of a b-tree), cheap enough for every append.
    lastRows: `SELECT (SELECT max(position) FROM ${s}.events) AS last, (SELECT max(size) FROM ${s}.checkpoints) AS cp`,
    byEventIds: `SELECT event_id, position, stream_id, revision, type, schema_version, payload FROM ${s}.events WHERE event_id = ANY($1::text[])`,
    streamRevisions: `SELECT stream_id, revision FROM ${s}.streams WHERE stream_id = ANY($1::text[])`,
    streamRevision: `SELECT revision FROM ${s}.streams WHERE stream_id = $1`,
    // Events as one array per column: node-postgres turns each array into one literal string
    // with every element escaped, so a statement's arrays are kept small (event-rows.ts).
    insertEvents: `INSERT INTO ${s}.events (${EVENT_COLUMNS}) SELECT * FROM unnest(${UNNEST_EVENTS})`,
    // One large event with plain parameters: its text goes to the wire as it is, never escaped into a copy.
    insertEvent: `INSERT INTO ${s}.events (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    writeAll:
      `WITH ev AS (INSERT INTO ${s}.events (${EVENT_COLUMNS}) SELECT * FROM unnest(${UNNEST_EVENTS})), ` +
      `st AS (INSERT INTO ${s}.streams (stream_id, revision) SELECT * FROM unnest($13::text[], $14::integer[]) ` +
      'ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision), ' +
      `hd AS (UPDATE ${s}.ledger_head SET size = $15, frontier = $16 WHERE id = 1), ` +
      `cp AS (INSERT INTO ${s}.checkpoints (size, root, recorded_at) VALUES ($15, $17, $18)) ` +
      'SELECT pg_notify($19, $20)',
    readAll: `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE position >= $1 ORDER BY position LIMIT $2`,
    readStream: `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision`,
    readStreams: `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, revision`,
    checkpoints: `SELECT size, root, recorded_at AS "recordedAt" FROM ${s}.checkpoints WHERE size >= $1 ORDER BY size LIMIT $2`,
  };
}

