/** The evidence store's coded refusals (E10): each names the field and the rule, in Chinese and English. */
import { SuijiError } from '../../domain/errors.js';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const evidenceEmpty = (): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field: 'body', rule: 'E10' }, { zh: 'E10：证据文件为空（0 字节）', en: 'E10: the evidence file is empty (0 bytes)' });

export const evidenceTooLarge = (maxBytes: number): SuijiError =>
  new SuijiError('PAYLOAD_TOO_LARGE', { field: 'body', rule: 'E10', maxBytes }, {
    zh: `E10：证据文件超过大小上限 ${maxBytes} 字节`,
    en: `E10: the evidence file exceeds the size limit of ${maxBytes} bytes`,
  });

export const evidenceTypeRefused = (sniffed: string | null, allowed: readonly string[]): SuijiError =>
  new SuijiError('UNSUPPORTED_MEDIA_TYPE', { field: 'body', rule: 'E10', sniffed, allowed: [...allowed] }, {
    zh: `E10：按文件内容识别的类型 ${sniffed ?? '未知'} 不在允许的证据类型之内（${allowed.join('、')}）`,
    en: `E10: the type sniffed from the bytes, ${sniffed ?? 'unknown'}, is not an accepted evidence type (${allowed.join(', ')})`,
  });

export const evidenceHashMismatch = (field: string, expected: string, actual: string): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule: 'E10', expected, actual }, {
    zh: `E10：收到的字节的 SHA-256 为 ${actual}，与声明的 ${expected} 不符（上传不完整或被改动）`,
    en: `E10: the SHA-256 of the bytes received is ${actual}, not the declared ${expected} (truncated or altered upload)`,
  });

export const malformedSha256 = (field: string, value: string): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule: 'E10', value: value.slice(0, 100) }, {
    zh: 'E10：SHA-256 须为 64 位小写十六进制',
    en: 'E10: a SHA-256 must be 64 lowercase hexadecimal digits',
  });

export const evidenceNotFound = (sha256: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: 'sha256', rule: 'E10', kind: 'evidence', id: sha256 }, { zh: `E10：未找到证据文件：${sha256}`, en: `E10: evidence not found: ${sha256}` });
