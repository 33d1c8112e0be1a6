/**
 * An optional adapter capability for `verifyLedger`: the stored rows of `readAll({ from, limit })`,
 * undecoded, in EVENT_COLUMNS order (src/store/rows.ts). Verification then hashes the envelope
 * text spliced from the stored JCS columns (actor, payload) instead of parsing the payload and
 * canonicalizing it again: that parse and re-encoding plus its garbage were about half of
 * `ledger verify` (docs/performance.md, "Ledger verification").
 *
 * Why hashing the stored text proves as much as hashing the re-encoded value: the stored leaf
 * hash was computed at append from exactly this text (prepare.ts stores canonical JCS). A row is
 * accepted only when its text hashes to its stored leaf AND the text is canonical JCS
 * (canonical-text.ts, one scan): then the text is JCS(its value), so the leaf is the one the
 * decoded pass and the browser verifier compute from the value, and the verdicts cannot differ.
 * A row rewritten consistently with other, non-canonical text of some value (its leaf, the
 * roots and the head rewritten to match) is therefore not accepted here either: the decoded pass
 * calls it leaf-hash-mismatch. Any row not accepted goes to the decoded path, which names the
 * fault (docs/ledger-format.md §5).
 */
import { hash } from 'node:crypto';
import type { EventRow } from './rows.js';
import { roles } from '../domain/actor.js';
import { canonicalize, canonicalString } from '../verify/jcs.js';
import { isCanonicalJson } from './canonical-text.js';

export interface LeafRowReader {
  /** Same rows, same order as readAll({ from, limit }); returns how many were handed to `fn`. */
  forEachRow(from: number, limit: number, fn: (row: EventRow) => void): number;
}

export const isLeafRowReader = (source: object): source is LeafRowReader =>
  typeof (source as { forEachRow?: unknown }).forEachRow === 'function';

const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const txt = (v: unknown): v is string => typeof v === 'string';

/** Per-verification cache: a ledger has few distinct actor texts; each is checked once (shape and canonical text). */
export type ActorTexts = Map<string, boolean>;

/**
 * An actor text is accepted only when decoding it gives back exactly this text: the decoded pass
 * (rows.ts `actorOf`) keeps userId, role and department and drops any other member, so an actor
 * with a fourth member would hash differently there (verdicts must not differ, docs/ledger-format.md §5).
 */
function actorTextOk(raw: string, seen: ActorTexts): boolean {
  let ok = seen.get(raw);
  if (ok === undefined) {
    try {
      const a = JSON.parse(raw) as Record<string, unknown> | null;
      ok = typeof a === 'object' && a !== null && !Array.isArray(a) && Object.keys(a).length === 3 && typeof a.userId === 'string' &&
        typeof a.department === 'string' && roles.some((r) => r === a.role) && canonicalize(a) === raw;
    } catch {
      ok = false;
    }
    seen.set(raw, ok);
  }
  return ok;
}

/**
 * The envelope's JCS text (docs/ledger-format.md §2, members in RFC 8785 order, as envelope.ts
 * writes it at append) from a stored row, in three parts — before the payload, the stored payload
 * text, after it — or null when a column has the wrong type, the actor is not an actor, or the
 * stored actor or payload text is not exactly canonical JCS (canonical-text.ts): such a row goes
 * to the decoded path, which names the fault.
 *
 * The string columns go through `canonicalString`, the decoded pass's own encoder (it refuses a
 * lone surrogate, RFC 8785 §3.2.2.2, where JSON.stringify would escape one), so both passes write
 * the same text by construction; the payload scan and the actor check refuse lone surrogates in
 * those texts, so the whole text is well-formed without a scan of it (that scan, flattening the
 * spliced string, was 7 % of verify at 1,000,000 events).
 */
export function envelopePartsOfRow(row: EventRow, actors: ActorTexts): readonly [string, string, string] | null {
  const [position, streamId, revision, eventId, type, schemaVersion, recordedAt, actor, correlationId, causationId, payload, stored] = row;
  if (
    !int(position) || !txt(streamId) || !int(revision) || !txt(eventId) || !txt(type) || !int(schemaVersion) ||
    !txt(recordedAt) || !txt(actor) || !txt(correlationId) || (causationId !== null && !txt(causationId)) || !txt(payload) || !txt(stored) ||
    !actorTextOk(actor, actors) || !isCanonicalJson(payload)
  ) {
    return null;
  }
  try {
    return [
      `{"actor":${actor},"causationId":${causationId === null ? 'null' : canonicalString(causationId)},` +
        `"correlationId":${canonicalString(correlationId)},"eventId":${canonicalString(eventId)},"payload":`,
      payload,
      `,"position":${position},"recordedAt":${canonicalString(recordedAt)},"revision":${revision},` +
        `"schemaVersion":${schemaVersion},"streamId":${canonicalString(streamId)},"type":${canonicalString(type)}}`,
    ];
  } catch {
    return null; // a lone surrogate in a string column
  }
}

/** `envelopePartsOfRow` joined: the envelope's JCS text, or null. */
export function envelopeTextOfRow(row: EventRow, actors: ActorTexts): string | null {
  const parts = envelopePartsOfRow(row, actors);
  return parts === null ? null : parts[0] + parts[1] + parts[2];
}

/** Lowercase hex SHA-256(0x00 ‖ UTF-8(text)), the RFC 6962 leaf (U+0000 is the single byte 0x00). */
export const leafHexOfText = (text: string): string => hash('sha256', `\u0000${text}`, 'hex');

/**
 * For a reader of one event that publishes it (proof bundles): on an adapter that keeps stored
 * text, whether the row at `position` is exactly canonical JCS — the check `verifyLedger` makes
 * (`non-canonical-row`), so an export never vouches for a row that verification refuses.
 * Null when it is, or when the adapter keeps no stored text; otherwise why not.
 */
export function storedTextFault(store: object, position: number): string | null {
  if (!isLeafRowReader(store)) return null;
  let fault: string | null = 'no stored row at this position';
  store.forEachRow(position, 1, (row) => {
    fault = row[0] === position && envelopeTextOfRow(row, new Map()) !== null ? null : 'stored text is not canonical JCS';
  });
  return fault;
}
