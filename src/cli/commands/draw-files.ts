/** Draw files at the console: request and record JSON read defensively, verdicts in words. */
import { existsSync, readFileSync } from 'node:fs';
import { SuijiError } from '../../domain/errors.js';
import { DuplicateKeyError, NoteError, parseJsonStrict, parseRecordBytes, parseVerifierKey, type VerifierKey } from '../../verify/index.js';
import { anchoredVerdict, internalVerdict, type RecordVerdict } from '../../app/draws/verdict.js';

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new SuijiError('NOT_FOUND', { field: 'FILE', path }, { zh: `无法读取文件 ${path}`, en: `cannot read ${path}` });
  }
}

/** Hostile file content becomes a coded error, never a raw exception (STYLE habit 6). */
export const readJson = (path: string): unknown => parseJsonFile(readBytes(path).toString('utf8'), path);

function parseJsonFile(text: string, path: string): unknown {
  try {
    return parseJsonStrict(text);
  } catch (e) {
    // A record must have exactly one meaning: a repeated name is refused, not read as "last one wins".
    if (e instanceof DuplicateKeyError) {
      throw new SuijiError('BAD_REQUEST', { field: e.pointer, path, reason: 'DUPLICATE_KEY', key: e.key }, {
        zh: `文件 ${path} 在 ${e.pointer} 处有重复的键名`,
        en: `${path} repeats the key at ${e.pointer}`,
      });
    }
    throw new SuijiError('BAD_REQUEST', { field: 'FILE', path }, { zh: `文件 ${path} 不是有效的 JSON`, en: `${path} is not valid JSON` });
  }
}

/** One line per verdict, Chinese first; the same verdict POST /verify answers (issue 7 §2). */
export function describeVerdict(v: RecordVerdict): string {
  const diff = v.expected !== undefined || v.actual !== undefined ? ` (expected ${JSON.stringify(v.expected)}, got ${JSON.stringify(v.actual)})` : '';
  const where = `${v.code ?? ''} at ${v.path ?? ''}: ${v.message ?? ''}${diff}`;
  switch (v.verdict) {
    case 'ledger': {
      const l = v.ledger;
      const anchor = l ? ` — ${l.drawId}, ${l.events.length} ledger events, ${v.anchored === true ? 'signed checkpoint' : 'head'} ${l.head.size} ${l.head.root}` : '';
      if (v.anchored === true && v.taken !== false) return `摇号记录校验通过，且已离线锚定于签名检查点 / draw record verified offline: consistent and anchored in the log's signed checkpoint${anchor}`;
      return v.taken === false
        ? `本账本所载的废弃摇号记录，结果未被采用 / the ledger's record of an ABANDONED draw; its would-be result was NOT taken${anchor}`
        : `摇号记录校验通过，且为本账本所载记录 / draw record verified: consistent and the record this ledger holds${anchor}`;
    }
    case 'foreign':
      return `记录自洽，但不是本账本所载记录 / consistent but NOT this ledger's record (forgery or another system's): ${where}`;
    case 'unanchored':
      return '记录自洽，但未与任何账本核对 / draw record consistent; NOT checked against any ledger (--offline)';
    case 'inconsistent':
      return `摇号记录校验失败 / draw record verification FAILED: ${where}`;
    default: {
      const _exhaustive: never = v.verdict;
      return _exhaustive;
    }
  }
}

/**
 * `suiji draw verify FILE --offline`: nothing but the file (V4: no ledger, no server); unanchored
 * or inconsistent. The record is read from its bytes with its member lists packed (issue 13: no
 * string per member of a 15,000,000-member pool); what that reading leaves to the whole text —
 * invalid JSON, a repeated name, an escaped or non-ASCII id in a pool — is read as before, with
 * the same coded errors and verdicts (tests/cli/verify-offline-bytes.test.ts).
 */
export function verifyFile(path: string): RecordVerdict {
  const bytes = readBytes(path);
  const packed = parseRecordBytes(bytes);
  return internalVerdict(packed !== undefined ? packed.record : parseJsonFile(bytes.toString('utf8'), path));
}

/** Exit code of a verdict: 0 for the ledger's record (or, offline, a consistent one), 1 otherwise. */
export const exitOf = (v: RecordVerdict): number => (v.verdict === 'ledger' || v.verdict === 'unanchored' ? 0 : 1);


/** `--log-key`: a verifier key (`name+keyid+base64`) or a file holding one (`<data>/keys/log.vkey`). */
export function readLogKey(value: string): VerifierKey {
  const text = existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
  try {
    return parseVerifierKey(text);
  } catch (e) {
    throw new SuijiError('VALIDATION_FAILED', { field: '--log-key', reason: e instanceof NoteError ? e.code : 'bad-key' }, {
      zh: '--log-key 不是有效的日志公钥（name+keyid+base64，或含该公钥的文件）',
      en: '--log-key is not a log verifier key (name+keyid+base64, or a file holding one)',
    });
  }
}

/**
 * `suiji draw verify FILE --proof PROOF.json --log-key VKEY` (issue 11): anchored offline. FILE
 * may instead embed its proof: `{ "record": …, "proof": … }` (then --proof is not needed).
 */
export function verifyAnchoredFile(path: string, proofPath: string | undefined, key: VerifierKey): RecordVerdict {
  const file = readJson(path);
  const embedded = typeof file === 'object' && file !== null && !Array.isArray(file) && 'record' in file && 'proof' in file && Object.keys(file).length === 2;
  const record = embedded ? (file as { record: unknown }).record : file;
  let proof: unknown;
  if (proofPath !== undefined) proof = readJson(proofPath);
  else if (embedded) proof = (file as { proof: unknown }).proof;
  else throw new SuijiError('VALIDATION_FAILED', { field: '--proof' }, { zh: '请用 --proof 给出账本证明文件，或使用内含证明的记录文件', en: 'give the ledger proof with --proof, or a file embedding it ({ record, proof })' });
  return anchoredVerdict(record, proof, [key]);
}
