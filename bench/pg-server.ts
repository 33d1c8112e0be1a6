/**
 * A throwaway PostgreSQL 15 server: initdb into a temp dir (owned by the `postgres` user when we
 * run as root — the server refuses to run as root), started on a free TCP port on 127.0.0.1 with
 * its unix socket inside the temp dir, stopped and removed by `stop()` — also at process exit, so
 * a failed bench or test run leaves no server behind. No vitest here: the benches use
 * `startBenchPostgres`, and the tests' helper (tests/helpers/postgres.ts) adds its vitest hooks
 * on top of `startThrowawayPostgres`.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_BIN = process.env.SUIJI_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

/** Runs a server binary, as `postgres` when we are root. */
function run(bin: string, args: readonly string[]): void {
  const file = join(PG_BIN, bin);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
  execFileSync(cmd as string, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why no server can start here, in one line, or null. */
export const postgresMissing = (): string | null =>
  existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'))
    ? null
    : `PostgreSQL 15 server binaries not found in ${PG_BIN}: run 'bash scripts/test-prereqs.sh' as root (installs postgresql-15), or set SUIJI_PG_BIN`;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

export interface ThrowawayOptions {
  /** Where the temp dir goes (default the OS temp dir); a province run needs a big disk. */
  readonly parent?: string;
  /**
   * false: fsync, synchronous_commit and full_page_writes off — only for servers whose data is
   * thrown away and never has to survive a crash (the API suites' shared server). Default true:
   * fsync on, durable like production.
   */
  readonly durable?: boolean;
  /** Default 200; a server shared by every worker of a test run needs more. */
  readonly maxConnections?: number;
  /** Extra server settings (`-c name=value …`), e.g. a larger WAL for a 15M-event seed. */
  readonly settings?: string;
}

export interface ThrowawayPostgres {
  readonly port: number;
  /** The temp dir (data directory, socket and log inside). */
  readonly dir: string;
  readonly dataDir: string;
  /** `postgres://postgres@127.0.0.1:PORT`, without a database. */
  readonly base: string;
  createDatabase(name: string): Promise<void>;
  stop(): void;
}

export async function startThrowawayPostgres(options: ThrowawayOptions = {}): Promise<ThrowawayPostgres> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(options.parent ?? tmpdir(), 'suiji-pg-'));
  if (asRoot) {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const dataDir = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already down (a test killed it).
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const durability = options.durable === false ? '-c fsync=off -c synchronous_commit=off -c full_page_writes=off' : '-c fsync=on';
  const opts = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    `-c max_connections=${options.maxConnections ?? 200}`,
    durability,
    options.settings ?? '',
  ].join(' ').trim();
  run('pg_ctl', ['-D', dataDir, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  return {
    port,
    dir,
    dataDir,
    base,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
    },
    stop,
  };
}

export interface BenchPg {
  /** URL of the bench's database (with `?schema=` when one was asked for). */
  readonly url: string;
  /** The server's data directory. */
  readonly dataDir: string;
  stop(): void;
}

export interface BenchPgOptions extends Pick<ThrowawayOptions, 'parent' | 'settings'> {
  readonly database?: string;
  readonly schema?: string;
}

/** A durable server with one database for a bench. */
export async function startBenchPostgres(options: BenchPgOptions = {}): Promise<BenchPg> {
  const server = await startThrowawayPostgres({ parent: options.parent, settings: options.settings });
  const database = options.database ?? 'suiji_bench';
  await server.createDatabase(database);
  return { url: `${server.base}/${database}${options.schema ? `?schema=${options.schema}` : ''}`, dataDir: server.dataDir, stop: server.stop };
}
