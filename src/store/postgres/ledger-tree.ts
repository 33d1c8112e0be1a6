/**
 * The LedgerTree port on a PostgreSQL ledger (issue 12 "Several instances"): signed checkpoints
 * and the node cache live in the ledger's schema, so every API instance on the database signs
 * into — and serves from — one table.
 *
 * One signer at a time across instances: `signExclusively` runs in a transaction holding
 * `pg_advisory_xact_lock` on the schema's signing key and reads the last signed checkpoint
 * under it, so two instances can never both sign on top of the same last checkpoint; the
 * primary key on size refuses a second note for a size in any case.
 *
 * Node cache: only the roots of aligned blocks of BLOCK_LEAVES leaves (`merkle_blocks`); a
 * larger perfect subtree is folded from its block rows in memory, a smaller one from leaves.
 * Simpler than SQLite's all-levels cache; a proof reads O(n / 16) rows at worst (fine for a
 * city's ledger; docs/store-port.md "Several instances" states the limit).
 */
import pg from 'pg';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { PerfectSubtree } from '../../verify/subtree.js';
import { merkleLevels } from '../../verify/inclusion.js';
import { nodeHashFast } from '../frontier.js';
import { frontierFromRow } from '../ledger-head.js';
import type { LedgerTree, StoredSignedCheckpoint, SubtreeNeed } from '../ledger-tree.js';
import { BLOCK_LEAVES, CACHE_LEVEL, blockRoot } from '../sqlite/ledger-tree.js';
import { mapPgError } from './errors.js';
import { parsePostgresUrl } from './location.js';

/** Blocks computed per fill step, so a first fill never holds a connection long. */
const FILL_BATCH = 2048;

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw mapPgError(err);
  }
}

const toSigned = (r: { size: string | number; root: string; note: string; signed_at: string }): StoredSignedCheckpoint => ({
  size: Number(r.size),
  root: r.root,
  note: r.note,
  signedAt: r.signed_at,
});

export class PostgresLedgerTree implements LedgerTree {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  /** Opens the tree on the ledger at `location` (postgres://…?schema=NAME), creating its tables. The ledger schema must exist (the store opens first). */
  static async open(location: string): Promise<PostgresLedgerTree> {
    const { connectionString, schema } = parsePostgresUrl(location);
    const pool = new pg.Pool({ connectionString, max: 3 });
    pool.on('error', () => undefined);
    const tree = new PostgresLedgerTree(pool, schema);
    try {
      await tree.transaction(async (c) => {
        // Same advisory key as the store's migrations: instances starting together take turns.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`suiji-migrate:${schema}`]);
        await c.query(`CREATE TABLE IF NOT EXISTS ${schema}.merkle_blocks (idx bigint PRIMARY KEY, hash bytea NOT NULL)`);
        await c.query(`CREATE TABLE IF NOT EXISTS ${schema}.signed_checkpoints (size bigint PRIMARY KEY, root text NOT NULL, note text NOT NULL, signed_at text NOT NULL)`);
      });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return tree;
  }

  /** The pool, for the cosignature store on the same ledger. */
  get connection(): { pool: pg.Pool; schema: string } {
    return { pool: this.pool, schema: this.s };
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return guarded(async () => (await this.pool.query<R>(text, values)).rows);
  }

  async transaction<T>(run: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return guarded(async () => {
      const c = await this.pool.connect();
      c.on('error', () => undefined);
      try {
        await c.query('BEGIN');
        const out = await run(c);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    });
  }

  async head(): Promise<{ size: number; root: string }> {
    const [row] = await this.query<{ size: string; frontier: Buffer }>(`SELECT size, frontier FROM ${this.s}.ledger_head WHERE id = 1`);
    if (!row) throw mapPgError(new Error('ledger_head missing'));
    const size = Number(row.size);
    return { size, root: bytesToHex(frontierFromRow({ size, frontier: row.frontier }).root()) };
  }

  async leaves(from: number, to: number): Promise<Uint8Array[]> {
    const rows = await this.query<{ hash: string }>(`SELECT hash FROM ${this.s}.events WHERE position >= $1 AND position < $2 ORDER BY position`, [from, to]);
    if (rows.length !== to - from) throw new RangeError(`ledger has no leaves ${from}..${to}`);
    return rows.map((r) => Buffer.from(r.hash, 'hex'));
  }

  private async cachedBlocks(): Promise<number> {
    const [row] = await this.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.s}.merkle_blocks`);
    return row!.n;
  }

  async fillSome(size: number): Promise<boolean> {
    const want = Math.floor(size / BLOCK_LEAVES);
    const first = await this.cachedBlocks();
    if (first >= want) return true;
    const upTo = Math.min(want, first + FILL_BATCH);
    const leaves = await this.leaves(first * BLOCK_LEAVES, upTo * BLOCK_LEAVES);
    const idx: number[] = [];
    const hashes: Buffer[] = [];
    for (let b = first; b < upTo; b++) {
      idx.push(b);
      hashes.push(Buffer.from(blockRoot(leaves.slice((b - first) * BLOCK_LEAVES, (b - first + 1) * BLOCK_LEAVES))));
    }
    // Instances may race: equal bytes for an equal index, so a conflict changes nothing.
    await this.query(`INSERT INTO ${this.s}.merkle_blocks (idx, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[]) ON CONFLICT (idx) DO NOTHING`, [idx, hashes]);
    return upTo >= want;
  }

  async auditBlocks(from: number, count: number): Promise<number | null> {
    const blocks = await this.cachedBlocks();
    for (let k = 0; k < Math.min(count, blocks); k++) {
      const b = (from + k) % blocks;
      const [row] = await this.query<{ hash: Buffer }>(`SELECT hash FROM ${this.s}.merkle_blocks WHERE idx = $1`, [b]);
      if (!row || !Buffer.from(blockRoot(await this.leaves(b * BLOCK_LEAVES, (b + 1) * BLOCK_LEAVES))).equals(row.hash)) return b;
    }
    return null;
  }

  async subtrees(needs: readonly SubtreeNeed[]): Promise<PerfectSubtree> {
    const known = new Map<string, Uint8Array>();
    let top = 0;
    for (const [level, index] of needs) top = Math.max(top, (index + 1) * 2 ** level);
    while (!(await this.fillSome(top))) {
      // until every complete block below the largest subtree asked for is cached
    }
    for (const [level, index] of needs) {
      const width = 2 ** level;
      let nodes: Uint8Array[];
      if (level < CACHE_LEVEL) {
        nodes = await this.leaves(index * width, (index + 1) * width);
      } else {
        const per = width / BLOCK_LEAVES;
        const rows = await this.query<{ hash: Buffer }>(`SELECT hash FROM ${this.s}.merkle_blocks WHERE idx >= $1 AND idx < $2 ORDER BY idx`, [index * per, (index + 1) * per]);
        if (rows.length !== per) throw new RangeError(`no subtree at level ${level} index ${index}`);
        nodes = rows.map((r) => r.hash);
      }
      const levels = merkleLevels(nodes, nodeHashFast);
      known.set(`${level}/${index}`, Uint8Array.from(levels[levels.length - 1]![0]!));
    }
    return (level, index) => {
      const hash = known.get(`${level}/${index}`);
      if (!hash) throw new RangeError(`subtree ${level}/${index} was not fetched`);
      return hash;
    };
  }

  async lastSigned(): Promise<StoredSignedCheckpoint | null> {
    const [row] = await this.query<{ size: string; root: string; note: string; signed_at: string }>(`SELECT size, root, note, signed_at FROM ${this.s}.signed_checkpoints ORDER BY size DESC LIMIT 1`);
    return row ? toSigned(row) : null;
  }

  async signedAt(size: number): Promise<StoredSignedCheckpoint | null> {
    const [row] = await this.query<{ size: string; root: string; note: string; signed_at: string }>(`SELECT size, root, note, signed_at FROM ${this.s}.signed_checkpoints WHERE size = $1`, [size]);
    return row ? toSigned(row) : null;
  }

  async signExclusively(decide: (last: StoredSignedCheckpoint | null) => Promise<StoredSignedCheckpoint | null>): Promise<StoredSignedCheckpoint | null> {
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`suiji-sign:${this.s}`]);
      const { rows } = await c.query<{ size: string; root: string; note: string; signed_at: string }>(`SELECT size, root, note, signed_at FROM ${this.s}.signed_checkpoints ORDER BY size DESC LIMIT 1`);
      const next = await decide(rows[0] ? toSigned(rows[0]) : null);
      if (next) await c.query(`INSERT INTO ${this.s}.signed_checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, $4)`, [next.size, next.root, next.note, next.signedAt]);
      return next;
    });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
