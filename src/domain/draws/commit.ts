/** Committing a draw (V1, V2, L2, PL5) and its follow-ups: T10/E8 replacements and extensions (spec §7.3, §7.4, §7.6). */
import type { CommitInput, Committed } from '../../verify/index.js';
import { commitDraw } from '../../verify/index.js';
import { SuijiError, ruleViolation } from '../errors.js';
import type { CommitDraw, CommitExtension, CommitReplacement } from './commands.js';
import { checkTiming } from './entropy.js';
import { replacementReasons, targetRemovalReasons, type DrawEvent, type DrawPurpose } from './events.js';
import { approvers, forbidden, mayAct, notFound, slotFree } from './guard.js';
import { DEFAULT_MIN_RANDOM_POOL, checkOverallRatio, checkRandomPools, checkRatioCap } from './l2.js';
import { tryLottery } from './lottery-error.js';
import { completeFollowUp, recordOf } from './record.js';
import { completedRoot, drawIdOf, findDraw, lineage, type DrawEntry, type DrawSlotState } from './state.js';

/** The event schema's JSON type has mutable arrays; the lists themselves are shared, not copied. */
const mutablePools = (pools: Committed['pools']): { [hash: string]: string[] } =>
  Object.fromEntries(Object.entries(pools).map(([k, v]) => [k, v as string[]]));


export function commit(command: CommitDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
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
    const certain = checkRandomPools(c.classes, limits, command.data.poolPolicy ?? { minPoolSize: DEFAULT_MIN_RANDOM_POOL, wholeRegister: [] });
    if (certain) return certain;
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

/** What every follow-up (extension, replacement) continues: the slot's completed lineage, checked for who may act. */
function followUpBase(
  command: CommitReplacement | CommitExtension,
  state: DrawSlotState,
  action: string,
  rule: string,
): { root: DrawEntry; last: DrawEntry; chain: DrawEntry[] } | SuijiError {
  const { actor } = command.metadata;
  // The approving principal is the one who commits: an operator's follow-up is refused, never left pending.
  if (!approvers.has(actor.role)) return forbidden(`${action} (approval by the principal)`, rule);
  const named = command.data.parent;
  if (named !== undefined && !findDraw(state, named)) return notFound(named);
  const busy = slotFree(state);
  if (busy) return busy;
  const chain = lineage(state);
  const root = chain[0];
  const last = chain[chain.length - 1];
  if (!root || !last) return ruleViolation(rule, '没有已完成的摇号可供延续', 'no completed draw to continue', { field: '/task', reason: 'NO_COMPLETED_DRAW' });
  const denied = mayAct(command, last, action);
  if (denied) return denied;
  if (named !== undefined && named !== last.drawId) {
    // A follow-up continues the newest completed draw; naming another would hide one in between.
    return ruleViolation(rule, `只能延续最新完成的摇号 ${last.drawId}，而非 ${named}`, `only the latest completed draw ${last.drawId} can be continued, not ${named}`, {
      field: '/drawId',
      reason: 'NOT_LATEST_IN_LINEAGE',
      latest: last.drawId,
    });
  }
  return { root, last, chain };
}

/** The follow-up's DrawCommitted, after a dry run that refuses one that cannot apply (its result is fixed by the root's streams, spec §6.3). */
function followUpCommitted(
  command: CommitReplacement | CommitExtension,
  state: DrawSlotState,
  base: { root: DrawEntry; last: DrawEntry },
  input: Extract<CommitInput, { kind: 'extension' | 'replacement' }>,
  rule: string,
  approval?: { approvedBy: string; reason: string },
): readonly DrawEvent[] | SuijiError {
  const built = tryLottery(() => commitDraw(input));
  if (built instanceof SuijiError) return built;
  const parent = recordOf(state, base.last);
  if (parent instanceof SuijiError) return parent;
  const dry = tryLottery(() => completeFollowUp(built, parent), rule);
  if (dry instanceof SuijiError) return dry;
  const { root } = base;
  return [
    {
      type: 'DrawCommitted',
      payload: {
        drawId: input.drawId, task: input.task, purpose: command.data.purpose, department: base.last.department, commitment: { ...built.commitment }, commitmentHash: built.commitmentHash,
        pools: {}, revealDeadline: command.metadata.now, drandFallbackAfter: null,
        // PL5/L2: a follow-up of a counted target draw counts its new picks under the root's counting (year, cap, exemptions).
        limits: root.limits, counting: root.counting,
        ...(approval && { approval }),
      },
    },
  ];
}

/** T10 (inspectors, experts) and E8 (targets): which reasons a replacement in this slot may give. */
function reasonRefused(purpose: CommitReplacement['data']['purpose'], replacements: CommitReplacement['data']['replacements']): SuijiError | null {
  const allowed: readonly string[] = purpose === 'targets' ? targetRemovalReasons : replacementReasons;
  const i = replacements.findIndex((r) => !allowed.includes(r.reason));
  if (i < 0) return null;
  const rule = purpose === 'targets' ? 'E8' : 'T10';
  return ruleViolation(rule, `更换理由须为 ${allowed.join('、')} 之一`, `a replacement's reason must be one of ${allowed.join(', ')}`, {
    field: `/replacements/${i}/reason`,
    allowed: [...allowed],
  });
}

export function commitReplacement(command: CommitReplacement, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const { task, purpose, source, replacements } = command.data;
  const { actor, now } = command.metadata;
  const rule = purpose === 'targets' ? 'E8' : 'T10';
  const base = followUpBase(command, state, 'draw.replace', rule);
  if (base instanceof SuijiError) return base;
  const bad = reasonRefused(purpose, replacements);
  if (bad) return bad;
  const drawId = drawIdOf(task, purpose, state.draws.length + 1);
  return followUpCommitted(command, state, base, {
    kind: 'replacement', drawId, task, purpose, committedAt: now, source, parent: base.last.commitmentHash,
    replacements: replacements.map((r) => ({ ...r, approver: actor.userId })),
  }, rule);
}

/** Spec §7.3 extension: more picks of named classes; L2 counts them in the task's overall ratio. */
export function commitExtension(command: CommitExtension, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const { task, purpose, source, additional, reason } = command.data;
  const { actor, now } = command.metadata;
  const base = followUpBase(command, state, 'draw.extend', 'G3');
  if (base instanceof SuijiError) return base;
  const rootCommitment = base.root.commitment;
  if (rootCommitment.kind !== 'targets' && rootCommitment.kind !== 'experts') {
    return ruleViolation('L2', '只有抽取对象或专家的摇号可以追加', 'only target and expert draws can be extended', { field: '/drawId', reason: 'NOT_EXTENSIBLE' });
  }
  if (base.root.limits) {
    // L2: every extension of the lineage, this one included, on top of what the root declared.
    const before = base.chain.reduce((n, d) => n + (d.commitment.kind === 'extension' ? d.commitment.additional.reduce((m, a) => m + a.count, 0) : 0), 0);
    const over = checkOverallRatio(rootCommitment.classes, base.root.limits, before + additional.reduce((m, a) => m + a.count, 0), '/additional');
    if (over) return over;
  }
  const drawId = drawIdOf(task, purpose, state.draws.length + 1);
  return followUpCommitted(command, state, base, { kind: 'extension', drawId, task, purpose, committedAt: now, source, parent: base.last.commitmentHash, additional }, 'G3', {
    approvedBy: actor.userId,
    reason,
  });
}
