/**
 * Which witnesses a county accepts cosignatures from (issue 11): the verifier keys (type 0x04,
 * `name+keyid+base64`) in `<data>/keys/witnesses`, one per line (`#` starts a comment), and in
 * `SUIJI_WITNESSES` (keys separated by spaces, commas or newlines). Both sources count; a key
 * given twice counts once. A malformed key stops start-up with a coded error naming it, rather
 * than leave a witness silently unaccepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SuijiError } from '../../domain/errors.js';
import { CosignatureError, parseCosignerKey, type CosignerKey } from '../../verify/cosignature.js';

export const WITNESSES_FILE = join('keys', 'witnesses');

function parseKey(text: string, source: string): CosignerKey {
  try {
    return parseCosignerKey(text);
  } catch (e) {
    const reason = e instanceof CosignatureError ? e.code : 'unparseable';
    throw new SuijiError('VALIDATION_FAILED', { field: source, reason, key: text.slice(0, 120) }, {
      zh: `见证方公钥格式错误（${source}）：应为 名称+密钥编号+base64(0x04‖公钥)`,
      en: `Malformed witness key in ${source}: expected name+keyid+base64(0x04 ‖ key)`,
    });
  }
}

export function loadWitnesses(dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): CosignerKey[] {
  const keys: CosignerKey[] = [];
  const file = join(dataDir, WITNESSES_FILE);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      throw new SuijiError('VALIDATION_FAILED', { field: file, reason: code ?? 'unreadable' }, {
        zh: `无法读取见证方公钥文件 ${file}（${code ?? '未知错误'}）`,
        en: `Cannot read the witness key file ${file} (${code ?? 'unknown error'})`,
      });
  }
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line !== '') keys.push(parseKey(line, `${file}:${i + 1}`));
  });
  for (const k of (env.SUIJI_WITNESSES ?? '').split(/[\s,]+/).filter((s) => s !== '')) keys.push(parseKey(k, 'SUIJI_WITNESSES'));
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.name}+${Buffer.from(k.keyId).toString('hex')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
