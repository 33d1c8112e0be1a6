/**
 * One witness run against a county's log (issue 11, C2SP tlog-witness semantics over suiji's
 * HTTP API): fetch `GET /ledger/checkpoint`, check the log's signature, check it extends the
 * last checkpoint this witness cosigned for that origin (`GET /ledger/proof/consistency`),
 * persist it, and only then cosign and submit (`POST /ledger/cosignatures`). A smaller tree,
 * another root at the same size, or a proof that does not verify is refused: nothing is
 * cosigned and the state is left as it was, so a county that forks its history cannot get
 * the fork cosigned by a witness that saw the other branch.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { CheckpointParseError, parseCheckpoint, type LogCheckpoint } from '../../verify/checkpoint.js';
import { verifyConsistency } from '../../verify/consistency.js';
import { cosign } from '../../verify/cosignature.js';
import { MAX_NOTE_CHARS, NoteError, openNote, type VerifierKey } from '../../verify/note.js';
import type { WitnessKey } from './key.js';
import { WitnessStateDir } from './state.js';

export type WitnessRefusal =
  | 'unreachable' // the county did not answer, or answered with an HTTP error or malformed content
  | 'bad-log-signature' // the checkpoint is not a well-formed note signed by the configured log key
  | 'wrong-origin' // its origin is not the log key's name
  | 'smaller' // a smaller tree than the one cosigned before (a rollback)
  | 'fork' // the same size as before with another root
  | 'inconsistent' // the consistency proof does not verify: another history
  | 'not-accepted'; // the county refused the cosignature (it was released and is kept in the state)

export type WitnessOutcome =
  | {
      readonly ok: true;
      readonly origin: string;
      readonly size: number;
      readonly root: string;
      /** Size cosigned before, or null on the first run for this origin. */
      readonly previous: number | null;
      readonly cosignature: string;
      readonly timestamp: number;
    }
  | { readonly ok: false; readonly reason: WitnessRefusal; readonly zh: string; readonly en: string; readonly details: Record<string, unknown> };

export interface WitnessOptions {
  /** The county's base URL, e.g. http://county.example:8080 */
  readonly log: string;
  readonly logKey: VerifierKey;
  readonly key: WitnessKey;
  readonly stateDir: string;
  readonly now?: () => Date;
  readonly timeoutMs?: number;
}

const refuse = (reason: WitnessRefusal, zh: string, en: string, details: Record<string, unknown> = {}): WitnessOutcome => ({ ok: false, reason, zh, en, details });

class Unreachable extends Error {}

/** GET/POST with a timeout and a size bound; any failure becomes Unreachable with a one-line reason. */
async function call(url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new Unreachable(`${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = await res.text();
  if (text.length > 4 * MAX_NOTE_CHARS) throw new Unreachable(`${url}: answer too large`);
  return { status: res.status, text };
}

function parseConsistency(text: string, from: number, to: number): Uint8Array[] | null {
  try {
    const body = JSON.parse(text) as { from?: unknown; to?: unknown; proof?: unknown };
    if (body.from !== from || body.to !== to || !Array.isArray(body.proof) || body.proof.length > 128) return null;
    if (!body.proof.every((h): h is string => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) return null;
    return body.proof.map((h) => hexToBytes(h));
  } catch {
    return null;
  }
}

export async function runWitness(opts: WitnessOptions): Promise<WitnessOutcome> {
  const base = opts.log.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const now = opts.now ?? (() => new Date());
  try {
    const got = await call(`${base}/ledger/checkpoint`, {}, timeoutMs);
    if (got.status !== 200) throw new Unreachable(`GET /ledger/checkpoint: HTTP ${got.status}`);
    const note = got.text;

    let text: string;
    let cp: LogCheckpoint;
    try {
      const opened = openNote(note, [opts.logKey]);
      if (!opened.signatures.some((s) => s.verified && s.name === opts.logKey.name)) throw new NoteError('bad-signature', 'no valid log signature');
      text = opened.text;
      cp = parseCheckpoint(text);
    } catch (e) {
      if (!(e instanceof NoteError) && !(e instanceof CheckpointParseError)) throw e;
      return refuse('bad-log-signature', `检查点没有日志密钥 ${opts.logKey.name} 的有效签名（${e.code}），未联署`, `The checkpoint carries no valid signature of the log key ${opts.logKey.name} (${e.code}); nothing cosigned`);
    }
    if (cp.origin !== opts.logKey.name) {
      return refuse('wrong-origin', `检查点来源 ${cp.origin} 不是日志密钥名称 ${opts.logKey.name}，未联署`, `Checkpoint origin ${cp.origin} is not the log key's name ${opts.logKey.name}; nothing cosigned`, { origin: cp.origin });
    }

    const states = new WitnessStateDir(opts.stateDir);
    const unlock = await states.lock(cp.origin);
    try {
      const prev = await states.read(cp.origin);
      if (prev) {
        const sizes = { previousSize: prev.size, size: cp.size };
        if (cp.size < prev.size) {
          return refuse('smaller', `日志检查点大小 ${cp.size} 小于此前已联署的 ${prev.size}：日志被回滚或分叉，未联署`, `The log's checkpoint has size ${cp.size}, smaller than ${prev.size} cosigned before: the log was rolled back or forked; nothing cosigned`, sizes);
        }
        if (cp.size === prev.size && cp.root !== prev.root) {
          return refuse('fork', `日志在同一大小 ${cp.size} 给出了不同的根（此前 ${prev.root}，现在 ${cp.root}）：日志分叉，未联署`, `The log shows another root at the same size ${cp.size} (before ${prev.root}, now ${cp.root}): a fork; nothing cosigned`, { ...sizes, previousRoot: prev.root, root: cp.root });
        }
        if (cp.size > prev.size && prev.size > 0) {
          const got2 = await call(`${base}/ledger/proof/consistency?from=${prev.size}&to=${cp.size}`, {}, timeoutMs);
          const proof = got2.status === 200 ? parseConsistency(got2.text, prev.size, cp.size) : null;
          if (!proof || !verifyConsistency(prev.size, cp.size, proof, hexToBytes(prev.root), hexToBytes(cp.root))) {
            return refuse('inconsistent', `无法证明大小 ${cp.size} 的检查点延续此前联署的大小 ${prev.size}（一致性证明${proof ? '不成立' : '缺失或格式错误'}）：日志分叉，未联署`, `The checkpoint of size ${cp.size} is not proved to extend size ${prev.size} cosigned before (consistency proof ${proof ? 'does not verify' : 'missing or malformed'}): a fork; nothing cosigned`, { ...sizes, status: got2.status });
          }
        }
      }
      // The cosignature's time never goes back for one origin, even if the clock does.
      const timestamp = Math.max(Math.floor(now().getTime() / 1000), prev?.timestamp ?? 0);
      // Persist first: from here on this witness will only cosign trees that extend this one.
      await states.write({ origin: cp.origin, size: cp.size, root: cp.root, note, timestamp });
      const line = cosign(text, opts.key.name, opts.key.secretKey, timestamp);
      const posted = await call(`${base}/ledger/cosignatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ checkpoint: note, cosignature: line }) }, timeoutMs);
      if (posted.status !== 200 && posted.status !== 201) {
        return refuse('not-accepted', `县级日志拒绝了联署签名（HTTP ${posted.status}）：${posted.text.slice(0, 300)}`, `The county refused the cosignature (HTTP ${posted.status}): ${posted.text.slice(0, 300)}`, { status: posted.status, size: cp.size, cosignature: line });
      }
      return { ok: true, origin: cp.origin, size: cp.size, root: cp.root, previous: prev?.size ?? null, cosignature: line, timestamp };
    } finally {
      await unlock();
    }
  } catch (e) {
    if (e instanceof Unreachable) return refuse('unreachable', `无法从县级日志获取有效应答：${e.message}`, `No valid answer from the county's log: ${e.message}`);
    throw e;
  }
}
