/**
 * LedgerPublic: signed checkpoints and proofs for anyone (issue 11, V4, P2).
 *
 * Signing policy: a checkpoint is signed when asked for (`GET /ledger/checkpoint`) and the head
 * has grown past the last signed size, at most once per `minIntervalMs` per process. Before it
 * signs, the signer — holding the ledger's signing lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
 * advisory lock in a transaction), so processes and instances on the ledger take turns — recomputes the new root from the stored leaf hashes (and the node
 * cache), checks it equals the store's head root, and verifies an RFC 9162 consistency proof
 * from the last signed (size, root) to it. Any mismatch (a rewritten, truncated or replaced
 * ledger) is refused with CHECKPOINT_REFUSED and logged; nothing is signed. So no two signed
 * checkpoints of this log are ever inconsistent, across restarts and processes.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { SuijiError } from '../../domain/errors.js';
import { formatCheckpoint } from '../../verify/checkpoint.js';
import { consistencyProofWith, verifyConsistency } from '../../verify/consistency.js';
import { signNote, type SignerKey } from '../../verify/note.js';
import { auditPath, subtreeRoot } from '../../verify/subtree.js';
import { BLOCK_LEAVES, SqliteLedgerTree, SqliteLedgerTreePort, withSubtrees, type LedgerTree, type StoredSignedCheckpoint } from '../../store/index.js';

export interface SignedCheckpoint {
  readonly size: number;
  /** Lowercase hex. */
  readonly root: string;
  /** The full signed note: checkpoint body, blank line, the log's signature line, then any witness cosignature lines. */
  readonly note: string;
  readonly signedAt: string;
}

export interface InclusionAnswer {
  readonly index: number;
  readonly size: number;
  readonly leafHash: string;
  readonly proof: string[];
}

export interface ConsistencyAnswer {
  readonly from: number;
  readonly to: number;
  readonly proof: string[];
}

export interface LedgerPublicOptions {
  /** The store's ledger tree (a SqliteLedgerTree is taken as is, for tests and the bench). */
  readonly tree: LedgerTree | SqliteLedgerTree;
  /** The log key, looked up again on each request while absent (so `suiji keys init` needs no restart). */
  readonly loadKey: () => SignerKey | null;
  readonly clock?: () => Date;
  /** Least time between two signatures by this process; default 1000 ms. */
  readonly minIntervalMs?: number;
  /** Where a refusal is logged (the server's logger); default stderr. */
  readonly warn?: (message: string, details: Record<string, unknown>) => void;
  /**
   * Seam for the witness lane: cosignature lines (each ending in a newline) collected for a
   * signed size, appended to the note as served. Default: none.
   */
  readonly cosignatures?: (size: number) => Promise<readonly string[]> | readonly string[];
}

/**
 * Cached blocks re-derived from their leaves per signature: 4,096 leaves, so the whole cache
 * of a million-event ledger is re-checked every ~245 signatures (bench/checkpoint.ts).
 */
export const AUDIT_BLOCKS = 4096 / BLOCK_LEAVES;

const stderrWarn = (message: string, details: Record<string, unknown>): void =>
  void process.stderr.write(`警告 / WARNING: ${message} ${JSON.stringify(details)}\n`);

const badField = (field: string, value: unknown, zh: string, en: string, extra: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, value, ...extra }, { zh, en });

function checkSize(field: string, value: number, head: number, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min) throw badField(field, value, `${field} 必须是不小于 ${min} 的整数`, `${field} must be an integer >= ${min}`);
  if (value > head) throw badField(field, value, `${field} 超出账本长度 ${head}`, `${field} exceeds the ledger size ${head}`, { head });
}

export class LedgerPublic {
  private key: SignerKey | null = null;
  private lastSignMs = Number.NEGATIVE_INFINITY;
  /** One signing attempt at a time in this process; other processes wait on SQLite's write lock. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Where the next rotating audit of cached blocks starts. */
  private auditCursor = 0;
  private readonly clock: () => Date;
  private readonly minIntervalMs: number;
  private readonly warn: (message: string, details: Record<string, unknown>) => void;

  private readonly options: LedgerPublicOptions & { readonly tree: LedgerTree };

  constructor(options: LedgerPublicOptions) {
    this.options = { ...options, tree: options.tree instanceof SqliteLedgerTree ? new SqliteLedgerTreePort(options.tree) : options.tree };
    this.clock = options.clock ?? (() => new Date());
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.warn = options.warn ?? stderrWarn;
  }

  /**
   * Fills the node cache up to `size` in short steps, yielding to the event loop between
   * them, so the first request on a large ledger (a million leaves to read once) does not
   * stall the server. `serve` starts it at boot.
   */
  async warm(size?: number): Promise<void> {
    const { tree } = this.options;
    const target = size ?? (await tree.head()).size;
    while (!(await tree.fillSome(target))) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private requireKey(): SignerKey {
    this.key ??= this.options.loadKey();
    if (!this.key) throw new SuijiError('LOG_KEY_MISSING', { field: 'log.key' });
    return this.key;
  }

  /** The latest signed checkpoint, signing the head first when it is newer (and the rate allows). */
  async checkpoint(): Promise<SignedCheckpoint> {
    const key = this.requireKey();
    await this.warm();
    const run = this.chain.then(() => this.latest(key));
    this.chain = run.catch(() => undefined);
    const stored = await run;
    const lines = (await this.options.cosignatures?.(stored.size)) ?? [];
    return { size: stored.size, root: stored.root, note: stored.note + lines.join(''), signedAt: stored.signedAt };
  }

  private async latest(key: SignerKey): Promise<StoredSignedCheckpoint> {
    const { tree } = this.options;
    const last = await tree.lastSigned();
    const head = await tree.head();
    if (last && head.size < last.size) throw this.refuse({ reason: 'shorter', size: head.size, signedSize: last.size, signedRoot: last.root });
    if (last && head.size === last.size && head.root !== last.root) throw this.refuse({ reason: 'does-not-extend', size: head.size, root: head.root, signedSize: last.size, signedRoot: last.root });
    const now = this.clock().getTime();
    if (last && (head.size === last.size || now - this.lastSignMs < this.minIntervalMs)) return last;
    return (await this.signHead(key)) ?? (await tree.lastSigned())!;
  }

  /**
   * Signs the current head if it extends the last signed checkpoint; returns the new
   * checkpoint, or null when there was nothing new. Throws CHECKPOINT_REFUSED otherwise.
   */
  async signHead(key: SignerKey = this.requireKey()): Promise<StoredSignedCheckpoint | null> {
    const { tree } = this.options;
    // Fill the node cache outside the write lock, so a first fill never blocks appends.
    await this.warm();
    // Cached blocks hide a leaf rewritten after caching; re-derive a rotating window of them
    // from the stored leaves each time (every block, for ledgers up to 4,096 leaves). Outside
    // the write lock: appends need not wait for it.
    const bad = await tree.auditBlocks(this.auditCursor, AUDIT_BLOCKS);
    this.auditCursor += AUDIT_BLOCKS;
    if (bad !== null) {
      const last = await tree.lastSigned();
      throw this.refuse({ reason: 'leaf-rewritten', block: bad, positions: [bad * BLOCK_LEAVES, (bad + 1) * BLOCK_LEAVES - 1], signedSize: last?.size, signedRoot: last?.root });
    }
    const signed = await tree.signExclusively(async (last) => {
      const head = await tree.head();
      if (last && head.size === last.size && head.root === last.root) return null;
      if (last && head.size < last.size) throw this.refuse({ reason: 'shorter', size: head.size, signedSize: last.size, signedRoot: last.root });
      const computed = await withSubtrees(tree, (perfect) => subtreeRoot(0, head.size, perfect));
      if (bytesToHex(computed) !== head.root) {
        throw this.refuse({ reason: 'leaves-disagree-with-head', size: head.size, headRoot: head.root, leafRoot: bytesToHex(computed), signedSize: last?.size, signedRoot: last?.root });
      }
      if (last) {
        const proof = await withSubtrees(tree, (perfect) => consistencyProofWith(last.size, head.size, perfect));
        if (!verifyConsistency(last.size, head.size, proof, hexToBytes(last.root), computed)) {
          throw this.refuse({ reason: 'does-not-extend', size: head.size, root: head.root, signedSize: last.size, signedRoot: last.root });
        }
      }
      const body = formatCheckpoint({ origin: key.name, size: head.size, root: head.root });
      return { size: head.size, root: head.root, note: signNote(body, key.name, key.secretKey), signedAt: this.clock().toISOString() };
    });
    this.lastSignMs = this.clock().getTime();
    return signed;
  }

  private refuse(details: Record<string, unknown>): SuijiError {
    this.warn('V4: refused to sign a checkpoint that does not extend the last signed one', details);
    return new SuijiError('CHECKPOINT_REFUSED', details);
  }

  /**
   * The checkpoint signed at exactly `size` as the log key signed it (no cosignatures), or
   * null. For the witness lane: a cosignature is checked against this note's text.
   */
  async signedAt(size: number): Promise<SignedCheckpoint | null> {
    return this.options.tree.signedAt(size);
  }

  async inclusion(index: number, size: number): Promise<InclusionAnswer> {
    this.requireKey();
    const { tree } = this.options;
    const head = (await tree.head()).size;
    checkSize('size', size, head, 1);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw badField('index', index, `index 必须是 0 到 ${size - 1} 之间的整数`, `index must be an integer from 0 to ${size - 1}`);
    }
    await this.warm(size);
    const [leaf] = await tree.leaves(index, index + 1);
    const proof = await withSubtrees(tree, (perfect) => auditPath(index, size, perfect));
    return { index, size, leafHash: bytesToHex(leaf!), proof: proof.map(bytesToHex) };
  }

  async consistency(from: number, to: number): Promise<ConsistencyAnswer> {
    this.requireKey();
    const { tree } = this.options;
    const head = (await tree.head()).size;
    checkSize('to', to, head);
    if (!Number.isSafeInteger(from) || from < 0 || from > to) {
      throw badField('from', from, `from 必须是 0 到 ${to} 之间的整数`, `from must be an integer from 0 to ${to}`);
    }
    await this.warm(to);
    const proof = await withSubtrees(tree, (perfect) => consistencyProofWith(from, to, perfect));
    return { from, to, proof: proof.map(bytesToHex) };
  }
}
