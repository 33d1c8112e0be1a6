/**
 * Coded lottery errors (sigstore-style): every refusal names a string-union `code` and the JSON
 * `path` of the offending field, so an auditor can see exactly where a record diverges.
 * docs/lottery-spec.md §9 lists the codes.
 */
export type LotteryErrorCode =
  | 'MALFORMED' // a field has the wrong type or shape
  | 'UNSUPPORTED_ALGORITHM' // algorithm id other than suiji-draw/1, or an unknown drand chain
  | 'ID_INVALID' // empty, too long, lone surrogate, or not NFC
  | 'POOL_NOT_CANONICAL' // pool not strictly ascending by UTF-8 bytes (unsorted or duplicate)
  | 'POOL_HASH_MISMATCH'
  | 'POOL_SIZE_MISMATCH'
  | 'POOL_MISSING' // a pool hash referenced by the commitment has no member list in the record
  | 'EXCLUDED_IN_POOL' // an excluded id is still in the pool
  | 'POOLS_OVERLAP' // two classes (or local and neighbour inspectors) share a member
  | 'QUOTA_INVALID' // quota larger than the pool, bad ratio, extension beyond the pool
  | 'PARAMETER_INVALID' // group size, load cap, recusal, replacement or parent reference invalid
  | 'COMMITMENT_HASH_MISMATCH'
  | 'PARENT_MISMATCH' // a follow-up's parent record does not match its committed parent hash
  | 'DRAND_ROUND_NOT_PLANNED' // revealed round is neither the planned nor the fallback round
  | 'DRAND_ROUND_NOT_FUTURE' // planned round is not at least the margin after committedAt
  | 'DRAND_SIGNATURE_INVALID'
  | 'DRAND_RANDOMNESS_MISMATCH'
  | 'WITNESS_REVEAL_MISMATCH' // SHA-256(secret) differs from the witness's commitment
  | 'WITNESS_MISSING' // a missing reveal the plan does not allow
  | 'CEREMONY_INVALID' // ceremony value absent or outside the committed alphabet/length
  | 'ENTROPY_INVALID' // revealed entropy does not follow the plan's shape
  | 'SEED_MISMATCH'
  | 'RESULT_MISMATCH';

export class LotteryError extends Error {
  override readonly name = 'LotteryError';
  constructor(
    readonly code: LotteryErrorCode,
    readonly path: string,
    message: string,
    readonly expected?: unknown,
    readonly actual?: unknown,
  ) {
    super(`${code} at ${path}: ${message}`);
  }
}

export function fail(code: LotteryErrorCode, path: string, message: string, expected?: unknown, actual?: unknown): never {
  throw new LotteryError(code, path, message, expected, actual);
}
