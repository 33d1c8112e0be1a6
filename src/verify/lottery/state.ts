/** The shared shape of a running draw (class draws in draw.ts, groups in groups.ts). */
import { fail } from './errors.js';
import type { DrawResult, FollowUpCommitment } from './record.js';

import type { Members } from './packed.js';

/** Member lists by pool hash — already checked canonical and matching their hash; strings, or packed from a record's bytes. */
export type PoolMap = { readonly [hash: string]: Members | undefined };

export interface DrawState {
  readonly result: DrawResult;
  /** Applies a follow-up; throws QUOTA_INVALID / PARAMETER_INVALID when it does not fit the state. */
  apply(c: FollowUpCommitment, path?: string): DrawResult;
}

export function lookupPool(pools: PoolMap, hash: string, path: string): Members {
  const p = pools[hash];
  if (!p) fail('POOL_MISSING', path, `no member list for pool ${hash}`);
  return p;
}
