/**
 * Running a draw (docs/lottery-spec.md §7): class draws (targets, experts, batch order) and
 * their follow-ups. A draw's state is its shufflers; extension and replacement continue them,
 * so the root commitment plus its entropy fix every member's place in line forever (V3).
 */
import { fail } from './errors.js';
import { quotaCount } from './parse.js';
import type {
  ClassDrawCommitment, ClassDrawResult, DrawResult, ExtensionCommitment, FollowUpCommitment, ReplacementCommitment,
  ReplacementResult, RootCommitment,
} from './record.js';
import { Shuffler, Stream } from './sampler.js';
import { subSeed } from './seed.js';
import { GroupState } from './groups.js';
import { lookupPool } from './state.js';
import { memberAt, type Members } from './packed.js';
import type { DrawState, PoolMap } from './state.js';

interface ClassRun {
  readonly name: string;
  readonly pool: Members;
  readonly shuffler: Shuffler;
  selected: string[];
}

class ClassState implements DrawState {
  private readonly runs: ClassRun[];
  result: ClassDrawResult;
  private readonly kind: ClassDrawCommitment['kind'];

  constructor(c: ClassDrawCommitment, pools: PoolMap, seed: Uint8Array) {
    this.kind = c.kind;
    // Spec §7.1: class i draws from its own stream, keyed subSeed(seed, "class", i).
    this.runs = c.classes.map((cls, i) => {
      const pool = lookupPool(pools, cls.pool.hash, `commitment.classes[${i}].pool.hash`);
      return { name: cls.name, pool, shuffler: new Shuffler(pool.length, new Stream(subSeed(seed, 'class', i))), selected: [] };
    });
    const picked = this.runs.map((run, i) => {
      const q = c.classes[i]!.quota;
      const k = q === undefined ? run.pool.length : quotaCount(q, run.pool.length);
      return this.take(run, k);
    });
    this.result = this.snapshot(picked);
  }

  private take(run: ClassRun, k: number): string[] {
    const out: string[] = [];
    // One push per id: `push(...out)` overflows the call stack for ~10^5 picks.
    for (let j = 0; j < k; j++) {
      const id = memberAt(run.pool, run.shuffler.pick()!);
      out.push(id);
      run.selected.push(id);
    }
    return out;
  }

  private snapshot(picked: readonly string[][], replacements?: ReplacementResult[]): ClassDrawResult {
    const classes = this.runs.map((run, i) => ({ name: run.name, picked: picked[i]!, selected: [...run.selected] }));
    return { classes, merged: classes.flatMap((c) => c.selected), ...(replacements && { replacements }) };
  }

  private run(name: string, path: string): ClassRun {
    const run = this.runs.find((r) => r.name === name);
    if (!run) fail('PARAMETER_INVALID', path, `no class ${JSON.stringify(name)} in the parent draw`);
    return run;
  }

  apply(c: FollowUpCommitment, path = 'commitment'): ClassDrawResult {
    // L2: a batch order already ranks every member; there is nothing to extend or replace.
    if (this.kind === 'batchOrder') fail('PARAMETER_INVALID', `${path}.kind`, 'a batch order takes no follow-up');
    return (this.result = c.kind === 'extension' ? this.extend(c, path) : this.replace(c, path));
  }

  /** §7.3: an extension continues each named class's shuffle by `count` more picks. */
  private extend(c: ExtensionCommitment, path: string): ClassDrawResult {
    const picked = this.runs.map((): string[] => []);
    c.additional.forEach((a, i) => {
      const run = this.run(a.class, `${path}.additional[${i}].class`);
      if (a.count > run.shuffler.remaining) fail('QUOTA_INVALID', `${path}.additional[${i}].count`, 'more than the members left', `<= ${run.shuffler.remaining}`, a.count);
      picked[this.runs.indexOf(run)] = this.take(run, a.count);
    });
    return this.snapshot(picked);
  }

  /** §7.4: the replacement is the next member in the class's shuffle, placed in the replaced slot. */
  private replace(c: ReplacementCommitment, path: string): ClassDrawResult {
    const picked = this.runs.map((): string[] => []);
    const replacements = c.replacements.map((r, i): ReplacementResult => {
      if (r.class === undefined) fail('PARAMETER_INVALID', `${path}.replacements[${i}]`, 'a class draw replaces by class');
      const run = this.run(r.class, `${path}.replacements[${i}].class`);
      const slot = run.selected.indexOf(r.member);
      if (slot < 0) fail('PARAMETER_INVALID', `${path}.replacements[${i}].member`, 'not currently selected in that class');
      const next = run.shuffler.pick();
      if (next === undefined) {
        run.selected.splice(slot, 1);
        return { class: r.class, member: r.member, replacement: null };
      }
      const id = memberAt(run.pool, next);
      run.selected[slot] = id;
      picked[this.runs.indexOf(run)]!.push(id);
      return { class: r.class, member: r.member, replacement: id };
    });
    return this.snapshot(picked, replacements);
  }
}

/** §7: starts the state machine of a root draw from its commitment, pools and seed. */
export function startDraw(c: RootCommitment, pools: PoolMap, seed: Uint8Array): DrawState {
  if (c.kind === 'inspectorGroups') return new GroupState(c, pools, seed);
  return new ClassState(c, pools, seed);
}

/**
 * Replays a lineage root → follow-ups and returns the last result. Errors in follow-up i name
 * its commitment as seen from the newest record: "parent." once per later follow-up.
 */
export function replayLineage(root: RootCommitment, followUps: readonly FollowUpCommitment[], pools: PoolMap, seed: Uint8Array, at = ''): DrawResult {
  const state = startDraw(root, pools, seed);
  let result = state.result;
  followUps.forEach((f, i) => {
    result = state.apply(f, `${at}${'parent.'.repeat(followUps.length - 1 - i)}commitment`);
  });
  return result;
}

export const isClassKind = (k: string): k is 'targets' | 'experts' | 'batchOrder' => k === 'targets' || k === 'experts' || k === 'batchOrder';
