/**
 * Entropy after the commitment (V2, V3): each source is checked when it is revealed — witness
 * secrets against their hashes, drand rounds by BLS, ceremony values by alphabet — and fixed in
 * order, so nobody ever holds the last piece while able to change an earlier one.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { DRAND_CHAINS, DRAND_MARGIN_SECONDS, drandRoundTime, verifyDrandSignature, witnessCommitment } from '../../verify/index.js';
import type { DrandChain, EntropyPlan, RevealedEntropy } from '../../verify/index.js';
import { SuijiError, ruleViolation } from '../errors.js';
import type { RecordCeremonyValue, RecordDrandBeacon, RevealWitness } from './commands.js';
import type { DrawEvent } from './events.js';
import { mayAct, ms, openForChange, waiting } from './guard.js';
import { findDraw, type DrawEntry, type DrawSlotState } from './state.js';

/** How long after the planned drand round a missing beacon may be replaced by the fallback round, unless the commit says otherwise. */
export const DRAND_FALLBACK_GRACE_SECONDS = 60;

/**
 * V2/V3: no entropy may exist at commit, and each source must be fixed before the next one
 * exists, so nobody ever holds the last piece while able to change an earlier one:
 * ceremony value → witness reveals (by revealDeadline) → drand round (→ fallback after drandFallbackAfter).
 * Returns the fallback instant to record (null without drand).
 */
export function checkTiming(plan: EntropyPlan, now: string, revealDeadline: string, fallbackAfter: string | undefined): string | null | SuijiError {
  const bad = (zh: string, en: string, field: string): SuijiError => ruleViolation('V2', zh, en, { field });
  if (!plan.drand && !plan.witnesses) {
    // V3: a ceremony value is typed in by the operator; alone it would let one actor try seeds privately.
    return ruleViolation('V3', '现场仪式值不能作为唯一熵源：须同时使用 drand 公共信标或见证人承诺', 'a ceremony value cannot be the only entropy: add a drand round or witness commitments', {
      field: '/input/entropy',
    });
  }
  if (!(ms(revealDeadline) > ms(now))) return bad('揭示截止时间必须晚于承诺时间', 'the reveal deadline must be after the commitment', '/revealDeadline');
  if (!plan.drand) return null;
  const chain = DRAND_CHAINS[plan.drand.chainHash];
  if (!chain) return bad('未知的 drand 链', 'unknown drand chain', '/input/entropy/drand/chainHash');
  const at = drandRoundTime(chain, plan.drand.round) * 1000;
  // Issue 8 §4: a refusal names the earliest round that would be accepted, so the operator can fix it in one try.
  const earliest = Math.max(firstRoundAtOrAfter(chain, ms(now) + DRAND_MARGIN_SECONDS * 1000), plan.witnesses ? firstRoundAtOrAfter(chain, ms(revealDeadline) + 1) : 1);
  const tooEarly = (zh: string, en: string, field: string): SuijiError => {
    const publishedAt = new Date(drandRoundTime(chain, earliest) * 1000).toISOString();
    return ruleViolation('V2', `${zh}；最早可接受的轮次为 ${earliest}（${publishedAt} 发布）`, `${en}; the earliest acceptable round is ${earliest} (published ${publishedAt})`, {
      field,
      round: plan.drand!.round,
      earliestRound: earliest,
      earliestRoundPublishedAt: publishedAt,
    });
  };
  if (at < ms(now) + DRAND_MARGIN_SECONDS * 1000) {
    return tooEarly(`drand 轮次必须在承诺后至少 ${DRAND_MARGIN_SECONDS} 秒才发布`, `the drand round must be published at least ${DRAND_MARGIN_SECONDS} s after the commitment`, '/input/entropy/drand/round');
  }
  if (plan.witnesses && !(at > ms(revealDeadline))) {
    // Otherwise the last witness would know the beacon and could choose to withhold.
    return tooEarly('使用见证人时，drand 轮次必须在见证人揭示截止之后发布', 'with witnesses, the drand round must be published after the witness reveal deadline', '/revealDeadline');
  }
  const fallback = fallbackAfter ?? new Date(at + DRAND_FALLBACK_GRACE_SECONDS * 1000).toISOString();
  if (!(ms(fallback) > at)) return bad('备用轮次启用时间必须晚于承诺轮次', 'the fallback must start after the planned round', '/drandFallbackAfter');
  if (plan.drand.fallbackRound !== undefined && drandRoundTime(chain, plan.drand.fallbackRound) * 1000 <= ms(fallback)) {
    // The fallback is used only after drandFallbackAfter; it must still be unknown then (V3).
    const first = firstRoundAtOrAfter(chain, ms(fallback) + 1);
    return ruleViolation('V2', `备用 drand 轮次必须在备用启用时间之后发布；最早可接受的备用轮次为 ${first}`, `the fallback drand round must be published after the fallback starts; the earliest acceptable fallback round is ${first}`, {
      field: '/input/entropy/drand/fallbackRound',
      fallbackRound: plan.drand.fallbackRound,
      earliestRound: first,
    });
  }
  return fallback;
}

/** The first round of `chain` published at or after `atMs` (Unix ms): round R is out at genesis + (R − 1) × period. */
export function firstRoundAtOrAfter(chain: DrandChain, atMs: number): number {
  let round = Math.max(1, Math.ceil((atMs / 1000 - chain.genesisTime) / chain.periodSeconds) + 1);
  // Float division can land one off at an exact boundary; settle on the exact integer comparison.
  while (round > 1 && drandRoundTime(chain, round - 1) * 1000 >= atMs) round -= 1;
  while (drandRoundTime(chain, round) * 1000 < atMs) round += 1;
  return round;
}

/** The entropy plan of a root draw; follow-ups (extension, replacement) reveal none. */
export const entropyOf = (d: DrawEntry): EntropyPlan | undefined => {
  const c = d.commitment;
  return c.kind === 'extension' || c.kind === 'replacement' ? undefined : c.entropy;
};

/** The open draw a reveal names, with its entropy plan, once the actor may reveal for it. */
function openForReveal(command: RevealWitness | RecordDrandBeacon | RecordCeremonyValue, state: DrawSlotState): { d: DrawEntry; entropy: EntropyPlan | undefined } | SuijiError {
  // Issue 7 §3: who may act is decided before anything about the draw's state is told.
  const denied = mayAct(command, findDraw(state, command.data.drawId) ?? null, 'draw.reveal');
  if (denied) return denied;
  const d = openForChange(state, command.data.drawId);
  if (d instanceof SuijiError) return d;
  return { d, entropy: entropyOf(d) };
}

export function revealWitness(command: RevealWitness, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const open = openForReveal(command, state);
  if (open instanceof SuijiError) return open;
  const { d, entropy } = open;
  const plan = entropy?.witnesses;
  const { witness, secret } = command.data;
  const member = plan?.members.find((m) => m.id === witness);
  if (!member) return new SuijiError('VALIDATION_FAILED', { field: '/witness', witness }, { zh: `见证人 ${witness} 不在承诺中`, en: `witness ${witness} is not in the commitment` });
  if (entropy?.ceremony && d.ceremony === undefined) {
    return ruleViolation('V3', '须先记录现场仪式值，见证人才能揭示', 'the ceremony value must be recorded before witnesses reveal', { field: '/witness', reason: 'AWAITING_CEREMONY' });
  }
  if (d.witnesses[witness] !== undefined) return ruleViolation('V3', `见证人 ${witness} 已揭示`, `witness ${witness} has already revealed`, { field: '/witness', reason: 'ALREADY_REVEALED' });
  if (!(ms(command.metadata.now) < ms(d.revealDeadline))) {
    return ruleViolation('V3', '已过揭示截止时间', 'the reveal deadline has passed', { field: '/secret', reason: 'REVEAL_TOO_LATE', revealDeadline: d.revealDeadline });
  }
  const got = witnessCommitment(secret);
  if (got !== member.commitment) {
    return ruleViolation('V3', `见证人 ${witness} 揭示的秘密与承诺不符`, `witness ${witness}'s secret does not match the commitment`, {
      field: '/secret',
      lotteryCode: 'WITNESS_REVEAL_MISMATCH',
      expected: member.commitment,
      actual: got,
    });
  }
  return [{ type: 'WitnessSecretRevealed', payload: { drawId: d.drawId, witness, secret } }];
}

export function recordDrand(command: RecordDrandBeacon, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const open = openForReveal(command, state);
  if (open instanceof SuijiError) return open;
  const { d, entropy } = open;
  const plan = entropy?.drand;
  if (!plan) return new SuijiError('VALIDATION_FAILED', { field: '/round' }, { zh: '此摇号的熵计划不含 drand', en: 'this draw plans no drand round' });
  if (d.drand) return ruleViolation('V3', 'drand 轮次已记录', 'a drand round is already recorded', { field: '/round', reason: 'ALREADY_REVEALED' });
  const { round, signature } = command.data;
  const fallbackOpen = d.drandFallbackAfter !== null && ms(command.metadata.now) >= ms(d.drandFallbackAfter);
  if (round !== plan.round && !(round === plan.fallbackRound && fallbackOpen)) {
    return ruleViolation('V3', `drand 轮次 ${round} 不是承诺的轮次${plan.fallbackRound ? `（备用轮次 ${d.drandFallbackAfter} 起可用）` : ''}`, `drand round ${round} is not the committed round${plan.fallbackRound ? ` (the fallback from ${d.drandFallbackAfter})` : ''}`, {
      field: '/round',
      lotteryCode: 'DRAND_ROUND_NOT_PLANNED',
      expected: plan.round,
      actual: round,
    });
  }
  const chain = DRAND_CHAINS[plan.chainHash];
  if (!chain || !verifyDrandSignature(chain, round, signature)) {
    return ruleViolation('V3', 'drand 签名校验失败', 'the drand BLS signature does not verify', { field: '/signature', lotteryCode: 'DRAND_SIGNATURE_INVALID' });
  }
  const randomness = bytesToHex(sha256(hexToBytes(signature)));
  return [{ type: 'DrandBeaconRecorded', payload: { drawId: d.drawId, round, signature, randomness } }];
}

export function recordCeremony(command: RecordCeremonyValue, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const open = openForReveal(command, state);
  if (open instanceof SuijiError) return open;
  const { d, entropy } = open;
  const plan = entropy?.ceremony;
  if (!plan) return new SuijiError('VALIDATION_FAILED', { field: '/value' }, { zh: '此摇号的熵计划不含现场仪式', en: 'this draw plans no ceremony value' });
  if (d.ceremony !== undefined) return ruleViolation('V3', '现场仪式值已记录', 'a ceremony value is already recorded', { field: '/value', reason: 'ALREADY_REVEALED' });
  const drand = entropy?.drand;
  const chain = drand && DRAND_CHAINS[drand.chainHash];
  const beaconOut = drand !== undefined && (!chain || ms(command.metadata.now) >= drandRoundTime(chain, drand.round) * 1000);
  if (Object.keys(d.witnesses).length > 0 || beaconOut) {
    // Recorded after other entropy is known, a typed-in value could be chosen to steer the seed.
    return ruleViolation('V3', '其他熵源已公开，不能再记录现场仪式值：须公开废弃此摇号', 'other entropy is already known; the ceremony value can no longer be recorded: abandon the draw', {
      field: '/value',
      reason: 'CEREMONY_TOO_LATE',
    });
  }
  const chars = [...command.data.value];
  if (chars.length !== plan.length || chars.some((ch) => !plan.alphabet.includes(ch))) {
    return ruleViolation('V3', `现场仪式值须为 ${plan.length} 个取自 ${plan.alphabet} 的字符`, `the ceremony value must be ${plan.length} characters from ${plan.alphabet}`, {
      field: '/value',
      lotteryCode: 'CEREMONY_INVALID',
    });
  }
  return [{ type: 'CeremonyValueRecorded', payload: { drawId: d.drawId, value: command.data.value } }];
}

/**
 * V3 (issue 7 §1): the instant after which a missing fallback round counts as unobtainable —
 * its publication time plus the same grace as the planned round. Before it, the draw waits; the
 * round is public, so anyone may record it and the server completes the draw.
 */
function fallbackGiveUp(plan: NonNullable<EntropyPlan['drand']>): number | null {
  const chain = DRAND_CHAINS[plan.chainHash];
  if (!chain || plan.fallbackRound === undefined) return null;
  return (drandRoundTime(chain, plan.fallbackRound) + DRAND_FALLBACK_GRACE_SECONDS) * 1000;
}

/**
 * V3: the revealed entropy once the plan is satisfied, or its pre-declared fallback applies
 * (missing witnesses after the deadline when the plan says proceed). Otherwise an error saying
 * what is still awaited, or that the plan requires abandoning.
 */
export function revealedFor(d: DrawEntry, now: string): RevealedEntropy | SuijiError {
  const plan = entropyOf(d);
  if (!plan) return waiting('后续摇号不揭示熵', 'a follow-up reveals no entropy', 'FOLLOW_UP');
  const past = ms(now) >= ms(d.revealDeadline);
  const fallbackOpen = d.drandFallbackAfter !== null && ms(now) >= ms(d.drandFallbackAfter);
  const out: { drand?: RevealedEntropy['drand']; witnesses?: RevealedEntropy['witnesses']; ceremony?: RevealedEntropy['ceremony'] } = {};
  if (plan.drand) {
    if (!d.drand) {
      if (fallbackOpen && plan.drand.fallbackRound === undefined) {
        return waiting('承诺的 drand 轮次未按时记录且无备用轮次：须公开废弃此摇号', 'the drand round was not recorded in time and there is no fallback: abandon the draw', 'MUST_ABANDON');
      }
      const giveUp = fallbackGiveUp(plan.drand);
      if (fallbackOpen && giveUp !== null && ms(now) >= giveUp) {
        return waiting('承诺的 drand 轮次与备用轮次均未按时记录：须公开废弃此摇号', 'neither the drand round nor its fallback was recorded in time: abandon the draw', 'MUST_ABANDON');
      }
      return waiting('等待 drand 轮次', 'waiting for the drand round', 'AWAITING_DRAND');
    }
    out.drand = d.drand;
  }
  if (plan.witnesses) {
    const w = plan.witnesses;
    const entries = w.members.map((m) => ({ id: m.id, secret: d.witnesses[m.id] ?? null }));
    const revealed = entries.filter((e) => e.secret !== null).length;
    if (revealed < entries.length) {
      if (!past) return waiting(`等待见证人揭示（${revealed}/${entries.length}）`, `waiting for witness reveals (${revealed}/${entries.length})`, 'AWAITING_WITNESSES');
      if (w.onMissing === 'abandon' || revealed < w.minReveals) {
        return waiting('见证人未全部按时揭示，按预定规则须公开废弃此摇号', 'witnesses did not reveal in time; the pre-declared rule requires abandoning the draw', 'MUST_ABANDON');
      }
    }
    out.witnesses = entries;
  }
  if (plan.ceremony) {
    if (d.ceremony === undefined) {
      const chain = plan.drand && DRAND_CHAINS[plan.drand.chainHash];
      // recordCeremony refuses a value once the beacon is out; from then on the plan can never be met.
      if (plan.drand && (!chain || ms(now) >= drandRoundTime(chain, plan.drand.round) * 1000)) {
        return waiting('现场仪式值未在 drand 轮次发布前记录：须公开废弃此摇号', 'the ceremony value was not recorded before the drand round: abandon the draw', 'MUST_ABANDON');
      }
      return waiting('等待现场仪式值', 'waiting for the ceremony value', 'AWAITING_CEREMONY');
    }
    out.ceremony = { value: d.ceremony };
  }
  return out;
}
