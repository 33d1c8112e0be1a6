/**
 * The county's side of witnessing (issue 11): accept a witness's cosignature of a checkpoint
 * this log signed, and serve checkpoints with the cosignatures appended. A cosignature is
 * stored only when every check passes — the line is one cosignature/v1 line, its key is a
 * configured witness, the checkpoint carries this log's valid signature and is on the current
 * ledger (its root is the ledger's root at that size), and the cosignature verifies over it.
 * Anything else is a coded error and nothing is written.
 */
import { SuijiError } from '../../domain/errors.js';
import { CheckpointParseError, parseCheckpoint, type LogCheckpoint } from '../../verify/checkpoint.js';
import { CosignatureError, cosignatureVerifies, parseCosignatureLine, type CosignatureLine, type CosignerKey } from '../../verify/cosignature.js';
import { NoteError, openNote, signatureLine, type VerifierKey } from '../../verify/note.js';
import type { CosignatureRecords } from './store.js';

/** A witness's clock may run a little ahead; a cosignature dated further ahead than this is refused (tlog-cosignature: verifiers MAY). */
export const MAX_FUTURE_SECONDS = 600;

export interface CosignatureSubmission {
  /** The signed checkpoint the witness cosigned, as it fetched it (other cosignature lines may follow). */
  readonly checkpoint: string;
  /** The witness's one cosignature line. */
  readonly cosignature: string;
}

export interface AcceptedCosignature {
  readonly size: number;
  readonly root: string;
  readonly witness: string;
  readonly keyId: string;
  readonly timestamp: number;
  /** False when this witness had already cosigned this checkpoint at the same or a later time. */
  readonly stored: boolean;
}

export interface CosignatureServiceDeps {
  readonly store: CosignatureRecords;
  readonly witnesses: readonly CosignerKey[];
  /** This log's verifier key (`<data>/keys/log.vkey`), its name the checkpoint origin; null before `suiji keys init` (read per request, as the signer does). */
  readonly logKey: () => VerifierKey | null;
  /** The root over the ledger's first `size` leaves (lowercase hex), or null when the ledger is shorter. */
  readonly rootAt: (size: number) => Promise<string | null>;
  readonly now?: () => Date;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function invalid(field: 'checkpoint' | 'cosignature', reason: string, zh: string, en: string, extra: Record<string, unknown> = {}): SuijiError {
  return new SuijiError('VALIDATION_FAILED', { field, reason, ...extra }, { zh, en });
}

export class CosignatureService {
  private readonly now: () => Date;

  constructor(private readonly deps: CosignatureServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get witnesses(): readonly CosignerKey[] {
    return this.deps.witnesses;
  }

  async submit(sub: CosignatureSubmission): Promise<AcceptedCosignature> {
    const line = this.parseLine(sub.cosignature);
    const witness = this.deps.witnesses.find((w) => w.name === line.name && equalBytes(w.keyId, line.keyId));
    if (!witness) {
      throw new SuijiError('FORBIDDEN', { field: 'cosignature', reason: 'unknown-witness', witness: line.name, keyId: hex(line.keyId) }, {
        zh: `见证方 ${line.name}（密钥编号 ${hex(line.keyId)}）不在本县配置的见证方名单中`,
        en: `Witness ${line.name} (key id ${hex(line.keyId)}) is not one of this county's configured witnesses`,
      });
    }
    const { text, logSigned } = this.openLogSigned(sub.checkpoint);
    const cp = this.parseBody(text);
    const root = await this.deps.rootAt(cp.size);
    if (root !== cp.root) {
      throw invalid('checkpoint', 'not-this-ledger', `检查点（大小 ${cp.size}）不在本账本的当前历史上`, `The checkpoint (size ${cp.size}) is not on this ledger's current history`, { size: cp.size });
    }
    if (!cosignatureVerifies(text, line, witness)) {
      throw invalid('cosignature', 'bad-signature', `${witness.name} 的联署签名与该检查点不符`, `${witness.name}'s cosignature does not verify over this checkpoint`);
    }
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    if (line.timestamp > nowSeconds + MAX_FUTURE_SECONDS) {
      throw invalid('cosignature', 'future-timestamp', `联署时间 ${line.timestamp} 晚于当前时间`, `Cosignature time ${line.timestamp} is in the future`, { timestamp: line.timestamp, now: nowSeconds });
    }
    const keyId = hex(witness.keyId);
    const stored = await this.deps.store.put(
      {
        size: cp.size,
        root: cp.root,
        witness: witness.name,
        keyId,
        timestamp: line.timestamp,
        line: signatureLine(line.name, line.keyId, concatTimestamped(line)),
        receivedAt: this.now().toISOString(),
      },
      logSigned,
    );
    return { size: cp.size, root: cp.root, witness: witness.name, keyId, timestamp: line.timestamp, stored };
  }

  /** The log-signed note with the stored cosignatures of its checkpoint appended (those already present are not repeated). */
  async decorate(note: string, size: number, root: string): Promise<string> {
    const lines = (await this.deps.store.lines(size, root)).filter((l) => !note.includes(l));
    return note + lines.join('');
  }

  /** LedgerPublic's seam (`cosignatures` option): the lines to append to the signed checkpoint of `size`. */
  async linesAt(size: number): Promise<string[]> {
    return this.deps.store.linesAt(size);
  }

  /** The newest checkpoint with at least one cosignature, as a note with all its cosignatures; null when none. */
  async newestCosigned(): Promise<{ size: number; root: string; note: string } | null> {
    const n = await this.deps.store.newest();
    return n && { ...n, note: await this.decorate(n.note, n.size, n.root) };
  }

  private parseLine(text: string): CosignatureLine {
    try {
      return parseCosignatureLine(text);
    } catch (e) {
      if (!(e instanceof CosignatureError)) throw e;
      throw invalid('cosignature', e.code, '联署签名不是一行有效的 cosignature/v1 签名', 'The cosignature is not one valid cosignature/v1 signature line');
    }
  }

  /** The note's text, and the note reduced to its text and this log's signature (other lines dropped). */
  private logKey(): VerifierKey {
    const key = this.deps.logKey();
    if (!key) throw new SuijiError('LOG_KEY_MISSING', { field: 'log.vkey' });
    return key;
  }

  private openLogSigned(note: string): { text: string; logSigned: string } {
    const key = this.logKey();
    let opened;
    try {
      opened = openNote(note, [key]);
    } catch (e) {
      if (!(e instanceof NoteError)) throw e;
      throw invalid('checkpoint', e.code, '检查点不是格式正确的签名笔记', 'The checkpoint is not a well-formed signed note');
    }
    const own = opened.signatures.find((s) => s.verified && s.name === key.name && equalBytes(s.keyId, key.keyId));
    if (!own) {
      throw invalid('checkpoint', 'not-signed-by-this-log', '检查点没有本账本密钥的有效签名', "The checkpoint carries no valid signature of this log's key");
    }
    return { text: opened.text, logSigned: `${opened.text}\n${signatureLine(own.name, own.keyId, own.signature)}` };
  }

  private parseBody(text: string): LogCheckpoint {
    let cp: LogCheckpoint;
    try {
      cp = parseCheckpoint(text);
    } catch (e) {
      if (!(e instanceof CheckpointParseError)) throw e;
      throw invalid('checkpoint', e.code, '检查点正文格式错误', 'The checkpoint body is malformed');
    }
    if (cp.origin !== this.logKey().name) {
      throw invalid('checkpoint', 'wrong-origin', `检查点来源 ${cp.origin} 不是本账本`, `Checkpoint origin ${cp.origin} is not this log`, { origin: cp.origin });
    }
    return cp;
  }
}

/** u64be timestamp ‖ signature: the line's bytes after the key id. */
function concatTimestamped(line: CosignatureLine): Uint8Array {
  const out = new Uint8Array(8 + line.signature.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(line.timestamp));
  out.set(line.signature, 8);
  return out;
}
