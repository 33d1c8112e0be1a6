/**
 * The merge comparison of the county-year bench (issue 9): (a) the pure `mergeVisits` over the
 * year's dispatched assignments, (b) the visits projection's incremental result, (c) the
 * baseline — a plain SQLite GROUP BY executing_unit, uscc over the same rows in a fresh
 * in-memory table, in the same run. (a) does more than (c): it splits a (unit, target) group
 * into visits by overlapping windows (T5) and unions items; (c) only counts the groups.
 */
import Database, { type Database as Db } from 'better-sqlite3';
import { mergeVisits, type Visit, type VisitAssignment } from '../src/domain/visits/index.js';
import type { EventStore } from '../src/store/port.js';

export interface MergeComparison {
  readonly assignments: number;
  /** (a): visits mergeVisits produced, and the (unit, target) pairs they cover. */
  readonly visits: number;
  readonly mergedVisits: number;
  readonly pairsInVisits: number;
  /** (c): groups of the plain GROUP BY. */
  readonly sqlGroups: number;
  /** true when every (unit, target) group is one visit: all its windows overlap. */
  readonly windowsAllOverlap: boolean;
  /** (b): rows of the visits projection (fresh catch-up and the server's incremental one), equal to (a). */
  readonly projectionVisits: number;
  readonly ms: {
    /** Median of RUNS. */
    readonly mergeVisits: number;
    readonly sqlGroupBy: number;
    /** Filling the baseline table; not part of the baseline's time (mergeVisits gets its rows in memory too). */
    readonly sqlInsert: number;
  };
  /** (a)/(c). */
  readonly ratio: number;
}

const RUNS = 5;
const PAGE = 5000;

/** The year's assignments from the ledger payloads alone (TaskCreated: items and window; TaskDispatched: unit and targets), as an auditor reads them. */
export async function readYearAssignments(store: EventStore): Promise<VisitAssignment[]> {
  const created = new Map<string, { items: string[]; window: { from: string; to: string } }>();
  const out: VisitAssignment[] = [];
  for (let from = 0; ; from += PAGE) {
    const page = await store.readAll({ from, limit: PAGE });
    for (const e of page) {
      if (e.type === 'TaskCreated') {
        const p = e.payload as { taskId: string; items: string[]; window: { from: string; to: string } };
        created.set(p.taskId, { items: p.items, window: p.window });
      } else if (e.type === 'TaskDispatched') {
        const p = e.payload as { taskId: string; assignments: { executingUnit: string; targets: string[] }[] };
        const task = created.get(p.taskId);
        if (!task) throw new Error(`TaskDispatched before TaskCreated: ${p.taskId}`);
        for (const a of p.assignments) for (const uscc of a.targets) out.push({ taskId: p.taskId, uscc, executingUnit: a.executingUnit, ...task });
      }
    }
    if (page.length < PAGE) return out;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed<T>(f: () => T): { value: T; ms: number[] } {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    value = f();
    ms.push(performance.now() - t0);
  }
  return { value, ms };
}

/** The visits table of a projection db, as the pure rule's output shape, keyed by visit id. */
function projected(db: Db): Map<string, string> {
  const rows = db.prepare('SELECT visit_id, executing_unit, uscc, window_from, window_to, items, tasks FROM visits').all() as Record<string, string>[];
  return new Map(
    rows.map((r) => [r.visit_id!, JSON.stringify([r.executing_unit, r.uscc, r.window_from, r.window_to, JSON.parse(r.items!), JSON.parse(r.tasks!)])]),
  );
}

const keyOf = (v: Visit): string => JSON.stringify([v.executingUnit, v.uscc, v.window.from, v.window.to, v.items, v.tasks]);

/** Runs (a), (b) and (c); throws when they disagree on what they both compute. */
export function compareMerge(assignments: readonly VisitAssignment[], ...projectionDbs: Db[]): MergeComparison {
  const a = timed(() => mergeVisits(assignments));
  const visits = a.value;

  const sql = new Database(':memory:');
  try {
    sql.exec('CREATE TABLE assignments (task_id TEXT NOT NULL, uscc TEXT NOT NULL, executing_unit TEXT NOT NULL, items TEXT NOT NULL, window_from TEXT NOT NULL, window_to TEXT NOT NULL)');
    const t0 = performance.now();
    const insert = sql.prepare('INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?)');
    sql.transaction(() => {
      for (const x of assignments) insert.run(x.taskId, x.uscc, x.executingUnit, JSON.stringify(x.items), x.window.from, x.window.to);
    })();
    const sqlInsert = performance.now() - t0;
    const groupBy = sql.prepare(
      'SELECT executing_unit, uscc, count(*) AS n, min(window_from) AS window_from, max(window_to) AS window_to, group_concat(task_id) AS tasks FROM assignments GROUP BY executing_unit, uscc',
    );
    const c = timed(() => groupBy.all());

    const pairs = new Set(visits.map((v) => `${v.executingUnit}\u0000${v.uscc}`)).size;
    if (pairs !== c.value.length) throw new Error(`merge disagrees with GROUP BY: ${pairs} (unit, target) pairs in visits, ${c.value.length} groups`);
    const expected = new Map(visits.map((v) => [v.visitId, keyOf(v)]));
    for (const db of projectionDbs) {
      const got = projected(db);
      const differs = got.size !== expected.size || [...expected].some(([id, k]) => got.get(id) !== k);
      if (differs) throw new Error(`the visits projection (${got.size} rows) differs from mergeVisits over the ledger (${expected.size} visits)`);
    }
    const msA = median(a.ms);
    const msC = median(c.ms);
    return {
      assignments: assignments.length,
      visits: visits.length,
      mergedVisits: visits.filter((v) => v.tasks.length > 1).length,
      pairsInVisits: pairs,
      sqlGroups: c.value.length,
      windowsAllOverlap: visits.length === c.value.length,
      projectionVisits: expected.size,
      ms: { mergeVisits: round(msA), sqlGroupBy: round(msC), sqlInsert: round(sqlInsert) },
      ratio: msC > 0 ? round(msA / msC) : Number.NaN,
    };
  } finally {
    sql.close();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
