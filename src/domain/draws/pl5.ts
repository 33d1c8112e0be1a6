/**
 * PL5 (十一): one market entity is drawn for random inspection at most `cap` times (2) per
 * calendar year. Entities over the cap are removed from the pool BEFORE the commitment and
 * listed there as exclusions with the reason; exempt entities stay in and are never counted.
 * The cap holds under concurrency through one counter stream per entity and year (see
 * ../../../docs/draws.md "PL5 counters"): locking a task's list appends to each counted
 * entity's counter with the expected revision, atomically with the lock, so two racing locks
 * cannot both take the last place.
 */
import type { Exclusion } from '../../verify/index.js';
import type { Counting, ExemptionFact, Pl5Exemption } from './events.js';
import { shanghaiDate } from '../calendar/index.js';

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


/** The calendar year in Asia/Shanghai of an ISO 8601 UTC instant (PL5 counts per Chinese calendar year). */
export function shanghaiYear(isoInstant: string): number {
  const ms = Date.parse(isoInstant);
  if (!Number.isFinite(ms)) throw new RangeError(`shanghaiYear: not an instant: ${isoInstant}`);
  return Number(shanghaiDate(ms).slice(0, 4));
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
  /** Kept in the pool, never counted while a cited fact still holds. */
  readonly exempt: { id: string; reasons: Pl5Exemption[]; facts: ExemptionFact[] }[];
}

/**
 * Splits a pool for PL5 given each entity's exemption facts (read at the draw's pool position)
 * and count so far this year. Counts may lag (they come from a projection); the counter
 * streams re-check at the task's lock, so a stale count can only leave an entity out of a
 * locked list, never let a third draw through.
 */
export function planPl5(
  members: readonly string[],
  factsOfMember: (id: string) => readonly ExemptionFact[],
  counts: ReadonlyMap<string, number>,
  year: number,
  cap: number,
): Pl5Plan {
  const exclusions: Exclusion[] = [];
  const exempt: Pl5Plan['exempt'] = [];
  for (const id of members) {
    const facts = factsOfMember(id);
    if (facts.length > 0) {
      exempt.push({ id, reasons: [...new Set(facts.map((f) => f.reason))], facts: [...facts] });
      continue;
    }
    const n = counts.get(id) ?? 0;
    if (n >= cap) exclusions.push({ id, reason: pl5ExclusionReason(year, n, cap) });
  }
  return { exclusions, exempt };
}

/**
 * The members of a completed draw that count against the cap: selected and not exempt, or
 * exempt on facts that no longer hold (`lapsed`, docs/draws.md "Exemption facts").
 */
export function countedMembers(selected: readonly string[], exempt: readonly { readonly id: string }[], lapsed: readonly string[] = []): string[] {
  const gone = new Set(lapsed);
  const skip = new Set(exempt.map((e) => e.id).filter((id) => !gone.has(id)));
  return selected.filter((id) => !skip.has(id));
}

/**
 * Exempt members of `selected` none of whose cited facts still holds at the lock: the hole
 * "set the flag, commit, clear the flag, lock" closes because such an entity is counted
 * (and left out of the list if that takes it over the cap). An entry without facts predates
 * fact recording and is taken as it was committed.
 */
export function lapsedExemptions(
  selected: readonly string[],
  exempt: NonNullable<Counting>['exempt'],
  holds: (id: string, fact: ExemptionFact) => boolean,
): string[] {
  const picked = new Set(selected);
  return exempt.filter((e) => picked.has(e.id) && e.facts !== undefined && !e.facts.some((f) => holds(e.id, f))).map((e) => e.id);
}

/** Exemption reasons that are public facts (registers published by law, or a directed order). */
export const publicExemptions: ReadonlySet<Pl5Exemption> = new Set(['keyIndustry', 'abnormalOperation', 'dishonest', 'seriousViolation', 'directedSpecial']);
/** The one neutral code public listings show for every other reason (e.g. complaint counts, which are not public). */
export const NEUTRAL_EXEMPTION = 'otherStatutoryGround';

/**
 * The public form of a draw's counting: reasons that are public facts as they are, every other
 * reason under one neutral code; the facts of non-public reasons (their ledger positions would
 * point at the confidential detail) are left out. Auditors read the full counting.
 */
export function publicCounting(c: NonNullable<Counting>): { year: number; cap: number; exempt: { id: string; reasons: string[]; facts?: ExemptionFact[] }[] } {
  const shown = (r: Pl5Exemption): string => (publicExemptions.has(r) ? r : NEUTRAL_EXEMPTION);
  return {
    year: c.year,
    cap: c.cap,
    exempt: c.exempt.map((e) => {
      const facts = e.facts?.filter((f) => publicExemptions.has(f.reason)).map((f) => ({ ...f }));
      return { id: e.id, reasons: [...new Set(e.reasons.map(shown))], ...(facts && { facts }) };
    }),
  };
}

/** A completed draw of a task's lineage as the lock sees it: its own picks and the counting it committed (a follow-up: the root's). */
export interface LockedDraw {
  readonly drawId: string;
  readonly picked: readonly string[];
  readonly counting: Counting;
}

/** An entity the lock counts (PL5): which draw selected it, in which year, and whether its exemption lapsed. */
export interface LockCandidate {
  readonly uscc: string;
  readonly drawId: string;
  readonly year: number;
  readonly cap: number;
  readonly exemptionLapsed: boolean;
}

/**
 * PL5 at the lock: the locked targets that count — each under the counting of the draw that
 * selected it, not exempt, or exempt on facts that no longer hold (`holds` reads the register
 * now). Draws without counting (key items, batch orders) contribute nothing.
 */
export function countedAtLock(draws: readonly LockedDraw[], holds: (id: string, fact: ExemptionFact) => boolean): LockCandidate[] {
  const seen = new Set<string>();
  const out: LockCandidate[] = [];
  for (const d of draws) {
    if (!d.counting) continue;
    const lapsed = lapsedExemptions(d.picked, d.counting.exempt, holds);
    const gone = new Set(lapsed);
    for (const uscc of countedMembers(d.picked, d.counting.exempt, lapsed)) {
      if (seen.has(uscc)) continue;
      seen.add(uscc);
      out.push({ uscc, drawId: d.drawId, year: d.counting.year, cap: d.counting.cap, exemptionLapsed: gone.has(uscc) });
    }
  }
  return out;
}
