/**
 * V3 (issue 7 §1): whether a committed draw's outcome is already fixed. Once every planned source
 * is revealed — or the committed fallback rules decide the outcome — whoever saw the reveals can
 * compute the result, so the draw may only complete: abandoning it then would be a re-roll.
 * Pure: the draw, the entropy recorded for it and the clock from the command's metadata.
 */
import type { RevealedEntropy } from '../../verify/index.js';
import { SuijiError } from '../errors.js';
import { entropyOf, revealedFor } from './entropy.js';
import type { DrawEntry } from './state.js';

export type Determination =
  /** Still waiting for a source (`awaiting`: AWAITING_WITNESSES, AWAITING_DRAND, AWAITING_CEREMONY). */
  | { readonly state: 'open'; readonly awaiting: string; readonly anyRevealed: boolean }
  /** The outcome is fixed: `revealed` is the entropy that fixes it (null for follow-ups, which reveal none). */
  | { readonly state: 'determined'; readonly revealed: RevealedEntropy | null }
  /** The committed fallback rules say the draw cannot complete (a missing witness under `abandon`, no drand round in time). */
  | { readonly state: 'mustAbandon'; readonly reason: string };

/** Whether any entropy of the draw has been revealed (a witness secret, the ceremony value, a drand round). */
export const anyEntropyRevealed = (d: DrawEntry): boolean => Object.keys(d.witnesses).length > 0 || d.ceremony !== undefined || d.drand !== undefined;

export function determine(d: DrawEntry, now: string): Determination {
  // A follow-up continues its root's seed: its result is fixed the moment it is committed.
  if (!entropyOf(d)) return { state: 'determined', revealed: null };
  const r = revealedFor(d, now);
  if (!(r instanceof SuijiError)) return { state: 'determined', revealed: r };
  const reason = typeof r.details.reason === 'string' ? r.details.reason : 'AWAITING';
  if (reason === 'MUST_ABANDON') return { state: 'mustAbandon', reason: `${r.messageZh} / ${r.messageEn}` };
  return { state: 'open', awaiting: reason, anyRevealed: anyEntropyRevealed(d) };
}
