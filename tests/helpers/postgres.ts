/**
 * A real PostgreSQL 15 server for one test file (bench/pg-server.ts starts it: a temp dir, a
 * free port, stopped and removed at the end), with one database for the file and vitest hooks. Deliberately per file rather than a vitest globalSetup, so a
 * run of SQLite-only tests never pays for a server start (initdb + start is under a second here).
 *
 *   const pg = usePostgres();            // in the describe/file scope
 *   pg().url('schema_name')              // a URL for openStore / openPostgresStore
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startThrowawayPostgres, type ThrowawayOptions } from '../../bench/pg-server.js';

export { PG_BIN, postgresMissing } from '../../bench/pg-server.js';

export interface PgServer {
  readonly port: number;
  readonly dir: string;
  /** The file's database. */
  readonly database: string;
  /** URL of the file's database; with `schema`, the suiji ledger lives in that schema. */
  url(schema?: string): string;
  /** A query on the file's database with a plain client (for tampering and inspection). */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  stop(): void;
}

/**
 * `durable: false` (fsync, synchronous_commit and full_page_writes off) is for the API suites'
 * shared server (tests/helpers/postgres-global.ts), whose data is thrown away at the end: a commit
 * then costs no disk flush, most of an append's time on this shared machine. Everything that tests
 * durability (the store's own tests, crash and reliability suites) keeps the default, fsync on.
 */
export type StartOptions = Pick<ThrowawayOptions, 'durable' | 'maxConnections'>;

export async function startPostgres(database = 'suiji_test', options: StartOptions = {}): Promise<PgServer> {
  const server = await startThrowawayPostgres(options);
  await server.createDatabase(database);
  const { base } = server;
  return {
    port: server.port,
    dir: server.dir,
    database,
    url: (schema) => `${base}/${database}${schema ? `?schema=${schema}` : ''}`,
    async sql(text, values = []) {
      const c = new pg.Client({ connectionString: `${base}/${database}` });
      await c.connect();
      try {
        return (await c.query(text, values)).rows;
      } finally {
        await c.end();
      }
    },
    stop: server.stop,
  };
}

/** One server and database for the calling test file: started before its tests, stopped after. */
export function usePostgres(): () => PgServer {
  let server: PgServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => server?.stop());
  return () => {
    if (!server) throw new Error('PostgreSQL server not started (usePostgres must be called at file or describe scope)');
    return server;
  };
}

let schemas = 0;
/** A fresh schema name, unique within the file (each contract test gets its own ledger). */
export const freshSchema = (prefix = 't'): string => `${prefix}_${process.pid}_${++schemas}`;
