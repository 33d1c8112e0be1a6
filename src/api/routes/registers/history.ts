import type { AppDeps } from '../../deps.js';
import { notFound } from './common.js';

/** One recorded event as the ledger holds it (docs/ledger-format.md): the audit trail of P1. */
export const recordedEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['position', 'streamId', 'revision', 'eventId', 'type', 'schemaVersion', 'recordedAt', 'actor', 'correlationId', 'causationId', 'payload', 'hash'],
  properties: {
    position: { type: 'integer' },
    streamId: { type: 'string' },
    revision: { type: 'integer' },
    eventId: { type: 'string' },
    type: { type: 'string' },
    schemaVersion: { type: 'integer' },
    recordedAt: { type: 'string' },
    actor: {
      type: 'object',
      additionalProperties: false,
      required: ['userId', 'role', 'department'],
      properties: { userId: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' } },
    },
    correlationId: { type: 'string' },
    causationId: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    /** Checked against the event catalogue when it was appended. */
    payload: { description: 'The event payload, as recorded' },
    hash: { type: 'string' },
  },
} as const;

export const historySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['streamId', 'events'],
  properties: { streamId: { type: 'string' }, events: { type: 'array', items: recordedEventSchema } },
} as const;

/** The full event history of one register entry (its stream), oldest first; 404 when it has none. */
export async function readHistory(deps: AppDeps, streamId: string, kind: string, id: string) {
  const events = await deps.store.readStream(streamId);
  if (events.length === 0) throw notFound(kind, id);
  return { streamId, events };
}
