/**
 * The log's signing key (issue 11, V4): `<data>/keys/log.key` in Go's note signer format
 * (`PRIVATE+KEY+<name>+<keyid>+<base64(0x01 ‖ seed)>`, mode 0600) and `<data>/keys/log.vkey`,
 * the verifier key auditors pin. The key name is the checkpoint origin.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { chmodSync, mkdirSync, openSync, readFileSync, writeSync, closeSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { SuijiError } from '../../domain/errors.js';
import { defaultLogOrigin } from '../../store/index.js';
import { NoteError, formatSignerKey, formatVerifierKey, isValidKeyName, parseSignerKey, type SignerKey } from '../../verify/note.js';

export const KEYS_DIR = 'keys';
export const LOG_KEY_FILE = 'log.key';
export const LOG_VKEY_FILE = 'log.vkey';

/** The checkpoint origin and key name: the store's one setting (`SUIJI_LOG_ORIGIN`, else the demo deployment's). */
export { defaultLogOrigin };

export const logKeyPath = (dataDir: string): string => join(dataDir, KEYS_DIR, LOG_KEY_FILE);
export const logVkeyPath = (dataDir: string): string => join(dataDir, KEYS_DIR, LOG_VKEY_FILE);

/** The log key, or null when `<data>/keys/log.key` does not exist. A malformed file is a coded error. */
export function loadLogKey(dataDir: string): SignerKey | null {
  const file = logKeyPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SuijiError('LOG_KEY_MISSING', { field: 'log.key', file, reason: 'unreadable', message: String(err) }, {
      zh: `无法读取日志签名密钥 ${file}`,
      en: `Cannot read the log signing key ${file}`,
    });
  }
  try {
    return parseSignerKey(text.trim());
  } catch (err) {
    const reason = err instanceof NoteError ? err.code : 'unparseable';
    throw new SuijiError('LOG_KEY_MISSING', { field: 'log.key', file, reason }, {
      zh: `日志签名密钥文件 ${file} 格式错误（${reason}）`,
      en: `The log signing key file ${file} is malformed (${reason})`,
    });
  }
}

export interface InitKeyResult {
  readonly vkey: string;
  readonly keyFile: string;
  readonly vkeyFile: string;
}

/**
 * Writes a fresh Ed25519 log key. Refuses (ALREADY_EXISTS) when one exists unless `force`:
 * a replaced key orphans every checkpoint signed before, so it is never silent.
 */
export function initLogKey(dataDir: string, options: { origin?: string; force?: boolean } = {}): InitKeyResult {
  const origin = options.origin ?? defaultLogOrigin();
  if (!isValidKeyName(origin)) {
    throw new SuijiError('VALIDATION_FAILED', { field: '--origin', value: origin }, {
      zh: '日志名称（origin）不得为空，不得含空白或“+”',
      en: 'The log origin must be non-empty, without white space or "+"',
    });
  }
  const dir = join(dataDir, KEYS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = logKeyPath(dataDir);
  const vkeyFile = logVkeyPath(dataDir);
  const seed = ed25519.utils.randomSecretKey();
  const skey = formatSignerKey(origin, seed);
  const vkey = formatVerifierKey(origin, ed25519.getPublicKey(seed));
  // Exclusive create unless --force; with --force the new key goes to a temp file and is renamed over.
  const target = options.force === true ? `${keyFile}.${process.pid}.tmp` : keyFile;
  let fd: number;
  try {
    fd = openSync(target, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new SuijiError('ALREADY_EXISTS', { field: 'log.key', file: keyFile }, {
        zh: `日志签名密钥已存在：${keyFile}（更换密钥请加 --force；此前签名的检查点将无法用新公钥核验）`,
        en: `The log signing key already exists: ${keyFile} (use --force to replace it; checkpoints signed before will not verify with the new key)`,
      });
    }
    throw err;
  }
  try {
    writeSync(fd, `${skey}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(target, 0o600);
  if (target !== keyFile) renameSync(target, keyFile);
  const vtmp = `${vkeyFile}.${process.pid}.tmp`;
  const vfd = openSync(vtmp, 'w', 0o644);
  try {
    writeSync(vfd, `${vkey}\n`);
  } finally {
    closeSync(vfd);
  }
  renameSync(vtmp, vkeyFile);
  return { vkey, keyFile, vkeyFile };
}

/** Creates the log key when there is none (demo seeding, so `npm start` serves signed checkpoints); the verifier key, or null when one existed. */
export function ensureLogKey(dataDir: string, origin?: string): string | null {
  if (loadLogKey(dataDir)) return null;
  return initLogKey(dataDir, origin === undefined ? {} : { origin }).vkey;
}
