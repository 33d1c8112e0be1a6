/**
 * The PostgreSQL ledger's tables, in their own schema (default `suiji`), created and migrated
 * by the adapter. `schema_version` records every applied version; a database written by a
 * newer suiji is refused rather than guessed at. Same columns as the SQLite file
 * (docs/ledger-format.md §6); actor and payload are TEXT holding the exact JCS bytes that were
 * hashed — never jsonb, which would re-order and re-format them.
 */
import type pg from 'pg';
import { SuijiError } from '../../domain/errors.js';

export const PG_SCHEMA_VERSION = 1;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const migrations: Record<number, (s: string) => string[]> = {
  1: (s) => [
    `CREATE TABLE ${s}.events (
       position       bigint  PRIMARY KEY,
       stream_id      text    NOT NULL,
       revision       integer NOT NULL,
       event_id       text    NOT NULL UNIQUE,
       type           text    NOT NULL,
       schema_version integer NOT NULL,
       recorded_at    text    NOT NULL,
       actor          text    NOT NULL,
       correlation_id text    NOT NULL,
       causation_id   text,
       payload        text    NOT NULL,
       hash           text    NOT NULL,
       UNIQUE (stream_id, revision)
     )`,
    `CREATE TABLE ${s}.streams (stream_id text PRIMARY KEY, revision integer NOT NULL)`,
    // One row: the lock every append takes (FOR UPDATE), and the RFC 6962 frontier.
    `CREATE TABLE ${s}.ledger_head (id integer PRIMARY KEY CHECK (id = 1), size bigint NOT NULL, frontier bytea NOT NULL)`,
    `CREATE TABLE ${s}.checkpoints (size bigint PRIMARY KEY, root text NOT NULL, recorded_at text NOT NULL)`,
    `INSERT INTO ${s}.ledger_head (id, size, frontier) VALUES (1, 0, '\\x')`,
  ],
};

const schemaMissing = (schema: string, detail: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('LEDGER_CORRUPT', { reason: 'schema-missing', schema, ...detail }, {
    zh: `PostgreSQL 中没有模式 ${schema} 的账本`,
    en: `There is no ledger in PostgreSQL schema ${schema}`,
  });

/**
 * Brings the schema to PG_SCHEMA_VERSION in one transaction under an advisory lock, so two
 * instances starting together do not both create it. `create: false` (verification) never
 * creates anything: a missing ledger is an error.
 */
export async function migrate(client: pg.ClientBase, schema: string, create: boolean): Promise<void> {
  const s = quoteIdent(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`suiji-migrate:${schema}`]);
    const exists = (await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${s}.schema_version`])).rows[0]?.t;
    let version = 0;
    if (exists) {
      version = (await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.schema_version`)).rows[0]?.v ?? 0;
    } else if (!create) {
      throw schemaMissing(schema);
    } else {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    }
    if (version > PG_SCHEMA_VERSION) {
      throw new SuijiError('LEDGER_CORRUPT', { reason: 'schema-newer', schema, version, known: PG_SCHEMA_VERSION }, {
        zh: `PostgreSQL 账本结构版本 ${version} 高于本程序支持的 ${PG_SCHEMA_VERSION}`,
        en: `The PostgreSQL ledger's schema version ${version} is newer than this program's ${PG_SCHEMA_VERSION}`,
      });
    }
    if (version < PG_SCHEMA_VERSION && !create) throw schemaMissing(schema, { version });
    for (let v = version + 1; v <= PG_SCHEMA_VERSION; v++) {
      for (const stmt of migrations[v]!(s)) await client.query(stmt);
      await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [v]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
