/**
 * The replay of a draw as the public page shows it (issue 11, V4): one row per check, in the
 * order an auditor reasons — commitment, pools, entropy (drand BLS signature, witnesses'
 * hashes, ceremony), seed, result (verifyDrawRecord, docs/lottery-spec.md §9), then the ledger:
 * checkpoint signature, inclusion proofs, binding (anchor.ts). A check after the first failure
 * of the record's own replay is "not reached": verifyDrawRecord stops at the first difference.
 * Pure and browser-safe; the page's script only renders what this returns.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { anchorDrawRecord, type AnchorCheck } from './anchor.js';
import { commitmentHash, verifyDrawRecord, type LotteryErrorCode, type VerifyResult } from './lottery/index.js';
import type { VerifierKey } from './note.js';

export type ReplayStage = 'commitment' | 'pools' | 'entropy' | 'seed' | 'result' | 'signature' | 'inclusion' | 'binding';
export type ReplayStatus = 'pass' | 'fail' | 'skipped';

export interface ReplayCheck {
  readonly stage: ReplayStage;
  readonly status: ReplayStatus;
  /** What was checked, or where and why it broke. */
  readonly detail: string;
  readonly code?: string;
  readonly path?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export interface ReplayReport {
  /** pass: the record replays and (when a proof was given) is anchored in the signed ledger. */
  readonly verdict: 'pass' | 'fail';
  /** The record is an abandoned draw's export (its result, if any, was not taken). */
  readonly abandoned: boolean;
  /** A proof bundle and a log key were given and every ledger check ran. */
  readonly anchored: boolean;
  readonly checks: readonly ReplayCheck[];
}

export const STAGE_LABELS: Readonly<Record<ReplayStage, string>> = {
  commitment: '承诺哈希',
  pools: '名录哈希',
  entropy: '随机源',
  seed: '种子',
  result: '抽取结果',
  signature: '检查点签名',
  inclusion: '包含证明',
  binding: '记录与账本一致',
};

/** English names of the checks (shown under the Chinese, and in docs). */
export const STAGE_LABELS_EN: Readonly<Record<ReplayStage, string>> = {
  commitment: 'commitment hash',
  pools: 'pool hashes',
  entropy: 'entropy (drand BLS, witnesses, ceremony)',
  seed: 'seed',
  result: 'result',
  signature: 'checkpoint signature',
  inclusion: 'inclusion proofs',
  binding: 'record = ledger events',
};

const RECORD_STAGES = ['commitment', 'pools', 'entropy', 'seed', 'result'] as const;

/** The record stage a lottery error code belongs to (spec §9 checks in this order). */
export function stageOf(code: LotteryErrorCode): (typeof RECORD_STAGES)[number] {
  if (code.startsWith('POOL') || code === 'EXCLUDED_IN_POOL') return 'pools';
  if (code.startsWith('DRAND') || code.startsWith('WITNESS') || code === 'CEREMONY_INVALID' || code === 'ENTROPY_INVALID') return 'entropy';
  if (code === 'SEED_MISMATCH') return 'seed';
  if (code === 'RESULT_MISMATCH') return 'result';
  return 'commitment';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the entropy plan asks for, in words, so a passing row says what it covered. */
function entropyParts(record: unknown): string {
  let r: unknown = record;
  while (isObject(r) && isObject(r.parent)) r = r.parent;
  const plan = isObject(r) && isObject(r.commitment) && isObject(r.commitment.entropy) ? r.commitment.entropy : {};
  const parts: string[] = [];
  if (isObject(plan.drand)) parts.push(`drand 第 ${String(plan.drand.round)} 轮 BLS 签名 (round ${String(plan.drand.round)} BLS signature)`);
  if (isObject(plan.witnesses) && Array.isArray(plan.witnesses.members)) parts.push(`见证人 ${plan.witnesses.members.length} 人的承诺哈希 (${plan.witnesses.members.length} witnesses' hashes)`);
  if (isObject(plan.ceremony)) parts.push(`现场仪式值 (ceremony value)`);
  return parts.join('；') || '—';
}

function recordChecks(v: VerifyResult, record: unknown, prefix: string): ReplayCheck[] {
  const failedAt = v.ok ? undefined : stageOf(v.code);
  let reached = true;
  return RECORD_STAGES.map((stage): ReplayCheck => {
    if (!reached) return { stage, status: 'skipped', detail: '未检查：前一步已失败 (not reached: an earlier check failed)' };
    if (!v.ok && stage === failedAt) {
      reached = false;
      return {
        stage, status: 'fail', code: v.code, path: `${prefix}${v.path}`, detail: `${v.code} @ ${prefix}${v.path}: ${v.message}`,
        ...(v.expected !== undefined && { expected: v.expected }), ...(v.actual !== undefined && { actual: v.actual }),
      };
    }
    return { stage, status: 'pass', detail: stage === 'entropy' ? entropyParts(record) : '重算一致 (recomputed, equal)' };
  });
}

/** An abandoned draw's export: its commitment hash, and its would-be record when the entropy fixed one. */
function abandonedChecks(record: Record<string, unknown>): ReplayCheck[] {
  let hash: string | undefined;
  try {
    hash = bytesToHex(commitmentHash(record.commitment as never));
  } catch {
    hash = undefined;
  }
  if (hash === undefined || hash !== record.commitmentHash) {
    return [
      { stage: 'commitment', status: 'fail', code: 'COMMITMENT_HASH_MISMATCH', path: 'commitmentHash', detail: 'SHA-256(tag ‖ JCS(commitment)) differs', expected: hash, actual: record.commitmentHash },
      ...RECORD_STAGES.slice(1).map((stage): ReplayCheck => ({ stage, status: 'skipped', detail: '未检查 (not reached)' })),
    ];
  }
  if (record.wouldHaveBeen === null || record.wouldHaveBeen === undefined) {
    return [
      { stage: 'commitment', status: 'pass', detail: '重算一致 (recomputed, equal)' },
      ...RECORD_STAGES.slice(1).map((stage): ReplayCheck => ({ stage, status: 'skipped', detail: '已放弃，未产生结果 (abandoned before a result was fixed)' })),
    ];
  }
  return recordChecks(verifyDrawRecord(record.wouldHaveBeen), record.wouldHaveBeen, 'wouldHaveBeen.');
}

function ledgerChecks(record: unknown, proof: unknown, keys: readonly VerifierKey[]): ReplayCheck[] {
  const report = anchorDrawRecord(record, proof, keys);
  const byStage = (stage: 'signature' | 'inclusion' | 'binding', of: readonly AnchorCheck['check'][]): ReplayCheck => {
    const mine = report.checks.filter((c) => of.includes(c.check));
    const bad = mine.find((c) => !c.ok);
    if (bad) {
      return {
        stage, status: 'fail', path: bad.path, detail: `${bad.path}: ${bad.message}`,
        ...(bad.expected !== undefined && { expected: bad.expected }), ...(bad.actual !== undefined && { actual: bad.actual }),
      };
    }
    if (mine.length === 0) return { stage, status: 'skipped', detail: '未检查：前一步已失败 (not reached)' };
    const cp = report.checkpoint;
    const n = report.anchored.size;
    const summary: Record<typeof stage, string> = {
      signature: `${mine.find((c) => c.check === 'signature')?.message ?? ''}（账本长度 size ${cp?.size ?? '?'}）`,
      inclusion: `${n} 个事件的叶哈希与包含证明均通向检查点根哈希 (${n} events proven under root ${cp?.root.slice(0, 16) ?? ''}…)`,
      binding: mine.map((c) => c.message).join('；'),
    };
    return { stage, status: 'pass', detail: summary[stage] };
  };
  return [byStage('signature', ['bundle', 'checkpoint', 'signature']), byStage('inclusion', ['leaf', 'inclusion']), byStage('binding', ['binding'])];
}

/**
 * Replays a record for display. `proof` and `keys` absent: only the record's own replay runs and
 * the ledger rows say so (a record alone is never "pass": internal consistency does not say
 * which ledger drew it, docs/draws.md §6).
 */
export function replayDraw(record: unknown, proof?: unknown, keys: readonly VerifierKey[] = []): ReplayReport {
  const abandoned = isObject(record) && record.format === 'suiji-abandoned-draw/1';
  const own = abandoned ? abandonedChecks(record as Record<string, unknown>) : recordChecks(verifyDrawRecord(record), record, '');
  const anchored = proof !== undefined && proof !== null && keys.length > 0;
  const ledger: ReplayCheck[] = anchored
    ? ledgerChecks(record, proof, keys)
    : (['signature', 'inclusion', 'binding'] as const).map((stage) => ({ stage, status: 'fail' as const, detail: '没有账本证明或日志公钥 (no ledger proof or log key given)' }));
  const checks = [...own, ...ledger];
  return { verdict: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass', abandoned, anchored, checks };
}
