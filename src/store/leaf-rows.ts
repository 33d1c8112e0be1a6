/**
 * An optional adapter capability for `verifyLedger`: the stored rows of `readAll({ from, limit })`,
 * undecoded, in EVENT_COLUMNS order (src/store/rows.ts). Verification then hashes the envelope
 * text spliced from the stored JCS columns (actor, payload) instead of parsing the payload and
 * canonicalizing it again: that parse and re-encoding plus its garbage were about half of
 * `ledger verify` (docs/performance.md, "Ledger verification").
 *
 * Why hashing the stored text proves as much as hashing the re-encoded value: the stored leaf
 * hash was computed at append from exactly this text (prepare.ts stores canonical JCS), so a
 * row whose text hashes to its stored leaf is, by SHA-256's collision resistance, the row as
 * appended; a row whose leaf was rewritten too is caught by the roots, as on the decoded path.
 * Any row that is not exactly as appended falls back to the decoded path, which names the fault.
 */
import { hash } from 'node:crypto';
import type { EventRow } from './rows.js';
import { roles } from '../domain/actor.js';

export interface LeafRowReader {
  /** Same rows, same order as readAll({ from, limit }); returns how many were handed to `fn`. */
  forEachRow(from: number, limit: number, fn: (row: EventRow) => void): number;
}

export const isLeafRowReader = (source: object): source is LeafRowReader =>
  typeof (source as { forEachRow?: unknown }).forEachRow === 'function';

const str = JSON.stringify;
const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const txt = (v: unknown): v is string => typeof v === 'string';

/** Per-verification cache: a ledger has few distinct actor texts; each is checked once. */
export type ActorTexts = Map<string, boolean>;

function actorTextOk(raw: string, seen: ActorTexts): boolean {
  let ok = seen.get(raw);
  if (ok === undefined) {
    try {
      const a = JSON.parse(raw) as Record<string, unknown> | null;
      ok = typeof a === 'object' && a !== null && typeof a.userId === 'string' && typeof a.department === 'string' && roles.some((r) => r === a.role);
    } catch {
      ok = false;
    }
    seen.set(raw, ok);
  }
  return ok;
}

/**
 * The envelope's JCS text (docs/ledger-format.md §2, members in RFC 8785 order, as envelope.ts
 * writes it at append) from a stored row, or null when a column has the wrong type or the actor
 * is not an actor: such a row goes to the decoded path, which reports it as today.
 */
export function envelopeTextOfRow(row: EventRow, actors: ActorTexts): string | null {
  const [position, streamId, revision, eventId, type, schemaVersion, recordedAt, actor, correlationId, causationId, payload, stored] = row;
  if (
    !int(position) || !txt(streamId) || !int(revision) || !txt(eventId) || !txt(type) || !int(schemaVersion) ||
    !txt(recordedAt) || !txt(actor) || !txt(correlationId) || (causationId !== null && !txt(causationId)) || !txt(payload) || !txt(stored) ||
    !actorTextOk(actor, actors)
  ) {
    return null;
  }
  return (
    `{"actor":${actor},"causationId":${causationId === null ? 'null' : str(causationId)},` +
    `"correlationId":${str(correlationId)},"eventId":${str(eventId)},"payload":${payload},` +
    `"position":${position},"recordedAt":${str(recordedAt)},"revision":${revision},` +
    `"schemaVersion":${schemaVersion},"streamId":${str(streamId)},"type":${str(type)}}`
  );
}

/** Lowercase hex SHA-256(0x00 ‖ UTF-8(text)), the RFC 6962 leaf (U+0000 is the single byte 0x00). */
export const leafHexOfText = (text: string): string => hash('sha256', `\u0000${text}`, 'hex');
