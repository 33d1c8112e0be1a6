/**
 * Completing a draw (docs/lottery-spec.md §8): commitment + revealed entropy → the public record.
 * For a follow-up (extension, replacement) the parent record supplies the pools and the seed.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { fail } from './errors.js';
import { timestamp } from './guard.js';
import type { Committed } from './commitment.js';
import { replayLineage } from './draw.js';
import { checkRevealed } from './entropy.js';
import { RECORD_FORMAT } from './record.js';
import type { DrawRecord, FollowUpCommitment, RevealedEntropy, RootCommitment } from './record.js';
import { drawSeed } from './seed.js';

/** The chain root → … → record, as [root, follow-ups in order]. */
export function lineageOf(record: DrawRecord): { root: DrawRecord; rootCommitment: RootCommitment; followUps: FollowUpCommitment[] } {
  const followUps: FollowUpCommitment[] = [];
  let r = record;
  for (;;) {
    const c = r.commitment;
    if (c.kind !== 'extension' && c.kind !== 'replacement') return { root: r, rootCommitment: c, followUps };
    followUps.unshift(c);
    if (!r.parent) fail('PARENT_MISMATCH', 'parent', 'a follow-up record carries its parent record');
    r = r.parent;
  }
}

export function completeDraw(committed: Committed, revealed?: RevealedEntropy, parent?: DrawRecord): DrawRecord {
  const { commitment: c, commitmentHash, pools } = committed;
  if (c.kind === 'extension' || c.kind === 'replacement') {
    if (!parent) fail('PARENT_MISMATCH', 'parent', 'a follow-up needs its parent record');
    if (parent.commitmentHash !== c.parent) fail('PARENT_MISMATCH', 'commitment.parent', 'parent record has another commitment hash', c.parent, parent.commitmentHash);
    if (parent.commitment.task !== c.task) fail('PARENT_MISMATCH', 'commitment.task', 'a follow-up belongs to its parent\'s task', parent.commitment.task, c.task);
    if (revealed) fail('ENTROPY_INVALID', 'revealed', 'a follow-up reveals no entropy; it continues the root draw\'s streams');
    const { root, rootCommitment, followUps } = lineageOf(parent);
    const result = replayLineage(rootCommitment, [...followUps, c], root.pools, hexToBytes(root.seed));
    return { format: RECORD_FORMAT, commitment: c, commitmentHash, pools: {}, seed: root.seed, result, parent };
  }
  if (!revealed) fail('ENTROPY_INVALID', 'revealed', 'a root draw needs its revealed entropy');
  checkRevealed(c.entropy, revealed, timestamp(c.committedAt, 'commitment.committedAt'));
  const seed = drawSeed(hexToBytes(commitmentHash), c.entropy, revealed);
  const result = replayLineage(c, [], pools, seed);
  return { format: RECORD_FORMAT, commitment: c, commitmentHash, pools, revealed, seed: bytesToHex(seed), result };
}
