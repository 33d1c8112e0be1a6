/**
 * Turns a stored row back into the envelope. Rows are read defensively: a row that was
 * garbled on disk is a coded LEDGER_CORRUPT naming its position, never a raw exception
 * (verifyLedger reports it as `unparseable-row`).
 */
import type { Actor } from '../../domain/actor.js';
import { roles } from '../../domain/actor.js';
import { SuijiError } from '../../domain/errors.js';
import type { RecordedEvent } from '../port.js';

export interface EventRow {
  readonly position: unknown;
  readonly stream_id: unknown;
  readonly revision: unknown;
  readonly event_id: unknown;
  readonly type: unknown;
  readonly schema_version: unknown;
  readonly recorded_at: unknown;
  readonly actor: unknown;
  readonly correlation_id: unknown;
  readonly causation_id: unknown;
  readonly payload: unknown;
  readonly hash: unknown;
}

export const EVENT_COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, recorded_at, actor, correlation_id, causation_id, payload, hash';

const corrupt = (position: number, column: string, why: string): SuijiError =>
  new SuijiError('LEDGER_CORRUPT', { position, reason: 'unparseable-row', column, why }, {
    zh: `账本第 ${position} 条记录无法解析（${column}）`,
    en: `Ledger row at position ${position} cannot be parsed (${column}: ${why})`,
  });

function text(row: EventRow, column: keyof EventRow, position: number): string {
  const v = row[column];
  if (typeof v !== 'string') throw corrupt(position, column, `expected text, found ${typeof v}`);
  return v;
}

function int(row: EventRow, column: keyof EventRow, position: number): number {
  const v = row[column];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw corrupt(position, column, 'expected an integer');
  return v;
}

function json(row: EventRow, column: keyof EventRow, position: number): unknown {
  const raw = text(row, column, position);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw corrupt(position, column, 'not valid JSON');
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

export function decodeRow(row: EventRow): RecordedEvent {
  const p = row.position;
  if (typeof p !== 'number' || !Number.isSafeInteger(p)) throw corrupt(-1, 'position', 'expected an integer');
  const causation = row.causation_id;
  if (causation !== null && typeof causation !== 'string') throw corrupt(p, 'causation_id', 'expected text or null');
  return {
    position: p,
    streamId: text(row, 'stream_id', p),
    revision: int(row, 'revision', p),
    eventId: text(row, 'event_id', p),
    type: text(row, 'type', p),
    schemaVersion: int(row, 'schema_version', p),
    recordedAt: text(row, 'recorded_at', p),
    actor: actorOf(json(row, 'actor', p), p),
    correlationId: text(row, 'correlation_id', p),
    causationId: causation,
    payload: json(row, 'payload', p),
    hash: text(row, 'hash', p),
  };
}
