/** Completing (V1, V3) and abandoning (V3) a committed draw. PL5 is counted when the task's list is locked (src/app/tasks). */
import type { DrawRecord } from '../../verify/index.js';
import { SuijiError, ruleViolation } from '../errors.js';
import type { AbandonDraw, CompleteDraw } from './commands.js';
import { revealedFor } from './entropy.js';
import type { AbandonGrounds, DrawEvent } from './events.js';
import { determine } from './determined.js';
import { mayAct, openForChange, waiting } from './guard.js';
import { completeFollowUp, completeRoot, recordOf } from './record.js';
import { findDraw, lineage, type DrawEntry, type DrawSlotState } from './state.js';
import { tryLottery } from './lottery-error.js';

export interface CompletionPreview {
  readonly draw: DrawEntry;
  readonly record: DrawRecord;
  /** The members this draw picked (class draws; a follow-up: its new picks only), in draw order. */
  readonly selected: readonly string[];
}

/** The record a completion would write now, or why the draw cannot complete yet. */
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
  // A follow-up's result holds its own picks only; its parent's are in the parent's record.
  const selected = 'classes' in record.result ? record.result.classes.flatMap((c) => c.picked) : [];
  return { draw: d, record, selected };
}

export function complete(command: CompleteDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const found = findDraw(state, command.data.drawId);
  const denied = mayAct(command, found ?? null, 'draw.complete');
  if (denied) return denied;
  // PL5 is not judged here: a completed draw is a list proposed to its task, counted when the
  // task's principal locks it (src/app/tasks), so completion never depends on other draws.
  const p = previewCompletion(state, command.data.drawId, command.metadata.now);
  if (p instanceof SuijiError) return p;
  const { draw: d, record } = p;
  return [
    {
      type: 'DrawCompleted',
      payload: { drawId: d.drawId, commitmentHash: d.commitmentHash, revealed: record.revealed ? { ...record.revealed } : null, seed: record.seed, result: { ...record.result } },
    },
  ];
}

/**
 * V3 (issue 7 §1): abandoning is allowed only where it cannot be a re-roll — before any entropy
 * is revealed, or where the committed fallback rules require it. A determined draw always
 * completes (PL5 is judged at the lock), so it is never abandoned (`cannotComplete` aside).
 */
function abandonGroundsOf(command: AbandonDraw, state: DrawSlotState, d: DrawEntry): AbandonGrounds | SuijiError {
  const now = command.metadata.now;
  const det = determine(d, now);
  if (det.state === 'mustAbandon') return 'planRequiresAbandon';
  if (det.state === 'open') {
    if (!det.anyRevealed) return 'noEntropyRevealed';
    return ruleViolation('V3', '已有熵源揭示：只有承诺的备用规则要求时才能废弃此摇号', 'entropy has been revealed: the draw may be abandoned only where its committed fallback rules require it', {
      field: '/drawId',
      reason: 'ENTROPY_REVEALED',
      awaiting: det.awaiting,
    });
  }
  // A draw whose completion cannot even be computed has no result to hide; it must not block its slot forever.
  if (previewCompletion(state, d.drawId, now) instanceof SuijiError) return 'cannotComplete';
  return ruleViolation('V3', '熵计划已完整，结果已确定：此摇号只能完成，不能废弃', 'the entropy plan is complete and the result is fixed: the draw can only be completed, not abandoned', {
    field: '/drawId',
    reason: 'DRAW_DETERMINED',
  });
}

export function abandon(command: AbandonDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  // Issue 7 §3: who may act is decided before anything about the draw's state is told.
  const denied = mayAct(command, findDraw(state, command.data.drawId) ?? null, 'draw.abandon');
  if (denied) return denied;
  const d = openForChange(state, command.data.drawId);
  if (d instanceof SuijiError) return d;
  const grounds = abandonGroundsOf(command, state, d);
  if (grounds instanceof SuijiError) return grounds;
  return [{ type: 'DrawAbandoned', payload: { drawId: d.drawId, commitmentHash: d.commitmentHash, reason: command.data.reason, at: command.metadata.now, grounds } }];
}
