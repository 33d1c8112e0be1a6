/**
 * The recorded envelope's canonical bytes and leaf hash (docs/ledger-format.md §2), built
 * from parts that are already JCS text. Members are written in RFC 8785 §3.2.3 order (UTF-16
 * code units of the names); the contract suite checks the result equals
 * `envelopeLeafHash` from src/verify on every event read back.
 */
import { createHash } from 'node:crypto';
import { LEAF_PREFIX } from '../verify/merkle.js';
import { leafHashOfText } from './frontier.js';
import type { PreparedEvent } from './prepare.js';

export interface EnvelopePlacement {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly recordedAt: string;
}

// Strings reaching here were checked for lone surrogates (prepare.ts), so JSON.stringify is
// exactly JCS string encoding (RFC 8785 §3.2.2.2).
const str = JSON.stringify;

/** The envelope's JCS up to and including the payload: every member before "position" (RFC 8785 order) is known before placement. */
function envelopeHead(e: PreparedEvent): string {
  return (
    `{"actor":${e.actorJson},"causationId":${e.causationId === null ? 'null' : str(e.causationId)},` +
    `"correlationId":${str(e.correlationId)},"eventId":${str(e.eventId)},"payload":`
  );
}

/** The rest of the envelope's JCS after the payload: the members the store fills in when it places the event. */
function envelopeTail(e: PreparedEvent, at: EnvelopePlacement): string {
  return (
    `,"position":${at.position},"recordedAt":${str(at.recordedAt)},"revision":${at.revision},` +
    `"schemaVersion":${e.schemaVersion},"streamId":${str(at.streamId)},"type":${str(e.type)}}`
  );
}

export function envelopeJcs(e: PreparedEvent, at: EnvelopePlacement): string {
  return envelopeHead(e) + e.payloadJson + envelopeTail(e, at);
}

const leafOf = (leaf: Uint8Array): { leaf: Uint8Array; hex: string } => ({
  leaf,
  hex: Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength).toString('hex'),
});

/**
 * SHA-256(0x00 ‖ UTF-8(JCS)), the RFC 6962 leaf hash, computed with node:crypto: the write path
 * is Node-only and this is several times faster than encoding and hashing in JS (bench/append.ts).
 * The browser-safe reference is `envelopeLeafHash` in src/verify/ledger.ts.
 */
export function envelopeLeaf(e: PreparedEvent, at: EnvelopePlacement): { leaf: Uint8Array; hex: string } {
  return leafOf(leafHashOfText(envelopeJcs(e, at)));
}

/** A leaf hash begun before placement: `place` finishes it for a position (and may be called again). */
export interface PartialLeaf {
  place(at: EnvelopePlacement): { leaf: Uint8Array; hex: string };
}

/**
 * The same leaf hash in two parts, for a large event (a province draw's ~300 MB DrawCommitted):
 * the payload precedes every placement member in the envelope, so its bytes are hashed before
 * the append takes the ledger-head lock, and under the lock only the short tail is added to a
 * copy of that state. Hashing the parts also never builds the whole envelope as one string.
 */
export function partialEnvelopeLeaf(e: PreparedEvent): PartialLeaf {
  const head = createHash('sha256').update(Uint8Array.of(LEAF_PREFIX)).update(envelopeHead(e), 'utf8').update(e.payloadJson, 'utf8');
  return {
    place: (at) => leafOf(new Uint8Array(head.copy().update(envelopeTail(e, at), 'utf8').digest())),
  };
}
