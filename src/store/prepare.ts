/**
 * Adapter-independent checks and canonical encoding of a write, done before an adapter
 * touches storage: bad input is a coded error and nothing is written (brief: errors).
 * Every adapter calls `prepareWrites`, so the recorded bytes are the same whatever the store.
 */
import { canonicalize } from '../verify/jcs.js';
import { roles } from '../domain/actor.js';
import { SuijiError } from '../domain/errors.js';
import type { EventValidator, ExpectedRevision, NewEvent, StreamWrite } from './port.js';

/** An event ready to be written: ids checked, actor and payload already in JCS text. */
export interface PreparedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** JCS of `{userId, role, department}`. */
  readonly actorJson: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** JCS of the payload; stored verbatim so a read returns exactly what was hashed. */
  readonly payloadJson: string;
}

export interface PreparedWrite {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly PreparedEvent[];
}

export const MAX_STREAM_ID_LENGTH = 200;
export const MAX_EVENTS_PER_APPEND = 10_000;
const MAX_ID_LENGTH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = (field: string, reason: string, extra: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, reason, ...extra }, { zh: `输入不符合要求：${field} ${reason}`, en: `Invalid ${field}: ${reason}` });

function checkString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, 'must be a non-empty string');
  if (value.length > max) throw invalid(field, `must be at most ${max} characters`);
  // Lone surrogates have no UTF-8 form, so JCS refuses them (RFC 8785 §3.2.2.2).
  if (/\p{Surrogate}/u.test(value)) throw invalid(field, 'contains a lone UTF-16 surrogate');
  return value;
}

export function checkStreamId(streamId: unknown, field = 'streamId'): string {
  return checkString(streamId, field, MAX_STREAM_ID_LENGTH);
}

export function checkExpected(expected: unknown, field = 'expected'): ExpectedRevision {
  if (expected === 'noStream' || expected === 'streamExists' || expected === 'any') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw invalid(field, "must be 'noStream', 'streamExists', 'any' or a revision >= 0");
}

/**
 * Only plain JSON data may enter the ledger: a Date, Map or typed array would be encoded as
 * something other than what the caller meant, and a non-finite number or a lone surrogate has
 * no JSON form (RFC 8785 §3.2.2). This full walk names the offending field; it only runs when
 * the fast path (`plainShape` + `canonicalize`) has refused the value.
 */
function checkJson(value: unknown, field: string, depth = 0): void {
  if (depth > 64) throw invalid(field, 'is nested too deeply');
  switch (typeof value) {
    case 'string':
      if (/\p{Surrogate}/u.test(value)) throw invalid(field, 'contains a lone UTF-16 surrogate');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw invalid(field, 'must be a finite number (RFC 8785 §3.2.2.3)');
      return;
    case 'boolean':
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((v, i) => {
          if (v === undefined) throw invalid(`${field}/${i}`, 'must not be undefined');
          checkJson(v, `${field}/${i}`, depth + 1);
        });
        return;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw invalid(field, 'must be plain JSON data');
      for (const [k, v] of Object.entries(value)) {
        if (/\p{Surrogate}/u.test(k)) throw invalid(field, 'has a key with a lone UTF-16 surrogate');
        if (v !== undefined) checkJson(v, `${field}/${k}`, depth + 1);
      }
      return;
    }
    default:
      throw invalid(field, `cannot hold a ${typeof value}`);
  }
}

/** Fast structural check: plain objects and arrays only, bounded depth, no undefined in arrays. */
function plainShape(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (v === undefined || !plainShape(v, depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in value) if (!plainShape((value as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

/** JCS text of a payload, or a VALIDATION_FAILED naming the field JCS cannot encode. */
function canonicalPayload(payload: unknown, field: string): string {
  if (plainShape(payload, 0)) {
    try {
      return canonicalize(payload);
    } catch {
      // fall through to the walk that names the field
    }
  }
  checkJson(payload, field);
  throw invalid(field, 'cannot be encoded as canonical JSON');
}

/** `cache` lives for one call: a batch usually shares one actor object, encoded once. */
function actorJsonOf(actor: unknown, field: string, cache: Map<object, string>): string {
  if (typeof actor !== 'object' || actor === null) throw invalid(field, 'must be an object');
  const cached = cache.get(actor);
  if (cached !== undefined) return cached;
  const a = actor as Record<string, unknown>;
  const userId = checkString(a.userId, `${field}.userId`, MAX_ID_LENGTH);
  const department = checkString(a.department, `${field}.department`, MAX_ID_LENGTH);
  const role = a.role;
  if (!roles.some((r) => r === role)) throw invalid(`${field}.role`, `must be one of ${roles.join(', ')}`);
  // Only the three actor members are recorded (P1: who, in which role, for which department).
  const json = canonicalize({ userId, role, department });
  cache.set(actor, json);
  return json;
}

function prepareEvent(e: NewEvent, field: string, actors: Map<object, string>): PreparedEvent {
  if (typeof e !== 'object' || e === null) throw invalid(field, 'must be an object');
  const rawId = checkString(e.eventId, `${field}.eventId`, 36);
  if (!UUID.test(rawId)) throw invalid(`${field}.eventId`, 'must be a UUID');
  const type = checkString(e.type, `${field}.type`, MAX_ID_LENGTH);
  const schemaVersion = e.schemaVersion ?? 1;
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) throw invalid(`${field}.schemaVersion`, 'must be an integer >= 1');
  const actorJson = actorJsonOf(e.actor, `${field}.actor`, actors);
  const correlationId = checkString(e.correlationId, `${field}.correlationId`, MAX_ID_LENGTH);
  const causationId = e.causationId == null ? null : checkString(e.causationId, `${field}.causationId`, MAX_ID_LENGTH);
  if (e.payload === undefined) throw invalid(`${field}.payload`, 'is required');
  return {
    // RFC 9562 §4: UUIDs compare case-insensitively; lowercase is the recorded form.
    eventId: rawId.toLowerCase(),
    type,
    schemaVersion,
    actorJson,
    correlationId,
    causationId,
    payloadJson: canonicalPayload(e.payload, `${field}.payload`),
  };
}

/**
 * Checks every write and every event (and runs the caller's validator on each event) before
 * anything is written; the first problem throws. Event ids must be unique across the call.
 */
export function prepareWrites(writes: readonly StreamWrite[], validate?: EventValidator): PreparedWrite[] {
  if (!Array.isArray(writes) || writes.length === 0) throw invalid('writes', 'must be a non-empty array');
  const streams = new Set<string>();
  const ids = new Set<string>();
  const actors = new Map<object, string>();
  let count = 0;
  const prepared = writes.map((w, wi) => {
    const multi = writes.length > 1 ? `writes[${wi}].` : '';
    const streamId = checkStreamId(w.streamId, `${multi}streamId`);
    if (streams.has(streamId)) throw invalid(`${multi}streamId`, 'appears twice in one appendMulti', { streamId });
    streams.add(streamId);
    const expected = checkExpected(w.expected, `${multi}expected`);
    const list: readonly NewEvent[] = w.events;
    if (!Array.isArray(list) || list.length === 0) throw invalid(`${multi}events`, 'must be a non-empty array');
    count += list.length;
    if (count > MAX_EVENTS_PER_APPEND) throw invalid(`${multi}events`, `at most ${MAX_EVENTS_PER_APPEND} events per append`);
    const events = list.map((e: NewEvent, ei: number) => {
      const field = `${multi}events[${ei}]`;
      const p = prepareEvent(e, field, actors);
      if (ids.has(p.eventId)) throw invalid(`${field}.eventId`, 'is used twice in one append', { eventId: p.eventId });
      ids.add(p.eventId);
      if (validate) {
        try {
          validate(e);
        } catch (err) {
          if (err instanceof SuijiError) throw err;
          throw invalid(field, err instanceof Error ? err.message : 'rejected by the validator');
        }
      }
      return p;
    });
    return { streamId, expected, events };
  });
  return prepared;
}

/** The expected-revision rule (docs/store-port.md §2); `actual` is -1 for a missing stream. */
export function expectedHolds(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'noStream') return actual === -1;
  if (expected === 'streamExists') return actual >= 0;
  return expected === actual;
}

export const wrongExpectedRevision = (streamId: string, expected: ExpectedRevision, actual: number): SuijiError =>
  new SuijiError('WRONG_EXPECTED_REVISION', { streamId, expected, actual });
