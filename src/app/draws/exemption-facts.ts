/**
 * PL5 exemption facts read from the target register (issue 7 §5; docs/draws.md "Exemption
 * facts"): which facts exempt a pool's members at commit, and whether a cited fact still holds
 * at completion. Each fact cites the ledger position of the event that established it.
 */
import type { Database } from 'better-sqlite3';
import type { ExemptionFact, Pl5Exemption } from '../../domain/draws/index.js';
import type { TargetFilter } from '../../domain/registers/index.js';
import { exemptionFactsOf, targetWhere } from '../../projections/registers/index.js';

/** An approved directed special order: the entities it names and the position of its approval. */
export interface DirectedScope {
  readonly orderId: string;
  readonly scope: ReadonlySet<string>;
  readonly position: string;
}

/** The register columns a pool member's exemption facts are read from (one row per flagged member). */
interface FactRow {
  readonly uscc: string;
  readonly key_industry: number;
  readonly key_industry_since: number | null;
  readonly abnormal_operation: number;
  readonly abnormal_operation_since: number | null;
  readonly dishonest: number;
  readonly dishonest_since: number | null;
  readonly complaint_count: number;
  readonly complaint_since: number | null;
}

/**
 * The exemption facts of a pool's members, found with the register's own filter semantics: one
 * scan of the pool's filter narrowed to members with any exempting fact, walked in uscc order
 * beside the (sorted) pool. Issue 13: at 1,000,000 targets the former four scans, a Set of the
 * whole pool and one point query per flagged member took 9.9 of the commit's 13.7 s of CPU.
 * `complaintsAt`: the complaint count from which repeated complaints exempt (the PL5 policy).
 */
export function exemptionFactsIn(db: Database, complaintsAt: number, members: readonly string[], filter: TargetFilter, directed: DirectedScope | null): Map<string, ExemptionFact[]> {
  const out = new Map<string, ExemptionFact[]>();
  const add = (id: string, fact: ExemptionFact): void => {
    const list = out.get(id);
    if (list) list.push(fact);
    else out.set(id, [fact]);
  };
  const where = targetWhere(filter, { scan: true });
  const rows = db
    .prepare(
      `SELECT t.uscc, t.key_industry, t.key_industry_since, t.abnormal_operation, t.abnormal_operation_since, t.dishonest, t.dishonest_since, t.complaint_count, t.complaint_since
       FROM reg_targets t WHERE ${where.sql} AND (t.key_industry = 1 OR t.abnormal_operation = 1 OR t.dishonest = 1 OR t.complaint_count >= ?) ORDER BY t.uscc`,
    )
    .iterate(...where.params, complaintsAt) as Iterable<FactRow>;
  // A table scan: the flag columns are read for every match, so walking the (status, uscc) index
  // would cost a table lookup per member (measured 2x slower at 500,000 rows); the WITHOUT ROWID
  // table is itself in uscc order, so ORDER BY costs nothing.
  // Both lists ascend in byte order (credit codes are ASCII, so JS's code-unit order is SQLite's
  // BINARY order): a member not in `members` is skipped, never exempted.
  let i = 0;
  for (const r of rows) {
    while (i < members.length && members[i]! < r.uscc) i++;
    if (members[i] !== r.uscc) continue;
    // The order of a member's facts is the order of the former per-reason queries (the committed bytes depend on it).
    // Each member comes once, so its list is built here and set once (at 15,000,000, `add` per fact was 12.7 s of the profile).
    const facts: ExemptionFact[] = [];
    if (r.key_industry === 1 && r.key_industry_since !== null) facts.push({ reason: 'keyIndustry', position: String(r.key_industry_since) });
    if (r.complaint_count >= complaintsAt && r.complaint_since !== null) facts.push({ reason: 'repeatedComplaints', position: String(r.complaint_since) });
    if (r.abnormal_operation === 1 && r.abnormal_operation_since !== null) facts.push({ reason: 'abnormalOperation', position: String(r.abnormal_operation_since) });
    if (r.dishonest === 1 && r.dishonest_since !== null) facts.push({ reason: 'dishonest', position: String(r.dishonest_since) });
    if (facts.length > 0) out.set(r.uscc, facts);
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
