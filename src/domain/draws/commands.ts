/**
 * The draw decider (V1–V3, L2, PL5, T7, T10). Pure: `now` and the actor come in the command
 * metadata; pools, counts and configuration are command data gathered by the application
 * service. The lottery-core (src/verify) builds and checks every byte of the draw.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import {
  DRAND_CHAINS, DRAND_MARGIN_SECONDS, commitDraw, drandRoundTime, verifyDrandSignature, witnessCommitment,
} from '../../verify/index.js';
import type { CommitInput, Committed, DrawRecord, EntropyPlan, RevealedEntropy } from '../../verify/index.js';
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import type { Counting, DrawEvent, DrawLimits, DrawPurpose, ReplacementReason } from './events.js';
import { checkRatioCap } from './l2.js';
import { tryLottery } from './lottery-error.js';
import { completeFollowUp, completeRoot, recordOf } from './record.js';
import {
  completedRoot, drawIdOf, evolveDrawSlot, findDraw, initialDrawSlotState, lineage, openDraw, parseDrawId,
  type DrawEntry, type DrawSlotState,
} from './state.js';
import { countedMembers } from './pl5.js';

type RootInput = Extract<CommitInput, { kind: 'targets' | 'experts' | 'batchOrder' | 'inspectorGroups' }>;
type WithoutBase<T> = T extends unknown ? Omit<T, 'drawId' | 'task' | 'purpose' | 'committedAt' | 'source'> : never;
type Source = CommitInput['source'];

export type CommitDraw = Command<'CommitDraw', {
  readonly task: string;
  /** The lottery input: its `kind` is the slot's purpose. */
  readonly input: WithoutBase<RootInput>;
  readonly source: Source;
  readonly revealDeadline: string;
  /** Default: the planned round's time + DRAND_FALLBACK_GRACE_SECONDS. */
  readonly drandFallbackAfter?: string;
  readonly limits: DrawLimits;
  readonly counting: Counting;
}>;
export type CommitReplacement = Command<'CommitReplacement', {
  readonly task: string;
  readonly purpose: 'inspectorGroups' | 'experts';
  readonly source: Source;
  readonly replacements: readonly { readonly member: string; readonly target?: string; readonly class?: string; readonly reason: ReplacementReason }[];
}>;
export type RevealWitness = Command<'RevealWitness', { readonly drawId: string; readonly witness: string; readonly secret: string }>;
export type RecordDrandBeacon = Command<'RecordDrandBeacon', { readonly drawId: string; readonly round: number; readonly signature: string }>;
export type RecordCeremonyValue = Command<'RecordCeremonyValue', { readonly drawId: string; readonly value: string }>;
/** `counts`: each counted member's random draws so far in the draw's year, read from the counter streams. */
export type CompleteDraw = Command<'CompleteDraw', { readonly drawId: string; readonly counts: { readonly [uscc: string]: number } }>;
export type AbandonDraw = Command<'AbandonDraw', { readonly drawId: string; readonly reason: string }>;

export type DrawCommand = CommitDraw | CommitReplacement | RevealWitness | RecordDrandBeacon | RecordCeremonyValue | CompleteDraw | AbandonDraw;

const writers = new Set(['operator', 'principal', 'admin', 'system']);
/** T10: a replacement needs approval; the approving principal is the one who commits it. */
const approvers = new Set(['principal', 'admin', 'system']);

function forbidden(action: string, rule: string): SuijiError {
  return new SuijiError('FORBIDDEN', { rule, action }, { zh: `${rule}：无权执行 ${action}`, en: `${rule}: not allowed to ${action}` });
}

/** G3: a draw belongs to the committing department; admin and system act for every department. */
function mayAct(command: DrawCommand, d: DrawEntry | null, action: string): SuijiError | null {
  const a = command.metadata.actor;
  if (!writers.has(a.role)) return forbidden(action, 'G3');
  if (d && a.role !== 'admin' && a.role !== 'system' && a.department !== d.department) return forbidden(action, 'G3');
  return null;
}

const notFound = (drawId: string): SuijiError =>
  new SuijiError('NOT_FOUND', { field: '/drawId', kind: 'draw', drawId }, { zh: `未找到摇号：${drawId}`, en: `draw not found: ${drawId}` });

function openForChange(state: DrawSlotState, drawId: string): DrawEntry | SuijiError {
  const d = findDraw(state, drawId);
  if (!d) return notFound(drawId);
  if (d.status !== 'committed') {
    return ruleViolation('V3', `摇号 ${drawId} 已${d.status === 'completed' ? '完成' : '废弃'}，不能再更改`, `draw ${drawId} is already ${d.status}`, {
      field: '/drawId',
      reason: 'DRAW_NOT_OPEN',
      status: d.status,
    });
  }
  return d;
}

/** The event schema's JSON type has mutable arrays; the lists themselves are shared, not copied. */
const mutablePools = (pools: Committed['pools']): { [hash: string]: string[] } =>
  Object.fromEntries(Object.entries(pools).map(([k, v]) => [k, v as string[]]));

const ms = (iso: string): number => Date.parse(iso);

/** V3: the slot must have no open draw; a second commitment while one is open is refused. */
function slotFree(state: DrawSlotState): SuijiError | null {
  const open = openDraw(state);
  if (!open) return null;
  return ruleViolation('V3', `同一任务同一用途已有未完成的摇号承诺 ${open.drawId}：请先完成或公开废弃`, `an open commitment already exists for this task and purpose: ${open.drawId}; complete or abandon it first`, {
    field: '/task',
    reason: 'DRAW_ALREADY_OPEN',
    openDrawId: open.drawId,
  });
}

/** How long after the planned drand round a missing beacon may be replaced by the fallback round, unless the commit says otherwise. */
export const DRAND_FALLBACK_GRACE_SECONDS = 60;

/**
 * V2/V3: no entropy may exist at commit, and each source must be fixed before the next one
 * exists, so nobody ever holds the last piece while able to change an earlier one:
 * ceremony value → witness reveals (by revealDeadline) → drand round (→ fallback after drandFallbackAfter).
 * Returns the fallback instant to record (null without drand).
 */
function checkTiming(plan: EntropyPlan, now: string, revealDeadline: string, fallbackAfter: string | undefined): string | null | SuijiError {
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
  if (at < ms(now) + DRAND_MARGIN_SECONDS * 1000) {
    return bad(`drand 轮次必须在承诺后至少 ${DRAND_MARGIN_SECONDS} 秒才发布`, `the drand round must be published at least ${DRAND_MARGIN_SECONDS} s after the commitment`, '/input/entropy/drand/round');
  }
  if (plan.witnesses && !(at > ms(revealDeadline))) {
    // Otherwise the last witness would know the beacon and could choose to withhold.
    return bad('使用见证人时，drand 轮次必须在见证人揭示截止之后发布', 'with witnesses, the drand round must be published after the witness reveal deadline', '/revealDeadline');
  }
  const fallback = fallbackAfter ?? new Date(at + DRAND_FALLBACK_GRACE_SECONDS * 1000).toISOString();
  if (!(ms(fallback) > at)) return bad('备用轮次启用时间必须晚于承诺轮次', 'the fallback must start after the planned round', '/drandFallbackAfter');
  if (plan.drand.fallbackRound !== undefined && drandRoundTime(chain, plan.drand.fallbackRound) * 1000 <= ms(fallback)) {
    // The fallback is used only after drandFallbackAfter; it must still be unknown then (V3).
    return bad('备用 drand 轮次必须在备用启用时间之后发布', 'the fallback drand round must be published after the fallback starts', '/input/entropy/drand/fallbackRound');
  }
  return fallback;
}

function commit(command: CommitDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const { task, input, source, revealDeadline, drandFallbackAfter, limits, counting } = command.data;
  const { now } = command.metadata;
  const purpose: DrawPurpose = input.kind;
  const denied = mayAct(command, null, 'draw.commit');
  if (denied) return denied;
  const busy = slotFree(state);
  if (busy) return busy;
  const done = completedRoot(state);
  if (done) {
    // V3: re-drawing a completed draw would let an actor choose among outcomes.
    return ruleViolation('V3', `任务已完成摇号 ${done.drawId}，不能重新摇号（仅可按规定替换）`, `the task already has a completed draw ${done.drawId}; it cannot be drawn again (only replaced as allowed)`, {
      field: '/task',
      reason: 'DRAW_ALREADY_COMPLETED',
      drawId: done.drawId,
    });
  }
  const fallbackAfter = checkTiming(input.entropy, now, revealDeadline, drandFallbackAfter);
  if (fallbackAfter instanceof SuijiError) return fallbackAfter;
  if ((purpose === 'targets' || purpose === 'batchOrder') && !limits) {
    return ruleViolation('L2', '抽取检查对象须说明检查事项及其类别', 'a target draw must name its item and category', { field: '/limits' });
  }
  const drawId = drawIdOf(task, purpose, state.draws.length + 1);
  const built = tryLottery(() => commitDraw({ ...input, drawId, task, purpose, committedAt: now, source }));
  if (built instanceof SuijiError) return built;
  const c = built.commitment;
  if ((c.kind === 'targets' || c.kind === 'batchOrder') && limits) {
    const over = checkRatioCap(c.kind, c.classes, limits);
    if (over) return over;
  }
  return [
    {
      type: 'DrawCommitted',
      payload: {
        drawId,
        task,
        purpose,
        department: command.metadata.actor.department,
        commitment: { ...c },
        commitmentHash: built.commitmentHash,
        pools: mutablePools(built.pools),
        revealDeadline,
        drandFallbackAfter: fallbackAfter,
        limits,
        // PL5 (十三): only general items count; key items serve key fields, exempt from ratio and frequency limits.
        counting: (c.kind === 'targets' || c.kind === 'batchOrder') && limits?.category === 'general' ? counting : null,
      },
    },
  ];
}

function commitReplacement(command: CommitReplacement, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const { task, purpose, source, replacements } = command.data;
  const { actor, now } = command.metadata;
  if (!approvers.has(actor.role)) return forbidden('draw.replace (approval by the principal)', 'T10');
  const busy = slotFree(state);
  if (busy) return busy;
  const chain = lineage(state);
  const last = chain[chain.length - 1];
  if (!last) return ruleViolation('T10', '没有已完成的摇号可供替换', 'no completed draw to replace in', { field: '/task', reason: 'NO_COMPLETED_DRAW' });
  const denied = mayAct(command, last, 'draw.replace');
  if (denied) return denied;
  const drawId = drawIdOf(task, purpose, state.draws.length + 1);
  const built = tryLottery(() =>
    commitDraw({
      kind: 'replacement',
      drawId,
      task,
      purpose,
      committedAt: now,
      source,
      parent: last.commitmentHash,
      replacements: replacements.map((r) => ({ ...r, approver: actor.userId })),
    }),
  );
  if (built instanceof SuijiError) return built;
  // The replacement is fixed by the root's streams (spec §7.4); a dry run refuses one that cannot apply.
  const parent = recordOf(state, last);
  if (parent instanceof SuijiError) return parent;
  const dry = tryLottery(() => completeFollowUp(built, parent), 'T10');
  if (dry instanceof SuijiError) return dry;
  return [
    {
      type: 'DrawCommitted',
      payload: {
        drawId, task, purpose, department: last.department, commitment: { ...built.commitment }, commitmentHash: built.commitmentHash,
        pools: {}, revealDeadline: now, drandFallbackAfter: null, limits: null, counting: null,
      },
    },
  ];
}

function revealWitness(command: RevealWitness, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const d = openForChange(state, command.data.drawId);
  if (d instanceof SuijiError) return d;
  const denied = mayAct(command, d, 'draw.reveal');
  if (denied) return denied;
  const c = d.commitment;
  const plan = c.kind === 'extension' || c.kind === 'replacement' ? undefined : c.entropy.witnesses;
  const { witness, secret } = command.data;
  const member = plan?.members.find((m) => m.id === witness);
  if (!member) return new SuijiError('VALIDATION_FAILED', { field: '/witness', witness }, { zh: `见证人 ${witness} 不在承诺中`, en: `witness ${witness} is not in the commitment` });
  if (c.kind !== 'extension' && c.kind !== 'replacement' && c.entropy.ceremony && d.ceremony === undefined) {
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

function recordDrand(command: RecordDrandBeacon, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const d = openForChange(state, command.data.drawId);
  if (d instanceof SuijiError) return d;
  const denied = mayAct(command, d, 'draw.reveal');
  if (denied) return denied;
  const c = d.commitment;
  const plan = c.kind === 'extension' || c.kind === 'replacement' ? undefined : c.entropy.drand;
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

function recordCeremony(command: RecordCeremonyValue, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const d = openForChange(state, command.data.drawId);
  if (d instanceof SuijiError) return d;
  const denied = mayAct(command, d, 'draw.reveal');
  if (denied) return denied;
  const c = d.commitment;
  const entropy = c.kind === 'extension' || c.kind === 'replacement' ? undefined : c.entropy;
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

const waiting = (zh: string, en: string, reason: string): SuijiError => ruleViolation('V3', zh, en, { field: '/drawId', reason });

/**
 * V3: the revealed entropy once the plan is satisfied, or its pre-declared fallback applies
 * (missing witnesses after the deadline when the plan says proceed). Otherwise an error saying
 * what is still awaited, or that the plan requires abandoning.
 */
export function revealedFor(d: DrawEntry, now: string): RevealedEntropy | SuijiError {
  const c = d.commitment;
  if (c.kind === 'extension' || c.kind === 'replacement') return waiting('后续摇号不揭示熵', 'a follow-up reveals no entropy', 'FOLLOW_UP');
  const plan = c.entropy;
  const past = ms(now) >= ms(d.revealDeadline);
  const fallbackOpen = d.drandFallbackAfter !== null && ms(now) >= ms(d.drandFallbackAfter);
  const out: { drand?: RevealedEntropy['drand']; witnesses?: RevealedEntropy['witnesses']; ceremony?: RevealedEntropy['ceremony'] } = {};
  if (plan.drand) {
    if (!d.drand) {
      return fallbackOpen && plan.drand.fallbackRound === undefined
        ? waiting('承诺的 drand 轮次未按时记录且无备用轮次：须公开废弃此摇号', 'the drand round was not recorded in time and there is no fallback: abandon the draw', 'MUST_ABANDON')
        : waiting('等待 drand 轮次', 'waiting for the drand round', 'AWAITING_DRAND');
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
    if (d.ceremony === undefined) return waiting('等待现场仪式值', 'waiting for the ceremony value', 'AWAITING_CEREMONY');
    out.ceremony = { value: d.ceremony };
  }
  return out;
}

export interface CompletionPreview {
  readonly draw: DrawEntry;
  readonly record: DrawRecord;
  /** PL5: the selected members that count against the yearly cap (selected, not exempt); [] when the draw is not counted. */
  readonly counted: readonly string[];
}

/**
 * Everything a completion decides except the PL5 counts: the service calls this first to learn
 * which counter streams to read, then `decide(CompleteDraw)` with the counts it read.
 */
export function previewCompletion(state: DrawSlotState, drawId: string, now: string): CompletionPreview | SuijiError {
  const d = openForChange(state, drawId);
  if (d instanceof SuijiError) return d;
  const committed = { commitment: d.commitment, commitmentHash: d.commitmentHash, pools: d.pools };
  let record: DrawRecord | SuijiError;
  if (d.commitment.kind === 'replacement' || d.commitment.kind === 'extension') {
    const chain = lineage(state);
    const last = chain[chain.length - 1];
    if (!last) return waiting('没有可延续的已完成摇号', 'no completed draw to continue', 'NO_PARENT');
    const parent = recordOf(state, last);
    if (parent instanceof SuijiError) return parent;
    record = tryLottery(() => completeFollowUp(committed, parent), 'T10');
  } else {
    const revealed = revealedFor(d, now);
    if (revealed instanceof SuijiError) return revealed;
    record = tryLottery(() => completeRoot(committed, revealed), 'V3');
  }
  if (record instanceof SuijiError) return record;
  const selected = 'merged' in record.result ? record.result.merged : [];
  return { draw: d, record, counted: d.counting ? countedMembers(selected, d.counting.exempt) : [] };
}

function complete(command: CompleteDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const found = findDraw(state, command.data.drawId);
  const denied = mayAct(command, found ?? null, 'draw.complete');
  if (denied) return denied;
  const p = previewCompletion(state, command.data.drawId, command.metadata.now);
  if (p instanceof SuijiError) return p;
  const { draw: d, record, counted } = p;
  if (d.counting) {
    const { cap, year } = d.counting;
    const counts = command.data.counts;
    // A member whose count was not supplied is treated as full: never let an unknown through (PL5).
    const over = counted.filter((id) => !((counts[id] ?? cap) < cap));
    if (over.length > 0) {
      return ruleViolation(
        'PL5',
        `${over.length} 个主体在 ${year} 年度已达随机抽查上限 ${cap} 次（已被并发摇号占用）：须公开废弃此摇号后重新摇号`,
        `${over.length} entities already reached the yearly cap of ${cap} random draws in ${year} (taken by a concurrent draw): abandon this draw and draw again`,
        { field: '/drawId', reason: 'YEARLY_CAP_REACHED', entities: over.slice(0, 100), year, cap },
      );
    }
  }
  return [
    {
      type: 'DrawCompleted',
      payload: { drawId: d.drawId, commitmentHash: d.commitmentHash, revealed: record.revealed ? { ...record.revealed } : null, seed: record.seed, result: { ...record.result } },
    },
  ];
}

function abandon(command: AbandonDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const d = openForChange(state, command.data.drawId);
  if (d instanceof SuijiError) return d;
  const denied = mayAct(command, d, 'draw.abandon');
  if (denied) return denied;
  return [{ type: 'DrawAbandoned', payload: { drawId: d.drawId, commitmentHash: d.commitmentHash, reason: command.data.reason } }];
}

/** The slot a command addresses, so the service knows which stream to load. */
export function slotOf(command: DrawCommand): { task: string; purpose: DrawPurpose } | null {
  switch (command.type) {
    case 'CommitDraw':
      return { task: command.data.task, purpose: command.data.input.kind };
    case 'CommitReplacement':
      return { task: command.data.task, purpose: command.data.purpose };
    default: {
      const p = parseDrawId(command.data.drawId);
      return p && { task: p.task, purpose: p.purpose };
    }
  }
}

function decide(command: DrawCommand, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  switch (command.type) {
    case 'CommitDraw':
      return commit(command, state);
    case 'CommitReplacement':
      return commitReplacement(command, state);
    case 'RevealWitness':
      return revealWitness(command, state);
    case 'RecordDrandBeacon':
      return recordDrand(command, state);
    case 'RecordCeremonyValue':
      return recordCeremony(command, state);
    case 'CompleteDraw':
      return complete(command, state);
    case 'AbandonDraw':
      return abandon(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const drawDecider: Decider<DrawCommand, DrawEvent, DrawSlotState> = {
  initialState: initialDrawSlotState,
  decide,
  evolve: evolveDrawSlot,
};
