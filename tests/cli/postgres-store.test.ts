/**
 * The CLI on a PostgreSQL ledger (a real PostgreSQL 15, tests/helpers/postgres.ts): a write
 * command following SUIJI_STORE, `ledger verify --store` naming the first bad position, and
 * `serve --store` answering /health from the server's ledger.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freshSchema, usePostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';
import { cliPath, runCli } from './run-cli.js';

const server = usePostgres();
const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));
const dataDir = (): string => {
  const d = tempDir('suiji-cli-pg-');
  dirs.push(d);
  return d.path;
};

const createToken = (data: string, env: Record<string, string>, user = 'admin-1') =>
  runCli(['token', 'create', '--data', data, '--user', user, '--role', 'admin', '--department', 'system'], env);

describe('suiji on PostgreSQL', () => {
  it('a write command follows SUIJI_STORE, and --store on any command that opens a ledger: the events land in PostgreSQL, no SQLite ledger is created', async () => {
    const schema = freshSchema('cli');
    const data = dataDir();
    const r = createToken(data, { SUIJI_STORE: server().url(schema) });
    expect(r.status, r.stderr).toBe(0);
    const [row] = await server().sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.events`);
    expect(row!.n).toBeGreaterThan(0);
    // The ledger named by the flag alone (without it, token list would open an empty SQLite file here).
    const list = runCli(['token', 'list', '--data', data, '--store', server().url(schema)]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('admin-1');
    expect(existsSync(join(data, 'suiji.db'))).toBe(false);
  });

  it('ledger verify --store: exit 0 on the intact ledger; one byte changed in PostgreSQL → exit 1 naming the position', async () => {
    const schema = freshSchema('cliv');
    const data = dataDir();
    const url = server().url(schema);
    expect(createToken(data, { SUIJI_STORE: url }).status).toBe(0);
    const ok = runCli(['ledger', 'verify', '--data', data, '--store', url]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ledger intact: \d+ events, root [0-9a-f]{64}/);
    const [first] = await server().sql<{ position: number }>(
      `SELECT position::int AS position FROM ${schema}.events WHERE payload LIKE '%admin-1%' ORDER BY position LIMIT 1`,
    );
    await server().sql(`UPDATE ${schema}.events SET payload = replace(payload, 'admin-1', 'admin-2') WHERE position = $1`, [first!.position]);
    const bad = runCli(['ledger', 'verify', '--data', data, '--no-evidence'], { SUIJI_STORE: url });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`FAILED at position ${first!.position}`);
  });

  it('a location that is not a postgres:// URL is a coded usage error (exit 2), nothing opened', () => {
    const r = runCli(['ledger', 'verify', '--data', dataDir(), '--store', 'mysql://db/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('VALIDATION_FAILED');
    expect(r.stderr).toContain('--store');
  });

  it('serve --store answers /health with the PostgreSQL ledger head', async () => {
    const schema = freshSchema('serve');
    const data = dataDir();
    const url = server().url(schema);
    expect(createToken(data, { SUIJI_STORE: url }).status).toBe(0);
    const [row] = await server().sql<{ size: number }>(`SELECT size::int AS size FROM ${schema}.ledger_head`);
    // The server gets its own data directory (read models, checkpoint file): another instance.
    const child = spawn(process.execPath, [cliPath, 'serve', '--data', dataDir(), '--store', url, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let address: string | undefined;
      let serving: { store?: string; ledgerSize?: number } | undefined;
      for await (const line of createInterface({ input: child.stdout })) {
        const entry = JSON.parse(line) as { msg: string; store?: string; ledgerSize?: number };
        address ??= /listening at (http:\/\/[^\s]+)/.exec(entry.msg)?.[1];
        if (entry.msg === 'suiji serving') {
          serving = entry;
          break;
        }
      }
      expect(serving).toMatchObject({ store: url, ledgerSize: row!.size });
      expect(address).toBeDefined();
      const health = await fetch(`${address!}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ledger: { size: row!.size } });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
