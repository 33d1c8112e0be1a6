/**
 * Inspector groups, docs/lottery-spec.md §7.5 (T7, T8, T9, T10):
 * targets are served in draw order; target t draws from its own streams
 * subSeed(seed, "inspectors", t) and subSeed(seed, "experts", t) by walking a Fisher–Yates
 * shuffle of its pool and keeping the first eligible members. Skipping ineligible members of a
 * uniform permutation leaves a uniform order over the eligible ones (V5).
 */
import { compareIds } from './encoding.js';
import { fail } from './errors.js';
import type { DrawState, PoolMap } from './state.js';
import { lookupPool } from './state.js';
import { memberArray } from './packed.js';
import type { FollowUpCommitment, Group, GroupsCommitment, GroupsResult, ReplacementResult } from './record.js';
import { Shuffler, Stream } from './sampler.js';
import { subSeed } from './seed.js';

/** Union of two disjoint sorted pools, sorted (spec §7.5: the joint pool of T8). */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j === b.length || (i < a.length && compareIds(a[i]!, b[j]!) < 0)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

interface Walk {
  readonly pool: readonly string[];
  readonly shuffler: Shuffler;
}

interface TargetRun {
  readonly target: string;
  readonly kind: 'local' | 'joint';
  readonly inspectors: Walk;
  members: string[];
  experts: string[];
  expertWalk?: Walk;
}

export class GroupState implements DrawState {
  private readonly recused = new Map<string, Set<string>>();
  private readonly load = new Map<string, number>();
  private readonly expertLoad = new Map<string, number>();
  /** §7.6: a member replaced out is never drawn again anywhere in this lineage. */
  private readonly retired = new Set<string>();
  private readonly runs: TargetRun[] = [];
  private readonly unmatched: { target: string; need: 'inspectors' | 'experts' }[] = [];
  result: GroupsResult;

  constructor(
    private readonly c: GroupsCommitment,
    pools: PoolMap,
    private readonly seed: Uint8Array,
  ) {
    for (const r of c.recusals) {
      let s = this.recused.get(r.target);
      if (!s) this.recused.set(r.target, (s = new Set()));
      s.add(r.member);
    }
    // Group draws walk whole pools of people (small): as strings.
    const targets = memberArray(lookupPool(pools, c.targets.hash, 'commitment.targets.hash'));
    const local = memberArray(lookupPool(pools, c.inspectors.hash, 'commitment.inspectors.hash'));
    const joint = c.neighbours ? mergeSorted(local, memberArray(lookupPool(pools, c.neighbours.hash, 'commitment.neighbours.hash'))) : undefined;
    const experts = c.experts ? memberArray(lookupPool(pools, c.experts.pool.hash, 'commitment.experts.pool.hash')) : undefined;
    targets.forEach((target, t) => this.serve(target, t, local, joint, experts));
    this.result = this.snapshot();
  }

  private eligible(target: string, m: string, load: Map<string, number>, cap: number, taken: readonly string[]): boolean {
    return !this.recused.get(target)?.has(m) && !this.retired.has(m) && (load.get(m) ?? 0) < cap && !taken.includes(m);
  }

  private countEligible(target: string, pool: readonly string[], load: Map<string, number>, cap: number): number {
    let n = 0;
    for (const m of pool) if (this.eligible(target, m, load, cap, [])) n++;
    return n;
  }

  /** Next eligible member of a walk, or undefined when the shuffle is exhausted. */
  private next(target: string, walk: Walk, load: Map<string, number>, cap: number, taken: readonly string[]): string | undefined {
    for (let i = walk.shuffler.pick(); i !== undefined; i = walk.shuffler.pick()) {
      const m = walk.pool[i]!;
      if (this.eligible(target, m, load, cap, taken)) {
        load.set(m, (load.get(m) ?? 0) + 1);
        return m;
      }
    }
    return undefined;
  }

  private serve(target: string, t: number, local: readonly string[], joint: readonly string[] | undefined, experts: readonly string[] | undefined): void {
    const { groupSize, maxLoad } = this.c;
    // T8: joint matching exactly when fewer than groupSize local inspectors are eligible.
    const useJoint = this.countEligible(target, local, this.load, maxLoad) < groupSize && joint !== undefined;
    const pool = useJoint ? joint : local;
    if (this.countEligible(target, pool, this.load, maxLoad) < groupSize) {
      this.unmatched.push({ target, need: 'inspectors' });
      return;
    }
    const run: TargetRun = {
      target,
      kind: useJoint ? 'joint' : 'local',
      inspectors: { pool, shuffler: new Shuffler(pool.length, new Stream(subSeed(this.seed, 'inspectors', t))) },
      members: [],
      experts: [],
    };
    while (run.members.length < groupSize) run.members.push(this.next(target, run.inspectors, this.load, maxLoad, run.members)!);
    const e = this.c.experts;
    if (e && experts) {
      if (this.countEligible(target, experts, this.expertLoad, e.maxLoad) < e.perTarget) {
        this.unmatched.push({ target, need: 'experts' });
      } else {
        run.expertWalk = { pool: experts, shuffler: new Shuffler(experts.length, new Stream(subSeed(this.seed, 'experts', t))) };
        while (run.experts.length < e.perTarget) run.experts.push(this.next(target, run.expertWalk, this.expertLoad, e.maxLoad, run.experts)!);
      }
    }
    this.runs.push(run);
  }

  private snapshot(replacements?: ReplacementResult[]): GroupsResult {
    const groups = this.runs.map(
      (r): Group => ({ target: r.target, pool: r.kind, members: [...r.members], leader: r.members[0] ?? null, experts: [...r.experts] }),
    );
    return { groups, unmatched: [...this.unmatched], ...(replacements && { replacements }) };
  }

  /** §7.6 (T10): the next eligible member of the same target's walk takes the replaced slot. */
  apply(c: FollowUpCommitment, path = 'commitment'): GroupsResult {
    if (c.kind !== 'replacement') fail('PARAMETER_INVALID', `${path}.kind`, 'inspector groups take replacements only');
    const replacements = c.replacements.map((r, i): ReplacementResult => {
      const p = `${path}.replacements[${i}]`;
      if (r.target === undefined) fail('PARAMETER_INVALID', p, 'a group draw replaces by target');
      const run = this.runs.find((x) => x.target === r.target);
      if (!run) fail('PARAMETER_INVALID', `${p}.target`, 'target has no drawn group');
      const asInspector = run.members.includes(r.member);
      if (!asInspector && !run.experts.includes(r.member)) fail('PARAMETER_INVALID', `${p}.member`, 'not in that target\'s group');
      const list = asInspector ? run.members : run.experts;
      const load = asInspector ? this.load : this.expertLoad;
      const walk = asInspector ? run.inspectors : run.expertWalk!;
      const cap = asInspector ? this.c.maxLoad : this.c.experts!.maxLoad;
      this.retired.add(r.member);
      load.set(r.member, load.get(r.member)! - 1);
      const slot = list.indexOf(r.member);
      const next = this.next(r.target, walk, load, cap, list);
      if (next === undefined) list.splice(slot, 1);
      else list[slot] = next;
      return { target: r.target, member: r.member, replacement: next ?? null };
    });
    return (this.result = this.snapshot(replacements));
  }
}
