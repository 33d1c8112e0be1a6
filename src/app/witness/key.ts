/**
 * A witness's signing key (issue 11). The file holds one line in the shape of Go's note signer
 * key, with the cosignature type byte: `PRIVATE+KEY+<name>+<keyid>+base64(0x04 ‖ seed)`, where
 * the key id is that of the public key (C2SP tlog-cosignature). It is created with mode 0600
 * and never overwritten; a key file others can read is refused (chmod 600), since whoever
 * reads it can cosign in the witness's name.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { open, readFile, stat } from 'node:fs/promises';
import { SuijiError } from '../../domain/errors.js';
import { COSIGNATURE_KEY_TYPE, cosignerKeyId, formatCosignerKey } from '../../verify/cosignature.js';
import { base64Decode, base64Encode, isValidKeyName } from '../../verify/note.js';

export interface WitnessKey {
  readonly name: string;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly keyId: Uint8Array;
  /** The verifier key a county configures: `name+keyid+base64(0x04 ‖ public key)`. */
  readonly vkey: string;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function badKey(file: string, reason: string, zh: string, en: string): SuijiError {
  return new SuijiError('VALIDATION_FAILED', { field: '--key', file, reason }, { zh: `见证方密钥文件 ${file}：${zh}`, en: `Witness key file ${file}: ${en}` });
}

export function formatWitnessSecretKey(name: string, seed: Uint8Array): string {
  const publicKey = ed25519.getPublicKey(seed);
  const typed = new Uint8Array(33);
  typed[0] = COSIGNATURE_KEY_TYPE;
  typed.set(seed, 1);
  return `PRIVATE+KEY+${name}+${hex(cosignerKeyId(name, publicKey))}+${base64Encode(typed)}`;
}

export function parseWitnessSecretKey(text: string, file = 'key'): WitnessKey {
  const m = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
  const typed = m ? base64Decode(m[3]!) : null;
  if (!m || !typed || !isValidKeyName(m[1]!)) throw badKey(file, 'malformed', '格式应为 PRIVATE+KEY+名称+密钥编号+base64(0x04‖种子)', 'expected PRIVATE+KEY+name+keyid+base64(0x04 ‖ seed)');
  if (typed.length !== 33 || typed[0] !== COSIGNATURE_KEY_TYPE) throw badKey(file, 'not-a-witness-key', '不是见证方（0x04 类型）密钥', 'not a witness (type 0x04) key');
  const name = m[1]!;
  const secretKey = typed.slice(1);
  const publicKey = ed25519.getPublicKey(secretKey);
  const keyId = cosignerKeyId(name, publicKey);
  if (hex(keyId) !== m[2]) throw badKey(file, 'key-id-mismatch', '密钥编号与名称和密钥不符', 'the key id does not match the name and key');
  return { name, secretKey, publicKey, keyId, vkey: formatCosignerKey(name, publicKey) };
}

/** Creates `file` (0600, never overwriting) with a fresh key named `name`; returns it. */
export async function createWitnessKey(file: string, name: string): Promise<WitnessKey> {
  if (!isValidKeyName(name)) {
    throw new SuijiError('VALIDATION_FAILED', { field: '--name', name }, { zh: '见证方名称不能为空，且不能含空白或“+”', en: 'A witness name is non-empty, without white space or "+"' });
  }
  const seed = ed25519.utils.randomSecretKey();
  const text = `${formatWitnessSecretKey(name, seed)}\n`;
  let h;
  try {
    h = await open(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SuijiError('ALREADY_EXISTS', { field: '--key', file }, { zh: `密钥文件 ${file} 已存在，不会覆盖`, en: `Key file ${file} exists; it is never overwritten` });
    }
    throw e;
  }
  try {
    await h.writeFile(text, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  return parseWitnessSecretKey(text, file);
}

export async function readWitnessKey(file: string): Promise<WitnessKey> {
  let text: string;
  try {
    if (((await stat(file)).mode & 0o077) !== 0) {
      throw badKey(file, 'readable-by-others', '其他用户可读取，请执行 chmod 600', 'readable by other users; run chmod 600');
    }
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw badKey(file, 'not-found', '文件不存在', 'does not exist');
    throw e;
  }
  return parseWitnessSecretKey(text, file);
}
