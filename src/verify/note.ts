/**
 * C2SP signed-note (https://c2sp.org/signed-note), the envelope of a signed checkpoint:
 *
 *     <text, one or more lines, each ending in U+000A>
 *     <one blank line>
 *     — <key name> <base64(key ID (4 bytes) ‖ signature)>
 *     …
 *
 * Keys are named `name+keyid8hex+base64(type ‖ public key)` (the verifier key of Go's
 * golang.org/x/mod/sumdb/note); the key ID is SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]. Only
 * Ed25519 (type 0x01) is signed and verified here; other types (0x04, tlog-cosignature) are
 * parsed and handed back with `verified: false` for src/verify/cosignature.ts. A note is
 * attacker-controlled text: parsed strictly, every fault coded.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** signed-note §Signatures: type 0x01 is Ed25519 over the note text. */
export const ED25519_KEY_TYPE = 0x01;
/** Generous for a checkpoint plus witness cosignatures; a note larger than this is refused unread. */
export const MAX_NOTE_CHARS = 65536;
/** Go's note.Open stops at 100 signature lines; so do we. */
export const MAX_NOTE_SIGNATURES = 100;
const SIG_PREFIX = '\u2014 ';

export type NoteFault =
  | 'too-long'
  | 'bad-character'
  | 'no-signature-block'
  | 'bad-text'
  | 'bad-signature-line'
  | 'too-many-signatures'
  | 'bad-key-name'
  | 'bad-verifier-key'
  | 'bad-signer-key'
  | 'bad-signature';

export class NoteError extends Error {
  constructor(
    readonly code: NoteFault,
    detail: string,
  ) {
    super(`signed note ${code}: ${detail}`);
    this.name = 'NoteError';
  }
}

export interface VerifierKey {
  readonly name: string;
  /** First 4 bytes of SHA-256(name ‖ 0x0A ‖ type ‖ publicKey). */
  readonly keyId: Uint8Array;
  readonly type: number;
  readonly publicKey: Uint8Array;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  /** True only for an Ed25519 signature by a given verifier key that checks over the text. */
  readonly verified: boolean;
  /** The bytes after the 4-byte key ID (for type 0x04 cosignatures: timestamp ‖ signature). */
  readonly signature: Uint8Array;
}

export interface OpenedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

const utf8 = new TextEncoder();

export function base64Encode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Standard padded base64, canonical only (the one string base64Encode gives back), or null. */
export function base64Decode(text: string): Uint8Array | null {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return base64Encode(bytes) === text ? bytes : null;
}

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** signed-note: a key name is non-empty, has no Unicode white space and no `+`. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && !hasBadCharacter(name);
}

/** No control characters but U+000A, and no lone surrogates (the text must be valid UTF-8). */
function hasBadCharacter(text: string): boolean {
  return /[\u0000-\u0009\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

export function keyIdOf(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  const n = utf8.encode(name);
  const buf = new Uint8Array(n.length + 2 + publicKey.length);
  buf.set(n, 0);
  buf[n.length] = 0x0a;
  buf[n.length + 1] = type;
  buf.set(publicKey, n.length + 2);
  return sha256(buf).slice(0, 4);
}

/** `name+keyid8hex+base64(0x01 ‖ key)` for an Ed25519 public key. */
export function formatVerifierKey(name: string, publicKey: Uint8Array, type: number = ED25519_KEY_TYPE): string {
  if (!isValidKeyName(name)) throw new NoteError('bad-key-name', `not a key name: ${JSON.stringify(name.slice(0, 60))}`);
  if (type === ED25519_KEY_TYPE && publicKey.length !== 32) throw new NoteError('bad-verifier-key', 'an Ed25519 key is 32 bytes');
  const typed = new Uint8Array(publicKey.length + 1);
  typed[0] = type;
  typed.set(publicKey, 1);
  return `${name}+${toHex(keyIdOf(name, type, publicKey))}+${base64Encode(typed)}`;
}

/** Splits `name+keyid+key` at the first two `+` (names and key IDs have none; base64 may). */
function splitKey(text: string, code: NoteFault): { name: string; keyId: Uint8Array; type: number; key: Uint8Array } {
  if (text.length > 1024) throw new NoteError(code, 'key text too long');
  const a = text.indexOf('+');
  const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  if (b < 0) throw new NoteError(code, 'expected name+keyid+base64key');
  const [name, idHex, b64] = [text.slice(0, a), text.slice(a + 1, b), text.slice(b + 1)];
  if (!isValidKeyName(name)) throw new NoteError(code, `bad key name ${JSON.stringify(name.slice(0, 60))}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError(code, 'key ID is not 8 lowercase hex digits');
  const typed = base64Decode(b64);
  if (!typed || typed.length < 2) throw new NoteError(code, 'key is not canonical base64 of type ‖ key');
  const keyId = Uint8Array.from({ length: 4 }, (_, i) => parseInt(idHex.slice(2 * i, 2 * i + 2), 16));
  return { name, keyId, type: typed[0]!, key: typed.slice(1) };
}

export function parseVerifierKey(vkey: string): VerifierKey {
  const { name, keyId, type, key } = splitKey(vkey, 'bad-verifier-key');
  if (type === ED25519_KEY_TYPE && key.length !== 32) throw new NoteError('bad-verifier-key', 'an Ed25519 key is 32 bytes');
  if (!equalBytes(keyId, keyIdOf(name, type, key))) throw new NoteError('bad-verifier-key', 'key ID does not match name and key');
  return { name, keyId, type, publicKey: key };
}

export interface SignerKey {
  readonly name: string;
  readonly keyId: Uint8Array;
  /** Ed25519 seed (32 bytes). */
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Go's signer key: `PRIVATE+KEY+name+keyid8hex+base64(0x01 ‖ seed32)`; the key ID is that of the public key. */
export function formatSignerKey(name: string, secretKey: Uint8Array): string {
  if (secretKey.length !== 32) throw new NoteError('bad-signer-key', 'an Ed25519 seed is 32 bytes');
  const vkey = formatVerifierKey(name, ed25519.getPublicKey(secretKey));
  const typed = new Uint8Array(33);
  typed[0] = ED25519_KEY_TYPE;
  typed.set(secretKey, 1);
  return `PRIVATE+KEY+${name}+${vkey.split('+')[1]!}+${base64Encode(typed)}`;
}

export function parseSignerKey(skey: string): SignerKey {
  const trimmed = skey.endsWith('\n') ? skey.slice(0, -1) : skey;
  if (!trimmed.startsWith('PRIVATE+KEY+')) throw new NoteError('bad-signer-key', 'expected PRIVATE+KEY+name+keyid+key');
  const { name, keyId, type, key } = splitKey(trimmed.slice('PRIVATE+KEY+'.length), 'bad-signer-key');
  if (type !== ED25519_KEY_TYPE || key.length !== 32) throw new NoteError('bad-signer-key', 'not an Ed25519 seed');
  const publicKey = ed25519.getPublicKey(key);
  if (!equalBytes(keyId, keyIdOf(name, type, publicKey))) throw new NoteError('bad-signer-key', 'key ID does not match name and key');
  return { name, keyId, secretKey: key, publicKey };
}

function checkText(text: string): void {
  if (text.length > MAX_NOTE_CHARS) throw new NoteError('too-long', `${text.length} > ${MAX_NOTE_CHARS} characters`);
  if (hasBadCharacter(text)) throw new NoteError('bad-character', 'control character or invalid UTF-16');
  // One blank line separates text and signatures: the text is non-empty, ends in a newline and not in a blank line.
  if (text.length === 0 || !text.endsWith('\n') || text.endsWith('\n\n') || text === '\n') throw new NoteError('bad-text', 'text must be non-empty lines ending in a newline');
}

/** The signature line (with its newline) of `name` over `text`. */
export function signatureLine(name: string, keyId: Uint8Array, signature: Uint8Array): string {
  const body = new Uint8Array(4 + signature.length);
  body.set(keyId, 0);
  body.set(signature, 4);
  return `${SIG_PREFIX}${name} ${base64Encode(body)}\n`;
}

/** The text, a blank line and one Ed25519 signature line (type 0x01) by the key `name`. */
export function signNote(text: string, name: string, secretKey: Uint8Array): string {
  checkText(text);
  if (!isValidKeyName(name)) throw new NoteError('bad-key-name', `not a key name: ${JSON.stringify(name.slice(0, 60))}`);
  const publicKey = ed25519.getPublicKey(secretKey);
  const sig = ed25519.sign(utf8.encode(text), secretKey);
  return `${text}\n${signatureLine(name, keyIdOf(name, ED25519_KEY_TYPE, publicKey), sig)}`;
}

/**
 * Parses a signed note and checks every signature whose (name, key ID) is a given Ed25519
 * verifier. Unknown keys are kept with `verified: false`; a repeated (name, key ID) is
 * counted once (the first). A known key's bad signature is `verified: false` too: the caller
 * decides (the log's own key must verify, see `requireSignature`).
 */
export function openNote(note: string, verifiers: readonly VerifierKey[]): OpenedNote {
  if (note.length > MAX_NOTE_CHARS) throw new NoteError('too-long', `${note.length} > ${MAX_NOTE_CHARS} characters`);
  if (hasBadCharacter(note)) throw new NoteError('bad-character', 'control character or invalid UTF-16');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('no-signature-block', 'no blank line before signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  checkText(text);
  if (block.length === 0 || !block.endsWith('\n')) throw new NoteError('no-signature-block', 'signature lines must end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new NoteError('too-many-signatures', `${lines.length} > ${MAX_NOTE_SIGNATURES}`);
  const message = utf8.encode(text);
  const seen = new Set<string>();
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError('bad-signature-line', `line does not start with "— ": ${JSON.stringify(line.slice(0, 40))}`);
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const bytes = space < 0 ? null : base64Decode(rest.slice(space + 1));
    if (!isValidKeyName(name) || !bytes || bytes.length < 5) throw new NoteError('bad-signature-line', `not "— name base64": ${JSON.stringify(line.slice(0, 60))}`);
    const keyId = bytes.slice(0, 4);
    const signature = bytes.slice(4);
    const id = `${name}+${toHex(keyId)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const key = verifiers.find((v) => v.type === ED25519_KEY_TYPE && v.name === name && equalBytes(v.keyId, keyId));
    const verified = key !== undefined && signature.length === 64 && ed25519.verify(signature, message, key.publicKey, { zip215: false });
    signatures.push({ name, keyId, verified, signature });
  }
  return { text, signatures };
}

/** The note's text when `key` signed it; a NoteError('bad-signature') otherwise. */
export function verifiedText(note: string, key: VerifierKey): string {
  const opened = openNote(note, [key]);
  if (!opened.signatures.some((s) => s.verified && s.name === key.name && equalBytes(s.keyId, key.keyId))) {
    throw new NoteError('bad-signature', `no valid signature by ${key.name}`);
  }
  return opened.text;
}
