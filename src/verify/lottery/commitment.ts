/**
 * Building a commitment from inputs (docs/lottery-spec.md §3): canonicalise the pools (NFC,
 * UTF-8 order, duplicates refused), remove and record exclusions, hash the pools, and hash the
 * commitment. The output passes the same checks a verifier runs (parseCommitment, checkPoolRelations;
 * the pool hashes are computed here, so they need no second pass).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalPool, compareIds, listHash, normalizeId, poolHash } from './encoding.js';
import { fail } from './errors.js';
import { parseCommitment } from './parse.js';
import { checkPoolRelations } from './pools.js';
import type { Commitment, EntropyPlan, Exclusion, PoolRef, Quota, Recusal, Replacement } from './record.js';
import { commitmentHash } from './seed.js';
import type { Json } from './guard.js';

export interface PoolInput {
  readonly members: readonly string[];
  /** Removed before the commit; the list (with reasons) is part of the commitment. */
  readonly exclusions?: readonly Exclusion[];
}

interface BaseInput {
  readonly drawId: string;
  readonly task: string;
  readonly purpose: string;
  readonly committedAt: string;
  readonly source: { readonly ledgerPosition: string; readonly filter: Json };
}

export type CommitInput =
  | (BaseInput & {
      readonly kind: 'targets' | 'experts' | 'batchOrder';
      readonly classes: readonly { readonly name: string; readonly pool: PoolInput; readonly quota?: Quota }[];
      readonly entropy: EntropyPlan;
    })
  | (BaseInput & {
      readonly kind: 'inspectorGroups';
      /** In draw order (the merged list of the target draw). */
      readonly targets: readonly string[];
      readonly targetsFrom?: string;
      readonly inspectors: PoolInput;
      readonly neighbours?: PoolInput;
      readonly recusals?: readonly Recusal[];
      readonly groupSize: number;
      readonly maxLoad: number;
      readonly experts?: { readonly pool: PoolInput; readonly perTarget: number; readonly maxLoad: number };
      readonly entropy: EntropyPlan;
    })
  | (BaseInput & { readonly kind: 'extension'; readonly parent: string; readonly additional: readonly { readonly class: string; readonly count: number }[] })
  | (BaseInput & { readonly kind: 'replacement'; readonly parent: string; readonly replacements: readonly Replacement[] });

/** What DrawCommitted needs: the commitment, its hash, and the member lists keyed by hash. */
export interface Committed {
  readonly commitment: Commitment;
  readonly commitmentHash: string;
  readonly pools: { readonly [hash: string]: readonly string[] };
}

function buildPool(input: PoolInput, path: string, pools: Record<string, readonly string[]>): PoolRef {
  const exclusions = (input.exclusions ?? []).map((e, i) => ({ id: normalizeId(e.id, `${path}.exclusions[${i}].id`), reason: e.reason }));
  exclusions.sort((a, b) => compareIds(a.id, b.id));
  for (let i = 1; i < exclusions.length; i++) {
    if (exclusions[i - 1]!.id === exclusions[i]!.id) fail('MALFORMED', `${path}.exclusions`, `duplicate exclusion ${exclusions[i]!.id}`);
  }
  const excluded = new Set(exclusions.map((e) => e.id));
  const all = canonicalPool(input.members, `${path}.members`);
  const members = excluded.size === 0 ? all : all.filter((id) => !excluded.has(id));
  const hash = bytesToHex(poolHash(members, `${path}.members`));
  pools[hash] = members;
  return { hash, size: members.length, exclusions };
}

export function commitDraw(input: CommitInput): Committed {
  const pools: Record<string, readonly string[]> = {};
  const { drawId, task, purpose, committedAt, source } = input;
  const base = { algorithm: 'suiji-draw/1', drawId, task, purpose, committedAt, source, kind: input.kind } as const;
  let raw: unknown;
  switch (input.kind) {
    case 'targets':
    case 'experts':
    case 'batchOrder':
      raw = {
        ...base,
        classes: input.classes.map((c, i) => ({ name: c.name, pool: buildPool(c.pool, `classes[${i}].pool`, pools), ...(c.quota && { quota: c.quota }) })),
        entropy: input.entropy,
      };
      break;
    case 'inspectorGroups': {
      const targets = input.targets.map((t, i) => normalizeId(t, `targets[${i}]`));
      const targetsHash = bytesToHex(listHash(targets, 'targets'));
      pools[targetsHash] = targets;
      const recusals = (input.recusals ?? []).map((r, i) => ({ target: normalizeId(r.target, `recusals[${i}].target`), member: normalizeId(r.member, `recusals[${i}].member`) }));
      recusals.sort((a, b) => compareIds(a.target, b.target) || compareIds(a.member, b.member));
      const unique = recusals.filter((r, i) => i === 0 || r.target !== recusals[i - 1]!.target || r.member !== recusals[i - 1]!.member);
      raw = {
        ...base,
        targets: { hash: targetsHash, size: targets.length, ...(input.targetsFrom !== undefined && { from: input.targetsFrom }) },
        inspectors: buildPool(input.inspectors, 'inspectors', pools),
        ...(input.neighbours && { neighbours: buildPool(input.neighbours, 'neighbours', pools) }),
        recusals: unique,
        groupSize: input.groupSize,
        maxLoad: input.maxLoad,
        ...(input.experts && { experts: { pool: buildPool(input.experts.pool, 'experts.pool', pools), perTarget: input.experts.perTarget, maxLoad: input.experts.maxLoad } }),
        entropy: input.entropy,
      };
      break;
    }
    case 'extension':
      raw = { ...base, parent: input.parent, additional: input.additional };
      break;
    case 'replacement':
      raw = { ...base, parent: input.parent, replacements: input.replacements.map((r) => ({ ...r, member: normalizeId(r.member, 'replacements.member'), ...(r.target !== undefined && { target: normalizeId(r.target, 'replacements.target') }) })) };
      break;
  }
  // A JSON round trip drops undefined members exactly as JCS does, so the stored object is the hashed one.
  const commitment = parseCommitment(JSON.parse(JSON.stringify(raw)));
  if (commitment.kind !== 'extension' && commitment.kind !== 'replacement') checkPoolRelations(commitment, pools);
  return { commitment, commitmentHash: bytesToHex(commitmentHash(commitment)), pools };
}
