/** Committing a draw (V1, V2, L2, PL5) and a T10 replacement. */
import type { Committed } from '../../verify/index.js';
import { commitDraw } from '../../verify/index.js';
import { SuijiError, ruleViolation } from '../errors.js';
import type { CommitDraw, CommitReplacement } from './commands.js';
import { checkTiming } from './entropy.js';
import type { DrawEvent, DrawPurpose } from './events.js';
import { approvers, forbidden, mayAct, slotFree } from './guard.js';
import { DEFAULT_MIN_RANDOM_POOL, checkRandomPools, checkRatioCap } from './l2.js';
import { tryLottery } from './lottery-error.js';
import { completeFollowUp, recordOf } from './record.js';
import { completedRoot, drawIdOf, lineage, type DrawSlotState } from './state.js';

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

export function commitReplacement(command: CommitReplacement, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
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
