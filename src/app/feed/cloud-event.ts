import type { Actor } from '../../domain/actor.js';
import type { EventView } from '../../domain/publicity.js';
import type { RecordedEvent } from '../../store/port.js';

/**
 * One ledger event as a CloudEvents 1.0 JSON event (CloudEvents spec v1.0.2 §3, JSON format
 * §3.1): `id` is the ledger position (unique with `source`, and the resume point), `subject` the
 * stream, `time` the recording time. Extension attributes (spec §3.1.3: lowercase a–z0–9, at
 * most 20 characters): `schemaversion` of the payload, and the actor — `actordepartment` for
 * everyone; `actoruserid` and `actorrole` only where the reader's view carries them.
 */
export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly schemaversion: number;
  readonly actordepartment?: string;
  readonly actorrole?: string;
  readonly actoruserid?: string;
  readonly data: unknown;
}

/** `cn.suiji.` + the ledger's event type (reverse-DNS prefix, CloudEvents §3.1.1 `type`). */
export const cloudEventType = (eventType: string): string => `cn.suiji.${eventType}`;

export function toCloudEvent(event: RecordedEvent, view: EventView, source: string): CloudEvent {
  const actor: Partial<Actor> = view.actor;
  return {
    specversion: '1.0',
    id: String(event.position),
    source,
    type: cloudEventType(event.type),
    subject: event.streamId,
    time: event.recordedAt,
    datacontenttype: 'application/json',
    schemaversion: event.schemaVersion,
    ...(actor.department !== undefined && { actordepartment: actor.department }),
    ...(actor.role !== undefined && { actorrole: actor.role }),
    ...(actor.userId !== undefined && { actoruserid: actor.userId }),
    data: view.payload,
  };
}

/**
 * One SSE frame (WHATWG HTML §9.2.6). JSON.stringify escapes every line break inside strings,
 * so the data is one line and cannot start a field of its own.
 */
export const sseFrame = (id: string, data: unknown, event?: string): string =>
  `${event === undefined ? '' : `event: ${event}\n`}id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
