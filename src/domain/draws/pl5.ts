/**
 * PL5 (十一): one market entity is drawn for random inspection at most `cap` times (2) per
 * calendar year. Entities over the cap are removed from the pool BEFORE the commitment and
 * listed there as exclusions with the reason; exempt entities stay in and are never counted.
 * The cap holds under concurrency through one counter stream per entity and year (see
 * ../../../docs/draws.md "PL5 counters"): completing a draw appends to each drawn entity's
 * counter with the expected revision, atomically with the draw, so two racing draws cannot
 * both take the last place.
 */
import type { Exclusion } from '../../verify/index.js';
import type { Pl5Exemption } from './events.js';

/** the cap and the complaint threshold are configuration, not constants. */
export interface Pl5Policy {
  /** Random draws per entity per calendar year (PL5: 2). */
  readonly cap: number;
  /** "Repeated complaints": complaintCount at or above this exempts the entity. */
  readonly repeatedComplaintsAt: number;
}

export const defaultPl5Policy: Pl5Policy = { cap: 2, repeatedComplaintsAt: 2 };

/** What PL5 needs to know of a target (from the target register). */
export interface Pl5Target {
  readonly id: string;
  readonly flags: {
    readonly keyIndustry: boolean;
    readonly abnormalOperation: boolean;
    readonly dishonest: boolean;
    readonly complaintCount: number;
    /** Serious violations (严重违法); absent when the register does not record it. */
    readonly seriousViolation?: boolean;
  };
}

/** Asia/Shanghai has been UTC+8 without daylight saving since 1991, so the offset is fixed. */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** The calendar year in Asia/Shanghai of an ISO 8601 UTC instant (PL5 counts per Chinese calendar year). */
export function shanghaiYear(isoInstant: string): number {
  const ms = Date.parse(isoInstant);
  if (!Number.isFinite(ms)) throw new RangeError(`shanghaiYear: not an instant: ${isoInstant}`);
  return new Date(ms + SHANGHAI_OFFSET_MS).getUTCFullYear();
}

export const drawCountStreamId = (uscc: string, year: number): string => `drawcount-${uscc}-${year}`;

/** Why an entity is exempt from the cap; [] when it is not. */
export function exemptionsOf(t: Pl5Target, policy: Pl5Policy): Pl5Exemption[] {
  const out: Pl5Exemption[] = [];
  if (t.flags.keyIndustry) out.push('keyIndustry');
  if (t.flags.complaintCount >= policy.repeatedComplaintsAt) out.push('repeatedComplaints');
  if (t.flags.abnormalOperation) out.push('abnormalOperation');
  if (t.flags.dishonest) out.push('dishonest');
  if (t.flags.seriousViolation) out.push('seriousViolation');
  return out;
}

/** The public exclusion reason; Chinese first (brief: public text). */
export const pl5ExclusionReason = (year: number, count: number, cap: number): string =>
  `PL5：${year}年度已被随机抽查${count}次，达到上限${cap}次 / yearly cap reached: drawn ${count} of ${cap} times in ${year}`;

export interface Pl5Plan {
  /** Removed from the pool before the commitment, with reasons. */
  readonly exclusions: Exclusion[];
  /** Kept in the pool, never counted. */
  readonly exempt: { id: string; reasons: Pl5Exemption[] }[];
}

/**
 * Splits a pool for PL5 given each entity's exemptions and count so far this year. Counts may
 * lag (they come from a projection); the counter streams re-check at completion, so a stale
 * count can only make a completion fail, never let a third draw through.
 */
export function planPl5(
  members: readonly string[],
  exemptionsOfMember: (id: string) => readonly Pl5Exemption[],
  counts: ReadonlyMap<string, number>,
  year: number,
  cap: number,
): Pl5Plan {
  const exclusions: Exclusion[] = [];
  const exempt: { id: string; reasons: Pl5Exemption[] }[] = [];
  for (const id of members) {
    const reasons = exemptionsOfMember(id);
    if (reasons.length > 0) {
      exempt.push({ id, reasons: [...reasons] });
      continue;
    }
    const n = counts.get(id) ?? 0;
    if (n >= cap) exclusions.push({ id, reason: pl5ExclusionReason(year, n, cap) });
  }
  return { exclusions, exempt };
}

/** The members of a completed draw that count against the cap: selected, not exempt. */
export function countedMembers(selected: readonly string[], exempt: readonly { readonly id: string }[]): string[] {
  const skip = new Set(exempt.map((e) => e.id));
  return selected.filter((id) => !skip.has(id));
}
