/** Completing (V1, V3, PL5) and abandoning (V3) a committed draw. */
import type { DrawRecord } from '../../verify/index.js';
import { SuijiError, ruleViolation } from '../errors.js';
import type { AbandonDraw, CompleteDraw } from './commands.js';
import { revealedFor } from './entropy.js';
import type { DrawEvent } from './events.js';
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
  /** The members the draw selected (class draws), in draw order. */
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
  const selected = 'merged' in record.result ? record.result.merged : [];
  return { draw: d, record, selected, counted: d.counting ? countedMembers(selected, d.counting.exempt, lapsed) : [] };
}

export function complete(command: CompleteDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const found = findDraw(state, command.data.drawId);
  const denied = mayAct(command, found ?? null, 'draw.complete');
  if (denied) return denied;
  const p = previewCompletion(state, command.data.drawId, command.metadata.now, command.data.lapsed);
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

export function abandon(command: AbandonDraw, state: DrawSlotState): readonly DrawEvent[] | SuijiError {
  const d = openForChange(state, command.data.drawId);
  if (d instanceof SuijiError) return d;
  const denied = mayAct(command, d, 'draw.abandon');
  if (denied) return denied;
  return [{ type: 'DrawAbandoned', payload: { drawId: d.drawId, commitmentHash: d.commitmentHash, reason: command.data.reason } }];
}
