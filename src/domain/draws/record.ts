/**
 * The public record of a draw (docs/lottery-spec.md §8), rebuilt from the slot's events by
 * replaying them through the lottery-core — so an export is never a copy of stored bytes that
 * could have drifted: it is recomputed, then compared with what the ledger says was drawn.
 */
import { completeDraw, firstDifference } from '../../verify/index.js';
import type { Committed, DrawRecord, RevealedEntropy } from '../../verify/index.js';
import { SuijiError } from '../errors.js';
import { tryLottery } from './lottery-error.js';
import { determine } from './determined.js';
import { completedRoot, type DrawEntry, type DrawSlotState } from './state.js';

export const completeRoot = (committed: Committed, revealed: RevealedEntropy): DrawRecord => completeDraw(committed, revealed);
export const completeFollowUp = (committed: Committed, parent: DrawRecord): DrawRecord => completeDraw(committed, undefined, parent);

const committedOf = (d: DrawEntry): Committed => ({ commitment: d.commitment, commitmentHash: d.commitmentHash, pools: d.pools });

/** The record of a completed draw of the slot; LEDGER_CORRUPT if the replay disagrees with the ledger. */
export function recordOf(state: DrawSlotState, target: DrawEntry): DrawRecord | SuijiError {
  if (target.status !== 'completed') {
    return new SuijiError('NOT_FOUND', { field: '/drawId', drawId: target.drawId, status: target.status }, {
      zh: `摇号 ${target.drawId} 尚未完成，没有结果记录`,
      en: `draw ${target.drawId} is not completed; it has no result record`,
    });
  }
  const root = completedRoot(state);
  if (!root || root.seq > target.seq) return new SuijiError('LEDGER_CORRUPT', { drawId: target.drawId, reason: 'follow-up without a completed root' });
  let record: DrawRecord | undefined;
  for (const d of state.draws) {
    if (d.seq < root.seq || d.seq > target.seq || d.status !== 'completed') continue;
    const r = tryLottery(() => (record === undefined ? completeRoot(committedOf(d), d.revealed ?? {}) : completeFollowUp(committedOf(d), record)));
    if (r instanceof SuijiError) return new SuijiError('LEDGER_CORRUPT', { drawId: d.drawId, reason: 'replay failed', cause: r.details });
    const diff = firstDifference({ seed: r.seed, result: r.result }, { seed: d.seed, result: d.result }, 'recorded');
    if (diff) return new SuijiError('LEDGER_CORRUPT', { drawId: d.drawId, reason: 'replayed result differs from the ledger', ...diff });
    record = r;
  }
  return record ?? new SuijiError('LEDGER_CORRUPT', { drawId: target.drawId, reason: 'no record' });
}

/**
 * V3 (issue 7 §1): the record an abandoned draw would have had, where the entropy revealed up to
 * the abandon fixed it (e.g. completion refused by PL5) — published, labelled as not taken, so a
 * thrown-away result is never hidden. Null where the entropy did not fix a result.
 */
export function wouldHaveBeen(d: DrawEntry): DrawRecord | null {
  if (d.status !== 'abandoned') return null;
  // Abandons recorded before issue 7 carry no instant: then only a fully revealed plan counts.
  const at = d.abandonedAt ?? new Date(Date.parse(d.revealDeadline) - 1).toISOString();
  const det = determine(d, at);
  if (det.state !== 'determined' || det.revealed === null) return null;
  const revealed = det.revealed;
  const r = tryLottery(() => completeRoot(committedOf(d), revealed));
  return r instanceof SuijiError ? null : r;
}
