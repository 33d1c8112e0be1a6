/**
 * The port the public ledger service (src/app/ledger) and the cosignature service need from a
 * store beyond events: the committed head, stored leaf hashes, perfect subtree roots (a node
 * cache where the adapter keeps one), the table of signed checkpoints, and one signer at a time
 * across every process on the ledger. SQLite: `sqlite/ledger-tree.ts` (BEGIN IMMEDIATE).
 * PostgreSQL: `postgres/ledger-tree.ts` (a transaction holding an advisory lock). The signing
 * decision itself lives once, in LedgerPublic.
 *
 * Proof functions (src/verify/subtree.ts, consistency.ts) take a synchronous PerfectSubtree;
 * which subtrees a proof names depends only on the sizes, never on hash values. So a caller
 * first records the subtrees a computation asks for (`subtreesNeeded`), the adapter fetches
 * them in one go (`subtrees`), and the computation runs again on the answers.
 */
import type { PerfectSubtree } from '../verify/subtree.js';

export interface StoredSignedCheckpoint {
  readonly size: number;
  /** Lowercase hex. */
  readonly root: string;
  /** The signed note as signed by the log key (no cosignatures). */
  readonly note: string;
  readonly signedAt: string;
}

export type SubtreeNeed = readonly [level: number, index: number];

export interface LedgerTree {
  /** The ledger head as committed (size and root from the persisted frontier). */
  head(): Promise<{ size: number; root: string }>;
  /** Stored leaf hashes of positions [from, to). */
  leaves(from: number, to: number): Promise<Uint8Array[]>;
  /** A lookup answering at least `needs` (fetched now; the node cache filled as needed). */
  subtrees(needs: readonly SubtreeNeed[]): Promise<PerfectSubtree>;
  /** One bounded step of filling the node cache below `size`; true when nothing is left. */
  fillSome(size: number): Promise<boolean>;
  /** The first of `count` cached blocks from `from` (wrapping) whose cached root differs from its leaves, or null. */
  auditBlocks(from: number, count: number): Promise<number | null>;
  lastSigned(): Promise<StoredSignedCheckpoint | null>;
  signedAt(size: number): Promise<StoredSignedCheckpoint | null>;
  /**
   * Runs `decide` holding the ledger's signing lock — one signer at a time across every
   * process on this ledger — with the last signed checkpoint read under that lock; what it
   * returns is inserted before the lock is released. It may throw to refuse (nothing written).
   */
  signExclusively(decide: (last: StoredSignedCheckpoint | null) => Promise<StoredSignedCheckpoint | null>): Promise<StoredSignedCheckpoint | null>;
  close(): Promise<void>;
}

const PLACEHOLDER = new Uint8Array(32);

/** The perfect subtrees `compute` asks for (it is run once on placeholder hashes). */
export function subtreesNeeded(compute: (perfect: PerfectSubtree) => unknown): SubtreeNeed[] {
  const needs = new Map<string, SubtreeNeed>();
  compute((level, index) => {
    needs.set(`${level}/${index}`, [level, index]);
    return PLACEHOLDER;
  });
  return [...needs.values()];
}

/** Runs `compute` on real subtree hashes from `tree`. */
export async function withSubtrees<T>(tree: LedgerTree, compute: (perfect: PerfectSubtree) => T): Promise<T> {
  return compute(await tree.subtrees(subtreesNeeded(compute)));
}
