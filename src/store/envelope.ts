/**
 * The recorded envelope's canonical bytes and leaf hash (docs/ledger-format.md §2), built
 * from parts that are already JCS text. Members are written in RFC 8785 §3.2.3 order (UTF-16
 * code units of the names); the contract suite checks the result equals
 * `envelopeLeafHash` from src/verify on every event read back.
 */
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

export function envelopeJcs(e: PreparedEvent, at: EnvelopePlacement): string {
  return (
    `{"actor":${e.actorJson},"causationId":${e.causationId === null ? 'null' : str(e.causationId)},` +
    `"correlationId":${str(e.correlationId)},"eventId":${str(e.eventId)},"payload":${e.payloadJson},` +
    `"position":${at.position},"recordedAt":${str(at.recordedAt)},"revision":${at.revision},` +
    `"schemaVersion":${e.schemaVersion},"streamId":${str(at.streamId)},"type":${str(e.type)}}`
  );
}

/**
 * SHA-256(0x00 ‖ UTF-8(JCS)), the RFC 6962 leaf hash, computed with node:crypto: the write path
 * is Node-only and this is several times faster than encoding and hashing in JS (bench/append.ts).
 * The browser-safe reference is `envelopeLeafHash` in src/verify/ledger.ts.
 */
export function envelopeLeaf(e: PreparedEvent, at: EnvelopePlacement): { leaf: Uint8Array; hex: string } {
  const leaf = leafHashOfText(envelopeJcs(e, at));
  return { leaf, hex: Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength).toString('hex') };
}
