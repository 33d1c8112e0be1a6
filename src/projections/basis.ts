/**
 * The ledger prefix the read models were built from (issue 7 §4): its size, its RFC 6962
 * root and the hash of its last leaf, kept in the projections database in the same
 * transactions as the projection checkpoints. A ledger that is shorter than this basis, or
 * whose first `size` leaves have another root, is not the one the read models describe.
 */
import type { Database, Statement } from 'better-sqlite3';
import { bytesToHex } from '@noble/hashes/utils.js';
import { SuijiError } from '../domain/errors.js';
import { NodeMerkleFrontier } from '../store/frontier.js';
import { ledgerRootAt } from '../store/root-at.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import type { MerkleFrontier } from '../verify/merkle.js';

const HASH_BYTES = 32;

interface BasisRow {
  readonly size: number;
  readonly frontier: Uint8Array;
  readonly last_leaf: string;
}

export type BasisFault =
  | { readonly reason: 'ahead-of-ledger'; readonly basisSize: number; readonly ledgerSize: number }
  | { readonly reason: 'different-history'; readonly basisSize: number }
  /** Read models built before the basis was recorded: their history cannot be checked. */
  | { readonly reason: 'no-basis'; readonly position: number };

export const describeFault = (f: BasisFault): string =>
  f.reason === 'ahead-of-ledger'
    ? `read models are at ${f.basisSize} events but the ledger has ${f.ledgerSize}: its tail was lost or rolled back`
    : f.reason === 'different-history'
      ? `read models were built from another history than the ledger's first ${f.basisSize} events`
      : `read models at position ${f.position} carry no ledger root to check them against`;

export class LedgerBasis {
  private frontier: MerkleFrontier;
  private lastLeaf = '';
  /** false until saved: a database with read models but no basis row was built by an older version. */
  private saved: boolean;
  private readonly saveStmt: Statement;

  constructor(private readonly db: Database) {
    db.exec('CREATE TABLE IF NOT EXISTS projection_basis (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, frontier BLOB NOT NULL, last_leaf TEXT NOT NULL)');
    this.saveStmt = db.prepare('INSERT OR REPLACE INTO projection_basis (id, size, frontier, last_leaf) VALUES (1, ?, ?, ?)');
    const row = db.prepare('SELECT size, frontier, last_leaf FROM projection_basis WHERE id = 1').get() as BasisRow | undefined;
    let frontier: MerkleFrontier | null = null;
    try {
      frontier = row ? restore(row) : null;
    } catch {
      // A damaged basis row is no basis: the read models are rebuilt.
    }
    this.saved = frontier !== null;
    this.frontier = frontier ?? NodeMerkleFrontier.empty();
    this.lastLeaf = frontier ? row!.last_leaf : '';
  }

  get recorded(): boolean {
    return this.saved;
  }

  get size(): number {
    return this.frontier.size;
  }

  get root(): string {
    return bytesToHex(this.frontier.root());
  }

  /** Extends the basis by an applied event; events it already covers are skipped. */
  advance(e: RecordedEvent): void {
    if (e.position < this.frontier.size) return;
    if (e.position > this.frontier.size) {
      throw new SuijiError('LEDGER_CORRUPT', { reason: 'position-gap', expected: this.frontier.size, position: e.position }, {
        zh: `读模型在位置 ${this.frontier.size} 之后收到位置 ${e.position} 的事件：账本有空缺`,
        en: `Read models expected position ${this.frontier.size} but got ${e.position}: the ledger has a gap`,
      });
    }
    this.frontier.push(leafBytes(e));
    this.lastLeaf = e.hash;
  }

  /** Inside the runner's transaction, with the projection checkpoints. */
  save(): void {
    const blob = Buffer.concat(this.frontier.subtreeRoots.map((n) => Buffer.from(n.buffer, n.byteOffset, n.byteLength)));
    this.saveStmt.run(this.frontier.size, blob, this.lastLeaf);
    this.saved = true;
  }

  /** Back to the empty ledger, for a rebuild (saved by the caller's transaction). */
  clear(): void {
    this.frontier = NodeMerkleFrontier.empty();
    this.lastLeaf = '';
  }

  /**
   * null when the ledger extends this basis. `thorough` (at start) recomputes the root when the
   * basis ends inside an append transaction; otherwise (catch-up, health) that case is judged by
   * the last leaf alone, so a check never costs more than a few indexed reads.
   */
  async fault(store: Pick<EventStore, 'head' | 'checkpoints' | 'readAll'>, thorough: boolean): Promise<BasisFault | null> {
    // Taken before the first await: a concurrent catch-up may advance the frontier meanwhile,
    // and comparing the ledger's root at the old size with the advanced root would call the
    // same history different (seen on PostgreSQL, where these reads really wait).
    const size = this.frontier.size;
    const mine = size === 0 ? '' : this.root;
    const lastLeaf = this.lastLeaf;
    const head = await store.head();
    if (head.size < size) return { reason: 'ahead-of-ledger', basisSize: size, ledgerSize: head.size };
    if (size === 0) return null;
    let root: string | null;
    if (head.size === size) root = head.root;
    else {
      const [cp] = await store.checkpoints({ from: size, limit: 1 });
      if (cp && cp.size === size) root = cp.root;
      else if (thorough) root = await ledgerRootAt(store, size);
      else {
        const [last] = await store.readAll({ from: size - 1, limit: 1 });
        return last && last.position === size - 1 && last.hash === lastLeaf ? null : { reason: 'different-history', basisSize: size };
      }
    }
    return root === mine ? null : { reason: 'different-history', basisSize: size };
  }
}

/** Hex digit values by char code ('0'-'9', 'a'-'f'; -1 for anything else, upper case included: leaf hashes are stored lower case). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;

/** Leaf bytes are cut from slabs: one ArrayBuffer per 1,024 leaves, not one per leaf (GC). */
const SLAB_LEAVES = 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/**
 * The event's leaf hash as bytes. @noble's hexToBytes (one ArrayBuffer and a parse per call) was
 * 3% of a 1,000,000-event rebuild, and Buffer's decoder plus a format check was no faster
 * (docs/performance.md). A garbled hash is LEDGER_CORRUPT naming its position.
 */
function leafBytes(e: RecordedEvent): Uint8Array {
  const h = e.hash;
  if (slabUsed === slab.length) {
    slab = new Uint8Array(SLAB_LEAVES * HASH_BYTES);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + HASH_BYTES);
  let bad = h.length !== 2 * HASH_BYTES;
  for (let i = 0; i < HASH_BYTES && !bad; i++) {
    const hi = h.charCodeAt(2 * i);
    const lo = h.charCodeAt(2 * i + 1);
    const a = hi < 128 ? HEX_VALUE[hi]! : -1;
    const b = lo < 128 ? HEX_VALUE[lo]! : -1;
    if ((a | b) < 0) bad = true;
    else out[i] = (a << 4) | b;
  }
  if (bad) {
    throw new SuijiError('LEDGER_CORRUPT', { reason: 'unparseable-row', position: e.position, column: 'hash' }, {
      zh: `账本第 ${e.position} 条记录的哈希不是 64 位小写十六进制`,
      en: `Ledger row at position ${e.position} has a hash that is not 64 lowercase hex digits`,
    });
  }
  slabUsed += HASH_BYTES;
  return out;
}

function restore(row: BasisRow): MerkleFrontier {
  const nodes: Uint8Array[] = [];
  for (let i = 0; i < row.frontier.length; i += HASH_BYTES) nodes.push(Uint8Array.from(row.frontier.subarray(i, i + HASH_BYTES)));
  return NodeMerkleFrontier.restore(row.size, nodes);
}
