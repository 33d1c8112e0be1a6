/**
 * verifyDrawRecord (docs/lottery-spec.md §9): replays a public record from nothing but its own
 * bytes and reports a match or the FIRST difference, in this order: shape → commitment hash →
 * pools → entropy → seed → result. Follow-ups verify their parent first (paths get "parent.").
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { DuplicateKeyError, parseJsonStrict } from '../json.js';
import { LotteryError, fail } from './errors.js';
import type { LotteryErrorCode } from './errors.js';
import { hex, isObject, obj, timestamp } from './guard.js';
import { replayLineage } from './draw.js';
import { checkRevealed } from './entropy.js';
import { parseCommitment, parseRevealed } from './parse.js';
import { checkPools } from './pools.js';
import { RECORD_FORMAT } from './record.js';
import type { FollowUpCommitment, RootCommitment } from './record.js';
import { commitmentHash, drawSeed } from './seed.js';
import type { PoolMap } from './state.js';
import type { Sha256Factory } from './encoding.js';
import { parseRecordBytes } from './record-bytes.js';

export interface VerifyOptions {
  /**
   * The SHA-256 that hashes the member lists, the bulk of a large draw's verification. Default
   * @noble (browser-safe); the CLI and server pass node:crypto's. Every other hash stays @noble.
   */
  readonly sha256?: Sha256Factory;
}

export type VerifyResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: LotteryErrorCode; readonly path: string; readonly message: string; readonly expected?: unknown; readonly actual?: unknown };

/** The first place two JSON values differ, as a path, or undefined if equal. */
export function firstDifference(expected: unknown, actual: unknown, path: string): { path: string; expected: unknown; actual: unknown } | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { path, expected: 'array', actual };
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    if (expected.length !== actual.length) return { path: `${path}.length`, expected: expected.length, actual: actual.length };
    return undefined;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return { path, expected: 'object', actual };
    for (const k of Object.keys(expected)) {
      const d = firstDifference(expected[k], actual[k], `${path}.${k}`);
      if (d) return d;
    }
    for (const k of Object.keys(actual)) if (!(k in expected)) return { path: `${path}.${k}`, expected: undefined, actual: actual[k] };
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : { path, expected, actual };
}

interface Verified {
  readonly root: RootCommitment;
  readonly pools: PoolMap;
  readonly seed: string;
  readonly followUps: readonly FollowUpCommitment[];
  readonly commitmentHash: string;
  readonly task: string;
}

function verify(record: unknown, prefix: string, options: VerifyOptions): Verified {
  const r = obj(record, prefix ? prefix.slice(0, -1) : 'record', ['format', 'commitment', 'commitmentHash', 'pools', 'revealed', 'seed', 'result', 'parent']);
  const at = (p: string): string => `${prefix}${p}`;
  if (r.format !== RECORD_FORMAT) fail('UNSUPPORTED_ALGORITHM', at('format'), `expected ${RECORD_FORMAT}`, RECORD_FORMAT, r.format);
  const c = parseCommitment(r.commitment, at('commitment'));
  const claimed = hex(r.commitmentHash, at('commitmentHash'), 32);
  // Spec §3.6: hash the commitment exactly as published (parse has refused any unknown member).
  const cHash = bytesToHex(commitmentHash(r.commitment));
  if (cHash !== claimed) fail('COMMITMENT_HASH_MISMATCH', at('commitmentHash'), 'SHA-256(tag ‖ JCS(commitment)) differs', cHash, claimed);
  const seed = hex(r.seed, at('seed'), 32);
  let v: Verified;
  if (c.kind === 'extension' || c.kind === 'replacement') {
    if (r.revealed !== undefined) fail('ENTROPY_INVALID', at('revealed'), 'a follow-up reveals no entropy');
    if (!isObject(r.pools) || Object.keys(r.pools).length > 0) fail('MALFORMED', at('pools'), 'a follow-up carries no pools ({})');
    if (r.parent === undefined) fail('PARENT_MISMATCH', at('parent'), 'a follow-up carries its parent record');
    const parent = verify(r.parent, at('parent.'), options);
    if (parent.commitmentHash !== c.parent) fail('PARENT_MISMATCH', at('commitment.parent'), 'parent record has another commitment hash', parent.commitmentHash, c.parent);
    if (parent.task !== c.task) fail('PARENT_MISMATCH', at('commitment.task'), 'a follow-up belongs to its parent\'s task', parent.task, c.task);
    if (seed !== parent.seed) fail('SEED_MISMATCH', at('seed'), 'a follow-up carries its root draw\'s seed', parent.seed, seed);
    v = { ...parent, followUps: [...parent.followUps, c], commitmentHash: cHash, task: c.task };
  } else {
    if (r.parent !== undefined) fail('MALFORMED', at('parent'), 'a root draw has no parent');
    const pools = checkPools(c, r.pools, prefix, options.sha256);
    const revealed = parseRevealed(r.revealed, at('revealed'));
    checkRevealed(c.entropy, revealed, timestamp(c.committedAt, at('commitment.committedAt')), prefix);
    const expectedSeed = bytesToHex(drawSeed(hexToBytes(cHash), c.entropy, revealed));
    if (expectedSeed !== seed) fail('SEED_MISMATCH', at('seed'), 'seed differs from SHA-256(tag ‖ commitmentHash ‖ entropy)', expectedSeed, seed);
    v = { root: c, pools, seed, followUps: [], commitmentHash: cHash, task: c.task };
  }
  const expected = replayLineage(v.root, v.followUps, v.pools, hexToBytes(seed), prefix);
  const d = firstDifference(expected, r.result, at('result'));
  if (d) fail('RESULT_MISMATCH', d.path, 'replayed result differs', d.expected, d.actual);
  return v;
}

/** Verifies a public draw record; never throws. */
export function verifyDrawRecord(record: unknown, options: VerifyOptions = {}): VerifyResult {
  try {
    verify(record, '', options);
    return { ok: true };
  } catch (e) {
    if (e instanceof LotteryError) {
      return { ok: false, code: e.code, path: e.path, message: e.message, ...(e.expected !== undefined && { expected: e.expected }), ...(e.actual !== undefined && { actual: e.actual }) };
    }
    return { ok: false, code: 'MALFORMED', path: 'record', message: e instanceof Error ? e.message : String(e) };
  }
}

/** A JSON Pointer as the dotted path verdicts use: /a/0/b → a[0].b. */
function dotted(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^(0|[1-9][0-9]*)$/.test(seg) ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out || 'record';
}

/**
 * Verifies a record given as JSON text (a file, a download): a record must have exactly one
 * meaning, so text that repeats a name in any object is MALFORMED at that name (spec §8)
 * rather than read as JSON.parse would (last one wins). Never throws.
 */
export function verifyDrawRecordText(text: string, options: VerifyOptions = {}): VerifyResult {
  let record: unknown;
  try {
    record = parseJsonStrict(text);
  } catch (e) {
    if (e instanceof DuplicateKeyError) return { ok: false, code: 'MALFORMED', path: dotted(e.pointer), message: `duplicate key ${JSON.stringify(e.key)}: a record has exactly one meaning` };
    return { ok: false, code: 'MALFORMED', path: 'record', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  return verifyDrawRecord(record, options);
}

/**
 * verifyDrawRecordText on the record's UTF-8 bytes, with the same verdict (ok, code, path,
 * expected, actual), its member lists hashed straight from the bytes (record-bytes.ts): no JS
 * string per pool member. Falls back to the whole text where the packed reading does not apply.
 */
export function verifyDrawRecordBytes(bytes: Uint8Array, options: VerifyOptions = {}): VerifyResult {
  const parsed = parseRecordBytes(bytes);
  if (parsed === undefined) return verifyDrawRecordText(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), options);
  return verifyDrawRecord(parsed.record, options);
}
