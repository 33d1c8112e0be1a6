/**
 * Does this ledger extend a checkpoint (size, root) taken earlier? Issue 7 §4: a rollback,
 * a restored old copy, or another history must be told apart from a ledger that only grew.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { EMPTY_ROOT } from '../verify/merkle.js';
import { NodeMerkleFrontier } from './frontier.js';
import type { EventStore, LedgerHead } from './port.js';

type Source = Pick<EventStore, 'head' | 'checkpoints' | 'readAll'>;

const PAGE = 5000;

/**
 * The root over the ledger's first `size` leaves, or null when the ledger is shorter. Fast
 * path: the head, or the store's own checkpoint at exactly `size` (every append transaction
 * records one). Otherwise the stored leaf hashes are folded from position 0 — O(size), which
 * only happens for a size that is no transaction boundary. Stored leaf hashes are trusted
 * here; `suiji ledger verify` recomputes them.
 */
export async function ledgerRootAt(store: Source, size: number): Promise<string | null> {
  const head = await store.head();
  if (head.size < size) return null;
  if (head.size === size) return head.root;
  if (size === 0) return bytesToHex(EMPTY_ROOT);
  const [cp] = await store.checkpoints({ from: size, limit: 1 });
  if (cp && cp.size === size) return cp.root;
  const frontier = NodeMerkleFrontier.empty();
  while (frontier.size < size) {
    const page = await store.readAll({ from: frontier.size, limit: Math.min(PAGE, size - frontier.size) });
    if (page.length === 0) return null;
    for (const e of page) {
      if (e.position !== frontier.size) return null;
      frontier.push(hexToBytes(e.hash));
    }
  }
  return bytesToHex(frontier.root());
}

export type ExtensionFault =
  /** The ledger has fewer events than the checkpoint: its tail was lost or rolled back. */
  | { readonly reason: 'shorter'; readonly size: number; readonly checkpointSize: number }
  /** Same size or longer, but the first `checkpointSize` leaves are another history. */
  | { readonly reason: 'different-history'; readonly checkpointSize: number; readonly root: string; readonly checkpointRoot: string };

/** null when the ledger extends `cp` (its first cp.size leaves have root cp.root). */
export async function checkExtends(store: Source, cp: LedgerHead): Promise<ExtensionFault | null> {
  const root = await ledgerRootAt(store, cp.size);
  if (root === null) return { reason: 'shorter', size: (await store.head()).size, checkpointSize: cp.size };
  if (root !== cp.root) return { reason: 'different-history', checkpointSize: cp.size, root, checkpointRoot: cp.root };
  return null;
}
