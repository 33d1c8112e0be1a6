/** Completing (V1, V3, PL5) and abandoning (V3) a committed draw. */
import type { DrawRecord } from '../../verify/index.js';
import { SuijiError, ruleViolation } from '../errors.js';
import type { AbandonDraw, CompleteDraw } from './commands.js';
import { revealedFor } from './entropy.js';
import type { AbandonGrounds, DrawEvent } from './events.js';
import { determine } from './determined.js';
import { mayAct, openForChange, waiting } from './guard.js';
import { countedMembers } from './pl5.js';
import { completeFollowUp, completeRoot, recordOf } from './record.js';
import { findDraw, lineage, type DrawEntry, type DrawSlotState } from './state.js';
import { tryLottery } from './lottery-error.js';

export interface CompletionPreview {
  readonly draw: DrawEntry;
  readonly record: DrawRecord;
  /** PL5: the selected members that count against the yearly cap (selected, not exempt); [] when the draw is not counted. */
  readonly counted: readonly string[];
  /** The members this draw picked (class draws; a follow-up: its new picks only), in draw order. */
  readonly selected: readonly string[];
}

/**
 * Everything a completion decides except the PL5 counts: the service calls this first to learn
 * which counter streams to read, then `decide(CompleteDraw)` with the counts it read.
 */
export function previewCompletion(state: DrawSlotState, drawId: string, now: string, lapsed: readonly string[] = []): CompletionPreview | SuijiError {
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
  // PL5: only this draw's own picks count — a follow-up's parent picks were counted when it completed.
  const selected = 'classes' in record.result ? record.result.classes.flatMap((c) => c.picked) : [];
  return { draw: d, record, selected, counted: d.counting ? countedMembers(selected, d.counting.exempt, lapsed) : [] };
}

/** PL5: the counted members already at the cap (a member whose count was not supplied is treated as full: never let an unknown through). */
function overCap(d: DrawEntry, counted: readonly string[], counts: { readonly [uscc: string]: number }): string[] {
  if (!d.counting) return [];
  const { cap } = d.counting;
  return counted.filter((id) => !((counts[id] ?? cap) < cap));
}

export function complete(command: CompleteDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const found = findDraw(state, command.data.drawId);
  const denied = mayAct(command, found ?? null, 'draw.complete');
  if (denied) return denied;
  const p = previewCompletion(state, command.data.drawId, command.metadata.now, command.data.lapsed);
  if (p instanceof SuijiError) return p;
  const { draw: d, record, counted } = p;
  const over = overCap(d, counted, command.data.counts);
  if (d.counting && over.length > 0) {
    const { cap, year } = d.counting;
    return ruleViolation(
      'PL5',
      `${over.length} 个主体在 ${year} 年度已达随机抽查上限 ${cap} 次（已被并发摇号占用）：须公开废弃此摇号后重新摇号`,
      `${over.length} entities already reached the yearly cap of ${cap} random draws in ${year} (taken by a concurrent draw): abandon this draw and draw again`,
      { field: '/drawId', reason: 'YEARLY_CAP_REACHED', entities: over.slice(0, 100), year, cap },
    );
  }
  return [
    {
      type: 'DrawCompleted',
      payload: { drawId: d.drawId, commitmentHash: d.commitmentHash, revealed: record.revealed ? { ...record.revealed } : null, seed: record.seed, result: { ...record.result } },
    },
  ];
}

/**
 * V3 (issue 7 §1): abandoning is allowed only where it cannot be a re-roll — before any entropy
 * is revealed, where the committed fallback rules require it, or where a determined draw cannot
 * complete because PL5 places were taken meanwhile (its would-be result is published with it).
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
  const p = previewCompletion(state, d.drawId, now);
  // A draw whose completion cannot even be computed has no result to hide; it must not block its slot forever.
  if (p instanceof SuijiError) return 'cannotComplete';
  const cap = d.counting?.cap;
  const counts = command.data.counts ?? {};
  // Unlike completion, an unknown count must not open the way out: only a count read at the cap does.
  if (cap !== undefined && p.counted.some((id) => (counts[id] ?? 0) >= cap)) return 'yearlyCapReached';
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
