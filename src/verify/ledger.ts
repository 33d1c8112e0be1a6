/**
 * The leaf hash of a ledger envelope (docs/ledger-format.md §2):
 * SHA-256(0x00 ‖ JCS(envelope without its `hash` member)).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalBytes } from './jcs.js';
import { leafHash } from './merkle.js';

export function envelopeLeafHash(envelope: Readonly<Record<string, unknown>>): Uint8Array {
  const { hash: _omit, ...rest } = envelope;
  return leafHash(canonicalBytes(rest));
}

export const envelopeLeafHashHex = (envelope: Readonly<Record<string, unknown>>): string =>
  bytesToHex(envelopeLeafHash(envelope));
