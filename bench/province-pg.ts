/**
 * A throwaway PostgreSQL 15 server for the province bench (the tests' helper,
 * tests/helpers/postgres.ts, hooks into vitest, which a bench must not load): initdb into a temp
 * dir, start on a free port, one database, stop and remove on `stop()` or process exit.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_BIN = process.env.SUIJI_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

const run = (bin: string, args: readonly string[]): string =>
  asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync(join(PG_BIN, bin), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

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
  readonly url: string;
  readonly dataDir: string;
  stop(): void;
}

export async function startBenchPostgres(): Promise<BenchPg> {
  const dir = mkdtempSync(join(process.env.BENCH_PROVINCE_DIR ?? tmpdir(), 'suiji-bench-province-pg-'));
  if (asRoot) {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']);
  // Durable like production (fsync on); a larger WAL so a 15M-event seed is not checkpoint-bound.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_wal_size=8GB -c shared_buffers=512MB`;
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
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE suiji_province');
  await admin.end();
  return { url: `${base}/suiji_province?schema=province`, dataDir: data, stop };
}
