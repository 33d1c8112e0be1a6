/**
 * Proofs over the SQLite ledger without rebuilding the tree per request, and the table of
 * signed checkpoints (issue 11, V4). Opened as its own connection on `<data>/suiji.db` (WAL:
 * readers never block the appender).
 *
 * Node cache (`merkle_nodes`): the root of every complete, aligned block of 2^level leaves for
 * level >= CACHE_LEVEL (16 leaves and up), filled lazily up to the size asked for. A perfect
 * subtree of 16+ leaves is then one row; a smaller one is folded from at most 15 stored leaf
 * hashes. Any RFC 9162 proof names O(log n) subtrees, so one proof reads O(log n) rows plus at
 * most ~2 × 15 leaves (docs/public.md "Signed checkpoints and proofs"). The cache is derived
 * data: the signer never trusts it alone (see src/app/ledger/signer.ts) and `suiji ledger verify`
 * recomputes everything from the envelopes.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { EMPTY_ROOT } from '../../verify/merkle.js';
import { merkleLevels } from '../../verify/inclusion.js';
import { subtreeRoot, type PerfectSubtree } from '../../verify/subtree.js';
import { NodeMerkleFrontier, nodeHashFast } from '../frontier.js';
import { DB_FILE, applyPragmas } from './schema.js';
import { guarded } from './errors.js';
import type { LedgerTree, StoredSignedCheckpoint } from '../ledger-tree.js';

/**
 * 2^4 = 16 leaves per cached block: ~n/8 rows in all (~125,000 at a million events, a few MB),
 * ≤ 15 leaves read per uncached piece. Measured (bench/checkpoint.ts, 20,000 events): level 8
 * gave 734 inclusion proofs/s, level 4 gave 1,040–1,759/s — leaf reads from the wide events
 * table dominate, node rows are cheap.
 */
export const CACHE_LEVEL = 4;
export const BLOCK_LEAVES = 2 ** CACHE_LEVEL;
const BLOCK = BLOCK_LEAVES;
const HASH_BYTES = 32;
/** Blocks filled per write transaction, so a first fill of a large ledger never holds the lock long. */
const FILL_BATCH = 2048;

const DDL = [
  `CREATE TABLE IF NOT EXISTS merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS signed_checkpoints (size INTEGER PRIMARY KEY, root TEXT NOT NULL, note TEXT NOT NULL, signed_at TEXT NOT NULL)`,
];

export type { StoredSignedCheckpoint };

/** The root of one cached block from its BLOCK_LEAVES leaf hashes (shared with the PostgreSQL tree). */
export function blockRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const levels = merkleLevels(leaves, nodeHashFast);
  return levels[levels.length - 1]![0]!;
}

export class SqliteLedgerTree {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(dataDir: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = guarded(() => new Database(join(dataDir, DB_FILE), { fileMustExist: true }));
    try {
      guarded(() => {
        applyPragmas(this.db, options.busyTimeoutMs ?? 5000);
        this.db.transaction(() => {
          for (const s of DDL) this.db.exec(s);
        }).immediate();
      });
      const db = this.db;
      this.stmt = {
        head: db.prepare('SELECT size, frontier FROM ledger_head WHERE id = 1'),
        leaves: db.prepare('SELECT hash FROM events WHERE position >= ? AND position < ? ORDER BY position').pluck(),
        node: db.prepare('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?').pluck(),
        blocks: db.prepare(`SELECT count(*) FROM merkle_nodes WHERE level = ${CACHE_LEVEL}`).pluck(),
        putNode: db.prepare('INSERT OR REPLACE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
        lastSigned: db.prepare('SELECT size, root, note, signed_at AS signedAt FROM signed_checkpoints ORDER BY size DESC LIMIT 1'),
        signedAt: db.prepare('SELECT size, root, note, signed_at AS signedAt FROM signed_checkpoints WHERE size = ?'),
        putSigned: db.prepare('INSERT INTO signed_checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)'),
      };
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** The ledger head as committed (size and root from the persisted frontier). */
  head(): { size: number; root: string } {
    const row = guarded(() => this.stmt.head.get()) as { size: number; frontier: Buffer };
    const nodes: Uint8Array[] = [];
    for (let i = 0; i < row.frontier.length; i += HASH_BYTES) nodes.push(Uint8Array.from(row.frontier.subarray(i, i + HASH_BYTES)));
    return { size: row.size, root: bytesToHex(NodeMerkleFrontier.restore(row.size, nodes).root()) };
  }

  /** Stored leaf hashes of positions [from, to). */
  leaves(from: number, to: number): Uint8Array[] {
    const rows = guarded(() => this.stmt.leaves.all(from, to)) as string[];
    if (rows.length !== to - from) throw new RangeError(`ledger has no leaves ${from}..${to}`);
    // Buffer's hex decoder: several times faster than a JS loop over ~500 leaves per proof.
    return rows.map((h) => Buffer.from(h, 'hex'));
  }

  /** Number of blocks (BLOCK_LEAVES leaves each) whose roots are cached. */
  cachedBlocks(): number {
    return guarded(() => this.stmt.blocks.get()) as number;
  }

  /**
   * Caches every complete block below `size` and the higher nodes they complete, in short
   * write transactions. Idempotent; several processes may race (INSERT OR REPLACE of equal bytes).
   */
  fill(size: number): void {
    while (!this.fillSome(size)) {
      // until every complete block below size is cached
    }
  }

  /** One write transaction of `fill` (at most FILL_BATCH blocks); true when nothing is left. */
  fillSome(size: number): boolean {
    const want = Math.floor(size / BLOCK);
    const first = this.cachedBlocks();
    if (first >= want) return true;
    const upTo = Math.min(want, first + FILL_BATCH);
    guarded(() =>
      this.db.transaction(() => {
        // Re-read inside the lock: another process may have filled some meanwhile.
        for (let b = this.cachedBlocks(); b < upTo; b++) this.putBlock(b);
      }).immediate(),
    );
    if (this.cachedBlocks() < upTo) throw new Error(`merkle cache did not advance to block ${upTo}`);
    return upTo >= want;
  }

  private putBlock(b: number): void {
    let node = blockRoot(this.leaves(b * BLOCK, (b + 1) * BLOCK));
    this.stmt.putNode.run(CACHE_LEVEL, b, node);
    // Block b completes a node one level up when it is a right child, and so on upwards.
    for (let level = CACHE_LEVEL, idx = b; idx % 2 === 1; level++, idx = (idx - 1) / 2) {
      const left = this.stmt.node.get(level, idx - 1) as Buffer | undefined;
      if (!left) throw new Error(`merkle cache lacks node ${level}/${idx - 1}`);
      node = nodeHashFast(left, node);
      this.stmt.putNode.run(level + 1, (idx - 1) / 2, Buffer.from(node));
    }
  }

  /**
   * Recomputes `count` cached blocks from their stored leaves, starting at block `from` and
   * wrapping around; the first block whose cached root differs (a leaf rewritten after it was
   * cached), or null. The signer runs this on a rotating window per signature.
   */
  auditBlocks(from: number, count: number): number | null {
    const blocks = this.cachedBlocks();
    for (let k = 0; k < Math.min(count, blocks); k++) {
      const b = (from + k) % blocks;
      const cached = guarded(() => this.stmt.node.get(CACHE_LEVEL, b)) as Buffer | undefined;
      if (!cached || !Buffer.from(blockRoot(this.leaves(b * BLOCK, (b + 1) * BLOCK))).equals(cached)) return b;
    }
    return null;
  }

  /** The root of a perfect subtree, from the cache at level >= CACHE_LEVEL (filled on demand), else from leaves. */
  readonly perfect: PerfectSubtree = (level, index) => {
    if (level < CACHE_LEVEL) {
      const width = 2 ** level;
      const levels = merkleLevels(this.leaves(index * width, (index + 1) * width), nodeHashFast);
      return Uint8Array.from(levels[levels.length - 1]![0]!);
    }
    let hash = guarded(() => this.stmt.node.get(level, index)) as Buffer | undefined;
    if (!hash) {
      this.fill((index + 1) * 2 ** level);
      hash = guarded(() => this.stmt.node.get(level, index)) as Buffer | undefined;
      if (!hash) throw new RangeError(`no subtree at level ${level} index ${index}`);
    }
    return Uint8Array.from(hash);
  };

  /** MTH of the first `size` leaves, from the cache and stored leaves. */
  rootAt(size: number): Uint8Array {
    return size === 0 ? EMPTY_ROOT : subtreeRoot(0, size, this.perfect);
  }

  lastSigned(): StoredSignedCheckpoint | null {
    return (guarded(() => this.stmt.lastSigned.get()) as StoredSignedCheckpoint | undefined) ?? null;
  }

  signedAt(size: number): StoredSignedCheckpoint | null {
    return (guarded(() => this.stmt.signedAt.get(size)) as StoredSignedCheckpoint | undefined) ?? null;
  }

  /**
   * Runs `decide` in a BEGIN IMMEDIATE transaction — one signer at a time across processes —
   * with the last signed checkpoint; what it returns is inserted. It may throw to refuse.
   */
  signExclusively(decide: (last: StoredSignedCheckpoint | null) => StoredSignedCheckpoint | null): StoredSignedCheckpoint | null {
    return guarded(() =>
      this.db.transaction(() => {
        const next = decide(this.lastSigned());
        if (next) this.stmt.putSigned.run(next.size, next.root, next.note, next.signedAt);
        return next;
      }).immediate(),
    );
  }

  /** `signExclusively` for a `decide` that awaits only this tree's (synchronous) calls. */
  async signExclusivelyAsync(decide: (last: StoredSignedCheckpoint | null) => Promise<StoredSignedCheckpoint | null>): Promise<StoredSignedCheckpoint | null> {
    guarded(() => this.db.exec('BEGIN IMMEDIATE'));
    try {
      const next = await decide(this.lastSigned());
      if (next) guarded(() => this.stmt.putSigned.run(next.size, next.root, next.note, next.signedAt));
      guarded(() => this.db.exec('COMMIT'));
      return next;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The LedgerTree port over SqliteLedgerTree. Every call is synchronous underneath, so
 * `signExclusively` may await `decide` inside BEGIN IMMEDIATE: nothing else runs on this
 * connection between the BEGIN and the COMMIT (only microtasks, no I/O callbacks).
 */
export class SqliteLedgerTreePort implements LedgerTree {
  constructor(readonly tree: SqliteLedgerTree) {}
  head = async (): Promise<{ size: number; root: string }> => this.tree.head();
  leaves = async (from: number, to: number): Promise<Uint8Array[]> => this.tree.leaves(from, to);
  subtrees = async (): Promise<PerfectSubtree> => this.tree.perfect;
  fillSome = async (size: number): Promise<boolean> => this.tree.fillSome(size);
  auditBlocks = async (from: number, count: number): Promise<number | null> => this.tree.auditBlocks(from, count);
  lastSigned = async (): Promise<StoredSignedCheckpoint | null> => this.tree.lastSigned();
  signedAt = async (size: number): Promise<StoredSignedCheckpoint | null> => this.tree.signedAt(size);
  async signExclusively(decide: (last: StoredSignedCheckpoint | null) => Promise<StoredSignedCheckpoint | null>): Promise<StoredSignedCheckpoint | null> {
    return this.tree.signExclusivelyAsync(decide);
  }
  close = async (): Promise<void> => this.tree.close();
}
