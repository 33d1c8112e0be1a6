/** The lottery's domain side (V1–V3, L2, PL5, T10): draw events, the slot decider, PL5 counting. */
export * from './events.js';
export * from './state.js';
export * from './commands.js';
export { drawDecider, slotOf } from './decider.js';
export { previewCompletion, type CompletionPreview } from './complete.js';
export { DRAND_FALLBACK_GRACE_SECONDS, entropyOf, revealedFor } from './entropy.js';
export { anyEntropyRevealed, determine, type Determination } from './determined.js';
export { wouldHaveBeen } from './record.js';
export * from './pl5.js';
export { DEFAULT_MIN_RANDOM_POOL, checkOverallRatio, checkRandomPools, checkRatioCap, percent, type PoolPolicy } from './l2.js';
export { fromLotteryError, tryLottery } from './lottery-error.js';
export { recordOf, completeRoot, completeFollowUp } from './record.js';
export { mayAct } from './guard.js';
