/**
 * A real PostgreSQL 15 server for one test file: `initdb` into a temp dir (owned by the
 * `postgres` user when we run as root — the server refuses to run as root), started on a free
 * TCP port on 127.0.0.1 with its unix socket inside the temp dir, one database for the file,
 * stopped and removed at the end. Deliberately per file rather than a vitest globalSetup, so a
 * run of SQLite-only tests never pays for a server start (initdb + start is under a second here).
 *
 *   const pg = usePostgres();            // in the describe/file scope
 *   pg().url('schema_name')              // a URL for openStore / openPostgresStore
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export const PG_BIN = process.env.SUIJI_PG_BIN ?? '/usr/lib/postgresql/15/bin';

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

const asRoot = process.getuid?.() === 0;

/** Runs a server binary, as `postgres` when we are root. */
function run(bin: string, args: readonly string[]): string {
  const file = join(PG_BIN, bin);
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export const postgresMissing = (): string | null =>
  existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'))
    ? null
    : `PostgreSQL 15 server binaries not found in ${PG_BIN}: run 'bash scripts/test-prereqs.sh' as root (installs postgresql-15), or set SUIJI_PG_BIN`;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export interface StartOptions {
  /**
   * false: fsync, synchronous_commit and full_page_writes off — for the API suites' shared server
   * (tests/helpers/postgres-global.ts), whose data is thrown away at the end and never survives
   * a crash by design. A commit then costs no disk flush, which is most of an append's time on
   * this shared machine (the store still asks for synchronous_commit=on per connection; with
   * fsync=off that wait is a write without a flush). Everything that tests durability (the store's
   * own tests, crash and reliability suites) keeps the default, true: a server with fsync=on.
   */
  readonly durable?: boolean;
  /** Default 200; a server shared by every worker of a run needs more. */
  readonly maxConnections?: number;
}

export async function startPostgres(database = 'suiji_test', options: StartOptions = {}): Promise<PgServer> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'suiji-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']);
  const durability = options.durable === false ? '-c fsync=off -c synchronous_commit=off -c full_page_writes=off' : '-c fsync=on';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${options.maxConnections ?? 200} ${durability}`;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already down (a test killed it).
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test run that dies must not leave a server behind.
  process.once('exit', stop);
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return {
    port,
    dir,
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
    stop,
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
