/**
 * PL5 exemption facts read from the target register (issue 7 §5; docs/draws.md "Exemption
 * facts"): which facts exempt a pool's members at commit, and whether a cited fact still holds
 * at completion. Each fact cites the ledger position of the event that established it.
 */
import type { Database } from 'better-sqlite3';
import type { ExemptionFact, Pl5Exemption } from '../../domain/draws/index.js';
import type { TargetFilter } from '../../domain/registers/index.js';
import { exemptionFactsOf, poolOf } from '../../projections/registers/index.js';

/** An approved directed special order: the entities it names and the position of its approval. */
export interface DirectedScope {
  readonly orderId: string;
  readonly scope: ReadonlySet<string>;
  readonly position: string;
}

/**
 * The exemption facts of a pool's members, found with the register's own filter semantics (one
 * query per exemption, intersected with the pool) rather than one lookup per member.
 * `complaintsAt`: the complaint count from which repeated complaints exempt (the PL5 policy).
 */
export function exemptionFactsIn(db: Database, complaintsAt: number, members: readonly string[], filter: TargetFilter, directed: DirectedScope | null): Map<string, ExemptionFact[]> {
  const inPool = new Set(members);
  const out = new Map<string, ExemptionFact[]>();
  const add = (id: string, fact: ExemptionFact): void => {
    const list = out.get(id);
    if (list) list.push(fact);
    else out.set(id, [fact]);
  };
  const flagged: [Pl5Exemption, TargetFilter][] = [
    ['keyIndustry', { ...filter, keyIndustry: true }],
    ['repeatedComplaints', { ...filter, minComplaints: Math.max(filter.minComplaints ?? 0, complaintsAt) }],
    ['abnormalOperation', { ...filter, abnormalOperation: true }],
    ['dishonest', { ...filter, dishonest: true }],
  ];
  for (const [reason, f] of flagged) {
    for (const id of poolOf(db, f)) {
      if (!inPool.has(id)) continue;
      const at = factPosition(db, complaintsAt, id, reason);
      if (at !== null) add(id, { reason, position: String(at) });
    }
  }
  if (directed) for (const id of members) if (directed.scope.has(id)) add(id, { reason: 'directedSpecial', position: directed.position, order: directed.orderId });
  return out;
}

/** The ledger position that established a register fact of a target, as the projection holds it now (null: the fact does not hold). */
function factPosition(db: Database, complaintsAt: number, uscc: string, reason: Pl5Exemption): number | null {
  const f = exemptionFactsOf(db, uscc);
  if (!f) return null;
  switch (reason) {
    case 'keyIndustry':
      return f.keyIndustry;
    case 'abnormalOperation':
      return f.abnormalOperation;
    case 'dishonest':
      return f.dishonest;
    case 'repeatedComplaints':
      return f.complaintCount >= complaintsAt ? f.complaintsSince : null;
    default:
      return null;
  }
}

/**
 * PL5 at completion: a cited fact holds if the register still shows it established at the
 * same position (a flag cleared, or cleared and set again, does not), a complaint count still
 * at the threshold, or a directed order still approved (orders are never withdrawn).
 */
export function factHolds(db: Database, complaintsAt: number, id: string, fact: ExemptionFact): boolean {
  if (fact.reason === 'directedSpecial') return true;
  if (fact.reason === 'repeatedComplaints') return factPosition(db, complaintsAt, id, fact.reason) !== null;
  return String(factPosition(db, complaintsAt, id, fact.reason)) === fact.position;
}
