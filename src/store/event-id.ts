import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Event ids derive from the command id and the event's index, so a command retried with the
 * same command id yields the same event ids and the store's idempotency makes it a no-op.
 * Layout: RFC 9562 UUIDv8 (custom) over the first 16 bytes of SHA-256("suiji/event-id/1" ‖ 0 ‖ commandId ‖ 0 ‖ index).
 */
export function deriveEventId(commandId: string, index: number): string {
  const h = sha256(utf8ToBytes(`suiji/event-id/1\u0000${commandId}\u0000${index}`)).slice(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const x = bytesToHex(h);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
