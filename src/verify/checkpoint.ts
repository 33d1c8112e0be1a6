/**
 * A ledger checkpoint as the body of a C2SP tlog-checkpoint
 * (https://c2sp.org/tlog-checkpoint): three lines, each ending in U+000A —
 *
 *     <origin>
 *     <tree size, ASCII decimal>
 *     <root hash, standard base64 with padding>
 *
 * optionally followed by extension lines. A later issue wraps this body in a C2SP signed-note
 * (a blank line, then signature lines); parsing stops at that blank line, so a signed
 * checkpoint reads the same. Attacker-controlled text: parsed strictly, every fault named.
 */

export interface LogCheckpoint {
  readonly origin: string;
  readonly size: number;
  /** RFC 6962 root over the first `size` leaves, lowercase hex. */
  readonly root: string;
}

export type CheckpointFault = 'too-long' | 'no-final-newline' | 'missing-line' | 'bad-origin' | 'bad-size' | 'bad-root';

export class CheckpointParseError extends Error {
  constructor(
    readonly code: CheckpointFault,
    detail: string,
  ) {
    super(`checkpoint ${code}: ${detail}`);
    this.name = 'CheckpointParseError';
  }
}

/** Generous for origin + size + root + a few extension lines + signatures. */
export const MAX_CHECKPOINT_CHARS = 8192;
const HASH_BYTES = 32;

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function base64Of(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Standard base64 of 32 bytes, canonical (the one encoding btoa would produce), or null. */
function rootBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text)) return null;
  const bin = atob(text);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return bytes.length === HASH_BYTES && base64Of(bytes) === text ? bytes : null;
}

/** The C2SP checkpoint body of a ledger head (`root` lowercase hex of 32 bytes). */
export function formatCheckpoint(cp: LogCheckpoint): string {
  if (cp.origin.length === 0 || /[\n\r]/.test(cp.origin)) throw new RangeError('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new RangeError('checkpoint size must be an integer >= 0');
  if (!/^[0-9a-f]{64}$/.test(cp.root)) throw new RangeError('checkpoint root must be 64 lowercase hex characters');
  const bytes = Uint8Array.from({ length: HASH_BYTES }, (_, i) => parseInt(cp.root.slice(2 * i, 2 * i + 2), 16));
  return `${cp.origin}\n${cp.size}\n${base64Of(bytes)}\n`;
}

export function parseCheckpoint(text: string): LogCheckpoint {
  if (text.length > MAX_CHECKPOINT_CHARS) throw new CheckpointParseError('too-long', `${text.length} > ${MAX_CHECKPOINT_CHARS} characters`);
  if (!text.endsWith('\n')) throw new CheckpointParseError('no-final-newline', 'every line ends with a newline');
  const blank = text.indexOf('\n\n');
  const body = blank >= 0 ? text.slice(0, blank + 1) : text;
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointParseError('missing-line', `${lines.length} of 3 lines (origin, size, root)`);
  const [origin, sizeText, rootText] = lines as [string, string, string];
  // C2SP: the origin is a non-empty line without control characters.
  if (origin.length === 0 || /[\u0000-\u001f\u007f]/.test(origin)) throw new CheckpointParseError('bad-origin', 'empty or has control characters');
  // ASCII decimal, no sign, no leading zero (C2SP tlog-checkpoint).
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new CheckpointParseError('bad-size', `not a decimal tree size: ${JSON.stringify(sizeText.slice(0, 40))}`);
  }
  const root = rootBytes(rootText);
  if (!root) throw new CheckpointParseError('bad-root', `not the base64 of a 32-byte hash: ${JSON.stringify(rootText.slice(0, 60))}`);
  return { origin, size: Number(sizeText), root: toHex(root) };
}
