/**
 * Turns a stored row back into the envelope. Rows are read defensively: a row that was
 * garbled on disk is a coded LEDGER_CORRUPT naming its position, never a raw exception
 * (verifyLedger reports it as `unparseable-row`).
 */
import type { Actor } from '../domain/actor.js';
import { roles } from '../domain/actor.js';
import { SuijiError } from '../domain/errors.js';
import type { RecordedEvent } from './port.js';

/** Column order of every events SELECT; rows are read as arrays (better-sqlite3 `.raw()`), which is faster than objects. */
export const EVENT_COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, recorded_at, actor, correlation_id, causation_id, payload, hash';

const COLUMN_NAMES = EVENT_COLUMNS.split(', ');
const ACTOR = 7;

/** One stored row in EVENT_COLUMNS order. */
export type EventRow = readonly unknown[];

const corrupt = (position: number, column: string, why: string): SuijiError =>
  new SuijiError('LEDGER_CORRUPT', { position, reason: 'unparseable-row', column, why }, {
    zh: `账本第 ${position} 条记录无法解析（${column}）`,
    en: `Ledger row at position ${position} cannot be parsed (${column}: ${why})`,
  });

function text(row: EventRow, column: number, position: number): string {
  const v = row[column];
  if (typeof v !== 'string') throw corrupt(position, COLUMN_NAMES[column]!, `expected text, found ${typeof v}`);
  return v;
}

function int(row: EventRow, column: number, position: number): number {
  const v = row[column];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw corrupt(position, COLUMN_NAMES[column]!, 'expected an integer');
  return v;
}

function json(raw: string, column: number, position: number): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw corrupt(position, COLUMN_NAMES[column]!, 'not valid JSON');
  }
}

function actorOf(value: unknown, position: number): Actor {
  if (typeof value !== 'object' || value === null) throw corrupt(position, 'actor', 'not an object');
  const { userId, role, department } = value as Record<string, unknown>;
  const knownRole = roles.find((r) => r === role);
  if (typeof userId !== 'string' || typeof department !== 'string' || knownRole === undefined) {
    throw corrupt(position, 'actor', 'not an actor');
  }
  return { userId, role: knownRole, department };
}

/**
 * Decodes rows of one read. A read usually has few distinct actors, so each actor text is
 * parsed and checked once per decoder; every event still gets its own actor object.
 */
export function rowDecoder(): (row: EventRow) => RecordedEvent {
  const actors = new Map<string, Actor>();
  const actorFrom = (raw: string, position: number): Actor => {
    let a = actors.get(raw);
    if (a === undefined) {
      a = actorOf(json(raw, ACTOR, position), position);
      actors.set(raw, a);
    }
    return { userId: a.userId, role: a.role, department: a.department };
  };
  return (row) => {
    const p = row[0];
    if (typeof p !== 'number' || !Number.isSafeInteger(p)) throw corrupt(-1, 'position', 'expected an integer');
    const causation = row[9];
    if (causation !== null && typeof causation !== 'string') throw corrupt(p, 'causation_id', 'expected text or null');
    return {
      position: p,
      streamId: text(row, 1, p),
      revision: int(row, 2, p),
      eventId: text(row, 3, p),
      type: text(row, 4, p),
      schemaVersion: int(row, 5, p),
      recordedAt: text(row, 6, p),
      actor: actorFrom(text(row, ACTOR, p), p),
      correlationId: text(row, 8, p),
      causationId: causation,
      payload: json(text(row, 10, p), 10, p),
      hash: text(row, 11, p),
    };
  };
}

/** Decodes a whole read (rows in EVENT_COLUMNS order). */
export function decodeRows(rows: readonly EventRow[]): RecordedEvent[] {
  const decode = rowDecoder();
  const out = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = decode(rows[i]!);
  return out;
}
