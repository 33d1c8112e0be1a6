/**
 * A throwaway PostgreSQL 15 server for a bench (the tests' helper, tests/helpers/postgres.ts,
 * hooks into vitest, which a bench must not load): initdb into a temp dir as the `postgres` user
 * when run as root, started on a free port with fsync on (durable, like production), one
 * database, stopped and removed by `stop()` — also at process exit, so a failed bench leaves no
 * server behind.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_BIN = process.env.SUIJI_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

function run(bin: string, args: readonly string[]): void {
  const file = join(PG_BIN, bin);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
  execFileSync(cmd as string, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

export interface BenchPg {
  /** URL of the bench's database (with `?schema=` when one was asked for). */
  readonly url: string;
  /** The server's data directory. */
  readonly dataDir: string;
  stop(): void;
}

export interface BenchPgOptions {
  /** Where the temp dir goes (default the OS temp dir); a province run needs a big disk. */
  readonly parent?: string;
  /** Extra server settings (`-c name=value …`), e.g. a larger WAL for a 15M-event seed. */
  readonly settings?: string;
  readonly database?: string;
  readonly schema?: string;
}

export async function startBenchPostgres(options: BenchPgOptions = {}): Promise<BenchPg> {
  const dir = mkdtempSync(join(options.parent ?? tmpdir(), 'suiji-bench-pg-'));
  if (asRoot) {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already down
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on ${options.settings ?? ''}`.trim();
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const database = options.database ?? 'suiji_bench';
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return { url: `${base}/${database}${options.schema ? `?schema=${options.schema}` : ''}`, dataDir: data, stop };
}
