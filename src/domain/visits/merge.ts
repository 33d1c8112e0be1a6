/**
 * T5 (进一次门、查多项事): the targets that several tasks send to the same executing unit in
 * overlapping windows become one visit covering every item. Pure and deterministic, so an
 * auditor recomputes it from the TaskCreated (items, window) and TaskDispatched (unit, target)
 * payloads alone — no ledger position, clock or input order enters the result.
 *
 * The rule, exactly:
 * 1. An assignment is (task, its items, target USCC, executing unit, task window [from, to]),
 *    dates inclusive (YYYY-MM-DD, compared as strings).
 * 2. Two assignments of the same unit and the same target overlap when
 *    a.from <= b.to && b.from <= a.to (sharing a single day counts).
 * 3. A visit is a connected component of "overlaps" (transitive): A–B and B–C overlapping puts
 *    A, B and C in one visit even when A and C do not overlap. Transitive because any
 *    non-transitive rule (e.g. "join the first visit it overlaps") depends on the order the
 *    tasks arrive in, which an auditor could not recompute without replaying that order.
 * 4. Its window is [min from, max to] of its assignments; its items are the union of its tasks'
 *    items; tasks of different plans or departments merge alike (the unit and target decide).
 * 5. Its id is `<unit>-<from without dashes>-<uscc>`: within one unit and target, components
 *    have disjoint windows, so their earliest `from` differs and the id is unique; the USCC (18)
 *    and date (8) parts have fixed lengths, so the id parses unambiguously.
 * A later task whose window bridges two visits merges them: the one with the later `from`
 * disappears (its id is no longer produced). Visits are provisional until matching (T6).
 *
 * 6. Frozen visits (T6: a matching draw was committed over it, or it was assigned directly) are
 *    given as input, each with the exact content recorded in its own stream. They are output
 *    unchanged; an assignment already in a frozen visit (same unit, target and task) is consumed
 *    by it; every other assignment merges by rules 2–5 among the unfrozen ones only, so a later
 *    overlapping dispatch never joins a frozen visit — it forms its own.
 * 7. An unfrozen visit whose id (rule 5) is already a frozen visit's id takes the suffix `-<k>`,
 *    the smallest k >= 2 not taken by a frozen visit (e.g. `u-20260301-<uscc>-2`). Unfrozen
 *    components still have pairwise disjoint windows, so only frozen ids can collide.
 */

export interface VisitAssignment {
  readonly taskId: string;
  readonly items: readonly string[];
  readonly uscc: string;
  readonly executingUnit: string;
  readonly window: { readonly from: string; readonly to: string };
}

export interface VisitTask {
  readonly taskId: string;
  readonly items: readonly string[];
  readonly window: { readonly from: string; readonly to: string };
}

export interface Visit {
  readonly visitId: string;
  readonly executingUnit: string;
  readonly uscc: string;
  readonly window: { readonly from: string; readonly to: string };
  /** Union of the tasks' items, sorted. */
  readonly items: readonly string[];
  /** The merged tasks, sorted by task id. */
  readonly tasks: readonly VisitTask[];
}

export const visitId = (executingUnit: string, from: string, uscc: string): string => `${executingUnit}-${from.replaceAll('-', '')}-${uscc}`;

/** Rule 7: the first id of `base`, `base-2`, `base-3`, … not in `taken`. */
export function freeVisitId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}-${k}`)) return `${base}-${k}`;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Total order on assignments, so equal inputs in any order sort identically. */
const byWindowThenTask = (a: VisitAssignment, b: VisitAssignment): number =>
  cmp(a.window.from, b.window.from) || cmp(a.window.to, b.window.to) || cmp(a.taskId, b.taskId);

function visitOf(group: readonly VisitAssignment[]): Visit {
  const first = group[0]!;
  let to = first.window.to;
  const tasks = new Map<string, VisitTask>();
  for (const a of group) {
    if (a.window.to > to) to = a.window.to;
    // A task names a target once (locked lists are unique), so one entry per task.
    tasks.set(a.taskId, { taskId: a.taskId, items: [...new Set(a.items)].sort(cmp), window: { from: a.window.from, to: a.window.to } });
  }
  const items = [...new Set(group.flatMap((a) => a.items))].sort(cmp);
  return {
    visitId: visitId(first.executingUnit, first.window.from, first.uscc),
    executingUnit: first.executingUnit,
    uscc: first.uscc,
    window: { from: first.window.from, to },
    items,
    tasks: [...tasks.values()].sort((a, b) => cmp(a.taskId, b.taskId)),
  };
}

/**
 * Groups assignments into visits (rule above). Sweep per (unit, target): sorted by `from`, an
 * assignment joins the current component when its `from` is at most the component's latest
 * `to` — which yields exactly the connected components of the overlap graph of intervals.
 * Result sorted by visit id.
 */
export function mergeVisits(assignments: readonly VisitAssignment[], frozen: readonly Visit[] = []): Visit[] {
  const byKey = new Map<string, VisitAssignment[]>();
  const consumed = new Set(frozen.flatMap((v) => v.tasks.map((t) => `${v.executingUnit}\u0000${v.uscc}\u0000${t.taskId}`)));
  const taken = new Set(frozen.map((v) => v.visitId));
  for (const a of assignments) {
    if (consumed.has(`${a.executingUnit}\u0000${a.uscc}\u0000${a.taskId}`)) continue;
    const key = `${a.executingUnit}\u0000${a.uscc}`;
    const list = byKey.get(key);
    if (list) list.push(a);
    else byKey.set(key, [a]);
  }
  const visits: Visit[] = [];
  for (const list of byKey.values()) {
    const sorted = [...list].sort(byWindowThenTask);
    let group: VisitAssignment[] = [];
    let reach = '';
    for (const a of sorted) {
      if (group.length > 0 && a.window.from > reach) {
        visits.push(visitOf(group));
        group = [];
      }
      if (group.length === 0 || a.window.to > reach) reach = a.window.to;
      group.push(a);
    }
    if (group.length > 0) visits.push(visitOf(group));
  }
  const open = visits.map((v) => (taken.has(v.visitId) ? { ...v, visitId: freeVisitId(v.visitId, taken) } : v));
  return [...frozen, ...open].sort((a, b) => cmp(a.visitId, b.visitId));
}
