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
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { NoteError, base64Decode, formatVerifierKey, keyIdOf, openNote, parseVerifierKey, signatureLine } from './note.js';

/** Signature type byte of an Ed25519 cosignature/v1 key (C2SP tlog-cosignature §Format). */
export const COSIGNATURE_KEY_TYPE = 0x04;
export const COSIGNATURE_HEADER = 'cosignature/v1';
/** key id (4) ‖ timestamp (8) ‖ Ed25519 signature (64). */
const SIGNATURE_BYTES = 4 + 8 + 64;
/** The signed-note signature line prefix: U+2014 EM DASH, then a space. */
const SIG_PREFIX = '\u2014 ';

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

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export const cosignerKeyId = (name: string, publicKey: Uint8Array): Uint8Array => keyIdOf(name, COSIGNATURE_KEY_TYPE, publicKey);

/** The vkey a witness publishes: `name+<key id hex>+base64(0x04 ‖ key)`. */
export function formatCosignerKey(name: string, publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('cosigner public key must be 32 bytes');
  return formatVerifierKey(name, publicKey, COSIGNATURE_KEY_TYPE);
}

export function parseCosignerKey(vkey: string): CosignerKey {
  let key;
  try {
    key = parseVerifierKey(vkey.trim());
  } catch (e) {
    if (e instanceof NoteError) throw new CosignatureError('bad-key', e.message);
    throw e;
  }
  if (key.type !== COSIGNATURE_KEY_TYPE || key.publicKey.length !== 32) {
    throw new CosignatureError('bad-key', `not an Ed25519 cosignature/v1 key (type 0x04, 32 bytes): type 0x${key.type.toString(16)}`);
  }
  return { name: key.name, keyId: key.keyId, publicKey: key.publicKey };
}

/** C2SP tlog-cosignature §Ed25519 signed message. */
export function cosignedMessage(body: string, timestamp: number): Uint8Array {
  return utf8ToBytes(`${COSIGNATURE_HEADER}\ntime ${timestamp}\n${body}`);
}

/** openNote's parse (no key verified), its faults as `bad-note`. */
function parseNote(note: string): ReturnType<typeof openNote> {
  try {
    return openNote(note, []);
  } catch (e) {
    if (e instanceof NoteError) throw new CosignatureError('bad-note', e.message);
    throw e;
  }
}

/** Bytes after the key id: u64be timestamp ‖ signature. */
function timestamped(name: string, keyId: Uint8Array, rest: Uint8Array): CosignatureLine {
  if (rest.length !== SIGNATURE_BYTES - 4) throw new CosignatureError('bad-line', `${rest.length + 4} signature bytes, a cosignature/v1 has ${SIGNATURE_BYTES}`);
  const t = new DataView(rest.buffer, rest.byteOffset, rest.byteLength).getBigUint64(0);
  if (t > BigInt(Number.MAX_SAFE_INTEGER)) throw new CosignatureError('bad-timestamp', `timestamp ${t} out of range`);
  return { name, keyId, timestamp: Number(t), signature: rest.slice(8) };
}

/** Parses one cosignature line (with or without its final newline). */
export function parseCosignatureLine(text: string): CosignatureLine {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  const space = line.indexOf(' ', SIG_PREFIX.length);
  const name = line.slice(SIG_PREFIX.length, space);
  const bytes = space < 0 ? null : base64Decode(line.slice(space + 1));
  if (line.includes('\n') || !line.startsWith(SIG_PREFIX) || !bytes || bytes.length < 5 || name.length === 0) {
    throw new CosignatureError('bad-line', 'not one signature line "— <name> <base64>"');
  }
  return timestamped(name, bytes.slice(0, 4), bytes.slice(4));
}

/** The cosignature line (ending in a newline) of `body` by the witness's Ed25519 secret key at `timestamp`. */
export function cosign(body: string, name: string, secretKey: Uint8Array, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('cosignature timestamp must be an integer >= 0');
  const keyId = cosignerKeyId(name, ed25519.getPublicKey(secretKey));
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, BigInt(timestamp));
  const sig = ed25519.sign(cosignedMessage(body, timestamp), secretKey);
  return signatureLine(name, keyId, concatBytes(ts, sig));
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
  const { text, signatures } = parseNote(note);
  // openNote keeps the first line of each (name, key id); a later copy cannot rescue a bad first one.
  const mine = signatures.find((s) => s.name === key.name && equalBytes(s.keyId, key.keyId));
  if (!mine) throw new CosignatureError('no-cosignature', `no cosignature by ${key.name}`);
  const line = timestamped(mine.name, mine.keyId, mine.signature);
  if (!cosignatureVerifies(text, line, key)) throw new CosignatureError('bad-signature', `${key.name}'s cosignature does not verify`);
  return { timestamp: line.timestamp };
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
