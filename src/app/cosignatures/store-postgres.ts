/**
 * Accepted cosignatures in the ledger's PostgreSQL schema (issue 12 "Several instances"): the
 * same two tables and the same rules as the SQLite CosignatureStore (one row per checkpoint
 * size and witness key, a later timestamp replaces an earlier one), so a cosignature accepted
 * through one instance is served by every other from the next request.
 */
import type pg from 'pg';
import { mapPgError } from '../../store/postgres/errors.js';
import type { CosignatureRecords, StoredCosignature } from './store.js';

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw mapPgError(err);
  }
}

export async function openPostgresCosignatures(pool: pg.Pool, schema: string): Promise<CosignatureRecords> {
  const s = schema;
  await guarded(async () => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`suiji-migrate:${s}`]);
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.ledger_cosigned_checkpoints (size bigint PRIMARY KEY, root text NOT NULL, note text NOT NULL)`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.ledger_cosignatures (
        size bigint NOT NULL, root text NOT NULL, witness text NOT NULL, key_id text NOT NULL,
        timestamp bigint NOT NULL, line text NOT NULL, received_at text NOT NULL,
        PRIMARY KEY (size, witness, key_id))`);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  });
  const lines = async (text: string, values: unknown[]): Promise<string[]> => guarded(async () => (await pool.query<{ line: string }>(text, values)).rows.map((r) => r.line));
  return {
    put: (c: StoredCosignature, note: string) =>
      guarded(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`INSERT INTO ${s}.ledger_cosigned_checkpoints (size, root, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [c.size, c.root, note]);
          const r = await client.query(
            `INSERT INTO ${s}.ledger_cosignatures AS o (size, root, witness, key_id, timestamp, line, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (size, witness, key_id) DO UPDATE SET root = excluded.root, timestamp = excluded.timestamp, line = excluded.line, received_at = excluded.received_at
             WHERE excluded.timestamp > o.timestamp`,
            [c.size, c.root, c.witness, c.keyId, c.timestamp, c.line, c.receivedAt],
          );
          await client.query('COMMIT');
          return (r.rowCount ?? 0) > 0;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      }),
    lines: (size, root) => lines(`SELECT line FROM ${s}.ledger_cosignatures WHERE size = $1 AND root = $2 ORDER BY witness, key_id`, [size, root]),
    linesAt: (size) => lines(`SELECT line FROM ${s}.ledger_cosignatures WHERE size = $1 ORDER BY witness, key_id`, [size]),
    newest: () =>
      guarded(async () => {
        const { rows } = await pool.query<{ size: string; root: string; note: string }>(
          `SELECT c.size, c.root, c.note FROM ${s}.ledger_cosigned_checkpoints c WHERE EXISTS (SELECT 1 FROM ${s}.ledger_cosignatures w WHERE w.size = c.size AND w.root = c.root) ORDER BY c.size DESC LIMIT 1`,
        );
        const row = rows[0];
        return row ? { size: Number(row.size), root: row.root, note: row.note } : null;
      }),
    // The pool belongs to the ledger tree, which closes it.
    close: async () => undefined,
  };
}
