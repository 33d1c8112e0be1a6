/**
 * The recorded envelope's canonical bytes and leaf hash (docs/ledger-format.md §2), built
 * from parts that are already JCS text. Members are written in RFC 8785 §3.2.3 order (UTF-16
 * code units of the names); the contract suite checks the result equals
 * `envelopeLeafHash` from src/verify on every event read back.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { leafHash } from '../verify/merkle.js';
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

const encoder = new TextEncoder();

export function envelopeLeaf(e: PreparedEvent, at: EnvelopePlacement): { leaf: Uint8Array; hex: string } {
  const leaf = leafHash(encoder.encode(envelopeJcs(e, at)));
  return { leaf, hex: bytesToHex(leaf) };
}
