import type { Actor } from '../../domain/actor.js';
import { SuijiError } from '../../domain/errors.js';
import { mayRead, readRuleOf } from '../../domain/publicity.js';

/** What a consumer asked for: event types (`?type=A,B`) and a stream id prefix (`?stream=`). */
export interface FeedFilter {
  readonly types: ReadonlySet<string> | null;
  readonly streamPrefix: string | null;
}

/**
 * Parses `?type=` against the catalogue: an unknown type is a 400 naming it, and a type the
 * reader may not read is a 403 — an empty stream that can never fill would only hide the mistake.
 */
export function parseFilter(reader: Actor | null, type: string | undefined, stream: string | undefined): FeedFilter {
  let types: Set<string> | null = null;
  if (type !== undefined) {
    types = new Set(type.split(',').map((t) => t.trim()).filter((t) => t !== ''));
    if (types.size === 0) throw invalid('type', '至少给出一个事件类型', 'give at least one event type');
    for (const t of types) {
      if (!readRuleOf(t)) throw invalid('type', `未知的事件类型 ${t}`, `unknown event type ${t}`);
      if (!mayRead(reader, t)) {
        throw new SuijiError('FORBIDDEN', { field: 'type', type: t, role: reader?.role ?? 'public' }, { zh: `P2：无权订阅事件类型 ${t}`, en: `P2: not allowed to read events of type ${t}` });
      }
    }
  }
  return { types, streamPrefix: stream === undefined || stream === '' ? null : stream };
}

export const matches = (filter: FeedFilter, type: string, streamId: string): boolean =>
  (filter.types === null || filter.types.has(type)) && (filter.streamPrefix === null || streamId.startsWith(filter.streamPrefix));

const POSITION = /^(0|[1-9][0-9]{0,14})$/;

/**
 * The first position to send. `Last-Event-ID` (what EventSource sends when it reconnects) wins
 * over `?after=` (for clients that cannot set headers; EventSource keeps the URL it started with,
 * so the header is the newer of the two). Neither: from the start of the ledger. A resume point at
 * or past the head is refused: it belongs to another ledger, or the client is ahead of this one.
 */
export function startPosition(lastEventId: string | undefined, after: string | undefined, size: number): number {
  const [field, text] = lastEventId !== undefined ? ['last-event-id', lastEventId.trim()] : ['after', after];
  if (text === undefined) return 0;
  if (!POSITION.test(text)) throw invalid(field, '必须是账本位置（非负整数）', 'must be a ledger position (a non-negative integer)');
  const n = Number(text);
  if (n >= size) throw invalid(field, `账本只有 ${size} 条事件，没有位置 ${n}`, `the ledger holds ${size} events; there is no position ${n}`);
  return n + 1;
}

function invalid(field: string, zh: string, en: string): SuijiError {
  return new SuijiError('VALIDATION_FAILED', { field }, { zh: `${field}：${zh}`, en: `${field}: ${en}` });
}
