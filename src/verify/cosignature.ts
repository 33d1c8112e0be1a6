/**
 * C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519 `cosignature/v1`: a
 * witness's statement that, as of a time, the checkpoint it signs is the largest consistent
 * tree head it has seen for that origin. A cosignature is one signed-note signature line
 * (https://c2sp.org/signed-note):
 *
 *     — <witness name> base64(key id(4) ‖ u64be timestamp ‖ Ed25519 signature(64))
 *
 * key id = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]; the signed message is
 * `cosignature/v1\ntime <timestamp>\n` followed by the whole note body (every line before the
 * blank line, with its final newline). Lines of other keys in the note are ignored, so a
 * checkpoint carries the log's signature and any number of cosignatures. Browser-safe: @noble only.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/** Signature type byte of an Ed25519 cosignature/v1 key (C2SP tlog-cosignature §Format). */
export const COSIGNATURE_KEY_TYPE = 0x04;
export const COSIGNATURE_HEADER = 'cosignature/v1';
/** key id (4) ‖ timestamp (8) ‖ Ed25519 signature (64). */
const SIGNATURE_BYTES = 4 + 8 + 64;
/** The signed-note signature line prefix: U+2014 EM DASH, then a space. */
const SIG_PREFIX = '\u2014 ';
/** Go's note.Open stops at 100 signature lines; so do we, so a hostile note costs little. */
export const MAX_SIGNATURE_LINES = 100;

export type CosignatureFault =
  | 'bad-key' // a verifier key that is not name+keyid+base64(0x04 ‖ 32-byte key), or its id does not match
  | 'bad-note' // no blank line between body and signatures, or a malformed signature line
  | 'bad-line' // a submitted cosignature that is not exactly one signature line of 76 bytes
  | 'bad-timestamp' // beyond 2^53 - 1 (the spec's bound is 2^63 - 1; no real clock reaches ours)
  | 'no-cosignature' // no line of this witness (name and key id) in the note
  | 'bad-signature'; // a line of this witness whose signature does not verify

export class CosignatureError extends Error {
  constructor(
    readonly code: CosignatureFault,
    detail: string,
  ) {
    super(`cosignature ${code}: ${detail}`);
    this.name = 'CosignatureError';
  }
}

export interface CosignerKey {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** One cosignature line, parsed (not verified). */
export interface CosignatureLine {
  readonly name: string;
  readonly keyId: Uint8Array;
  /** POSIX seconds. */
  readonly timestamp: number;
  readonly signature: Uint8Array;
}

const base64Of = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));

/** Standard padded base64, canonical (re-encodes to the same text), or null. */
function bytesOfBase64(text: string): Uint8Array | null {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return base64Of(bytes) === text ? bytes : null;
}

/** signed-note: a key name is non-empty, has no Unicode space and no '+'. */
const validName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name);

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function cosignerKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8ToBytes(`${name}\n`), Uint8Array.of(COSIGNATURE_KEY_TYPE), publicKey)).slice(0, 4);
}

/** The vkey a witness publishes: `name+<key id hex>+base64(0x04 ‖ key)`. */
export function formatCosignerKey(name: string, publicKey: Uint8Array): string {
  if (!validName(name)) throw new RangeError('cosigner name must be non-empty, without spaces or "+"');
  if (publicKey.length !== 32) throw new RangeError('cosigner public key must be 32 bytes');
  return `${name}+${bytesToHex(cosignerKeyId(name, publicKey))}+${base64Of(concatBytes(Uint8Array.of(COSIGNATURE_KEY_TYPE), publicKey))}`;
}

export function parseCosignerKey(vkey: string): CosignerKey {
  // name+keyid+base64: the base64 may itself contain '+', so split at the first two only (as Go's chop).
  const text = vkey.trim();
  const a = text.indexOf('+');
  const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  if (b < 0) throw new CosignatureError('bad-key', 'expected name+keyid+base64');
  const [name, idHex, b64] = [text.slice(0, a), text.slice(a + 1, b), text.slice(b + 1)];
  const raw = bytesOfBase64(b64);
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(idHex) || !raw) throw new CosignatureError('bad-key', 'malformed name, key id or key');
  if (raw.length !== 33 || raw[0] !== COSIGNATURE_KEY_TYPE) throw new CosignatureError('bad-key', `not an Ed25519 cosignature/v1 key (type 0x04), type 0x${(raw[0] ?? 0).toString(16)}`);
  const publicKey = raw.slice(1);
  const keyId = cosignerKeyId(name, publicKey);
  if (bytesToHex(keyId) !== idHex) throw new CosignatureError('bad-key', `key id ${idHex} does not match the name and key`);
  return { name, keyId, publicKey };
}

/** C2SP tlog-cosignature §Ed25519 signed message. */
export function cosignedMessage(body: string, timestamp: number): Uint8Array {
  return utf8ToBytes(`${COSIGNATURE_HEADER}\ntime ${timestamp}\n${body}`);
}

/** The note body (text before the blank line, with its newline) and its signature lines. */
export function splitNote(note: string): { body: string; lines: string[] } {
  // Signature lines contain no blank line, so the last "\n\n" is the separator (as in Go's note.Open).
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new CosignatureError('bad-note', 'a signed note is a body, a blank line and signature lines, each ending in a newline');
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURE_LINES) throw new CosignatureError('bad-note', `more than ${MAX_SIGNATURE_LINES} signature lines`);
  return { body: note.slice(0, split + 1), lines };
}

/** One signature line `— name base64`, split; null when it is not one. */
function signatureLine(line: string): { name: string; bytes: Uint8Array } | null {
  if (!line.startsWith(SIG_PREFIX)) return null;
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return null;
  const name = rest.slice(0, space);
  const bytes = bytesOfBase64(rest.slice(space + 1));
  return validName(name) && bytes && bytes.length >= 5 ? { name, bytes } : null;
}

/** Parses one cosignature line (with or without its final newline). */
export function parseCosignatureLine(text: string): CosignatureLine {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  const parsed = line.includes('\n') ? null : signatureLine(line);
  if (!parsed) throw new CosignatureError('bad-line', 'not one signature line "— <name> <base64>"');
  if (parsed.bytes.length !== SIGNATURE_BYTES) throw new CosignatureError('bad-line', `${parsed.bytes.length} signature bytes, a cosignature/v1 has ${SIGNATURE_BYTES}`);
  const view = new DataView(parsed.bytes.buffer, parsed.bytes.byteOffset, parsed.bytes.byteLength);
  const t = view.getBigUint64(4);
  if (t > BigInt(Number.MAX_SAFE_INTEGER)) throw new CosignatureError('bad-timestamp', `timestamp ${t} out of range`);
  return { name: parsed.name, keyId: parsed.bytes.slice(0, 4), timestamp: Number(t), signature: parsed.bytes.slice(12) };
}

/** The cosignature line (ending in a newline) of `body` by the witness's Ed25519 secret key at `timestamp`. */
export function cosign(body: string, name: string, secretKey: Uint8Array, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('cosignature timestamp must be an integer >= 0');
  const keyId = cosignerKeyId(name, ed25519.getPublicKey(secretKey));
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, BigInt(timestamp));
  const sig = ed25519.sign(cosignedMessage(body, timestamp), secretKey);
  return `${SIG_PREFIX}${name} ${base64Of(concatBytes(keyId, ts, sig))}\n`;
}

/** True when `line` is `key`'s valid cosignature of `body`. RFC 8032 verification (zip215 off), as Go's crypto/ed25519. */
export function cosignatureVerifies(body: string, line: CosignatureLine, key: CosignerKey): boolean {
  return (
    line.name === key.name &&
    equalBytes(line.keyId, key.keyId) &&
    ed25519.verify(line.signature, cosignedMessage(body, line.timestamp), key.publicKey, { zip215: false })
  );
}

/**
 * Checks `key`'s cosignature in a signed note; returns its timestamp. Throws `no-cosignature`
 * when the note has no line of that name and key id, `bad-signature` when such a line does not
 * verify (a forged or altered line is an error, not ignored).
 */
export function verifyCosignature(note: string, key: CosignerKey): { timestamp: number } {
  const { body, lines } = splitNote(note);
  let found: CosignatureLine | undefined;
  for (const l of lines) {
    const sl = signatureLine(l);
    if (!sl) throw new CosignatureError('bad-note', 'malformed signature line');
    if (sl.name !== key.name || !equalBytes(sl.bytes.slice(0, 4), key.keyId)) continue;
    found = parseCosignatureLine(l);
    if (!cosignatureVerifies(body, found, key)) throw new CosignatureError('bad-signature', `${key.name}'s cosignature does not verify`);
  }
  if (!found) throw new CosignatureError('no-cosignature', `no cosignature by ${key.name}`);
  return { timestamp: found.timestamp };
}

/**
 * Which of the given witnesses cosigned the note — each key counted once however many lines it
 * has (STYLE: dedupe evidence before counting), duplicates in `keys` too. A line that fails
 * counts as not cosigned.
 */
export function cosigners(note: string, keys: readonly CosignerKey[]): { key: CosignerKey; timestamp: number }[] {
  const seen = new Set<string>();
  const out: { key: CosignerKey; timestamp: number }[] = [];
  for (const key of keys) {
    const id = `${key.name}+${bytesToHex(key.keyId)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    try {
      out.push({ key, ...verifyCosignature(note, key) });
    } catch (e) {
      if (!(e instanceof CosignatureError) || e.code === 'bad-note') throw e;
    }
  }
  return out;
}
