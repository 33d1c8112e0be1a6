/**
 * The verifiable lottery, suiji-draw/1 (docs/lottery-spec.md). Pure: depends only on
 * @noble/hashes and @noble/curves, runs unchanged in a browser.
 *
 * Domain use: commitDraw(input) → DrawCommitted { commitment, commitmentHash, pools };
 * after the entropy is revealed, completeDraw(committed, revealed[, parent]) → DrawRecord
 * (DrawCompleted); anyone: verifyDrawRecord(record) → { ok } | { ok: false, code, path, … }.
 */
export { ALGORITHM, compareIds, canonicalPool, normalizeId, poolHash, listHash, tag, nobleSha256, type Sha256Factory, type Sha256Hasher } from './encoding.js';
export { LotteryError } from './errors.js';
export type { LotteryErrorCode } from './errors.js';
export { commitDraw } from './commitment.js';
export type { CommitInput, Committed, PoolInput } from './commitment.js';
export { completeDraw, lineageOf } from './complete.js';
export { replayLineage, startDraw } from './draw.js';
export type { DrawState, PoolMap } from './state.js';
export {
  DRAND_CHAINS, DRAND_MARGIN_SECONDS, QUICKNET_CHAIN_HASH, checkRevealed, drandRoundTime, verifyDrandSignature, witnessCommitment,
} from './entropy.js';
export type { DrandChain } from './entropy.js';
export { parseCommitment, parseRevealed, quotaCount } from './parse.js';
export { checkPoolRelations, checkPools } from './pools.js';
export { RECORD_FORMAT } from './record.js';
export type * from './record.js';
export { Shuffler, Stream } from './sampler.js';
export { commitmentHash, drawSeed, encodeEntropy, subSeed } from './seed.js';
export { firstDifference, verifyDrawRecord, verifyDrawRecordBytes, verifyDrawRecordText, type VerifyOptions } from './verify-record.js';
export { parseRecordBytes } from './record-bytes.js';
export { PackedIds, memberArray, memberAt, type Members } from './packed.js';
export type { VerifyResult } from './verify-record.js';
