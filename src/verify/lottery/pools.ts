/**
 * Checks the member lists of a record against the pool references of its commitment
 * (docs/lottery-spec.md §2.4, §3.2): canonical order, hash, size, exclusions removed, and
 * classes (or local and neighbour inspectors) disjoint. O(total members).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { compareIds, listHash, nobleSha256, poolHash, type Sha256Factory } from './encoding.js';
import { memberAt, PackedIds, type Members } from './packed.js';
import { fail } from './errors.js';
import { arr, isObject } from './guard.js';
import type { PoolRef, RootCommitment } from './record.js';
import type { PoolMap } from './state.js';

function binaryHas(sorted: Members, id: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareIds(memberAt(sorted, mid), id);
    if (c === 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** First id common to two sorted pools, by a linear merge. */
function firstCommon(a: Members, b: Members): string | undefined {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = memberAt(a, i);
    const c = compareIds(x, memberAt(b, j));
    if (c === 0) return x;
    if (c < 0) i++;
    else j++;
  }
  return undefined;
}

interface Ref {
  readonly ref: { readonly hash: string; readonly size: number; readonly exclusions?: PoolRef['exclusions'] };
  readonly path: string;
  readonly sorted: boolean;
}

function refsOf(c: RootCommitment, at: string): Ref[] {
  if (c.kind !== 'inspectorGroups') return c.classes.map((cls, i) => ({ ref: cls.pool, path: `${at}commitment.classes[${i}].pool`, sorted: true }));
  return [
    { ref: c.targets, path: `${at}commitment.targets`, sorted: false },
    { ref: c.inspectors, path: `${at}commitment.inspectors`, sorted: true },
    ...(c.neighbours ? [{ ref: c.neighbours, path: `${at}commitment.neighbours`, sorted: true }] : []),
    ...(c.experts ? [{ ref: c.experts.pool, path: `${at}commitment.experts.pool`, sorted: true }] : []),
  ];
}

/**
 * Validates `pools` (hostile JSON) against the commitment and returns them as a PoolMap.
 * `at` prefixes every reported path ("parent." inside a follow-up's parent record);
 * `createHash` hashes the member lists (default @noble).
 */
export function checkPools(c: RootCommitment, pools: unknown, at = '', createHash?: Sha256Factory): PoolMap {
  const path = `${at}pools`;
  if (!isObject(pools)) fail('MALFORMED', path, 'expected an object of member lists keyed by hash');
  const refs = refsOf(c, at);
  const used = new Set(refs.map((r) => r.ref.hash));
  for (const k of Object.keys(pools)) if (!used.has(k)) fail('MALFORMED', `${path}.${k}`, 'member list not referenced by the commitment');
  const checked = new Set<string>();
  for (const { ref, path: refPath, sorted } of refs) {
    const p = `${path}.${ref.hash}`;
    if (!(ref.hash in pools)) fail('POOL_MISSING', `${refPath}.hash`, 'no member list for this hash');
    const list = pools[ref.hash];
    // A list packed from the record's bytes (record-bytes.ts) hashes itself, alike.
    const ids = list instanceof PackedIds ? list : arr(list, p);
    if (!checked.has(ref.hash)) {
      const h = bytesToHex(
        ids instanceof PackedIds ? ids.hash(sorted, p, createHash ?? nobleSha256)
        : sorted ? poolHash(ids, p, createHash) : listHash(ids, p, createHash),
      );
      if (h !== ref.hash) fail('POOL_HASH_MISMATCH', `${refPath}.hash`, 'member list does not hash to the committed value', ref.hash, h);
      checked.add(ref.hash);
    }
  }
  // Every list now hashes to its committed value, so every element is a canonical id.
  const map = pools as PoolMap;
  checkPoolRelations(c, map, at);
  return map;
}

/**
 * Spec §3.2 relations between hashed pools: size as committed, no excluded id left in its pool,
 * classes disjoint (T3: a member belongs to one class), local and neighbour inspectors disjoint (T8).
 */
export function checkPoolRelations(c: RootCommitment, pools: PoolMap, at = ''): void {
  const refs = refsOf(c, at);
  for (const { ref, path: refPath } of refs) {
    const list = pools[ref.hash];
    if (!list) fail('POOL_MISSING', `${refPath}.hash`, 'no member list for this hash');
    if (list.length !== ref.size) fail('POOL_SIZE_MISMATCH', `${refPath}.size`, 'size differs from the member list', list.length, ref.size);
    ref.exclusions?.forEach((e, i) => {
      if (binaryHas(list, e.id)) fail('EXCLUDED_IN_POOL', `${refPath}.exclusions[${i}].id`, 'excluded id is still in the pool');
    });
  }
  const disjoint = c.kind === 'inspectorGroups' ? (c.neighbours ? [refs[1]!, refs[2]!] : []) : refs;
  for (let i = 0; i < disjoint.length; i++) {
    for (let j = i + 1; j < disjoint.length; j++) {
      const common = firstCommon(pools[disjoint[i]!.ref.hash]!, pools[disjoint[j]!.ref.hash]!);
      if (common !== undefined) fail('POOLS_OVERLAP', `${disjoint[j]!.path}.hash`, `${JSON.stringify(common)} is also in ${disjoint[i]!.path}`);
    }
  }
}
