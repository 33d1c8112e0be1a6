/**
 * The CLI with an EventStoreDB location: the real client in a real process. Without a server,
 * an unreachable one must give a coded answer and leave nothing behind; with ESDB_URL set, a
 * write command follows SUIJI_STORE and `ledger verify --store` checks that ledger.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { ESDB_SKIP, ESDB_URL, esdbLocation, freshEsdbLedger } from '../helpers/test-store.js';
import { runCli } from './run-cli.js';

const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));
const dataDir = (): string => {
  const d = tempDir('suiji-cli-esdb-');
  dirs.push(d);
  return d.path;
};
const CLOSED = 'esdb://127.0.0.1:1?tls=false&ledger=nobody';

const createToken = (data: string, env: Record<string, string>) =>
  runCli(['token', 'create', '--data', data, '--user', 'admin-1', '--role', 'admin', '--department', 'system'], env);

describe('suiji with an unreachable EventStoreDB', () => {
  it('a write command following SUIJI_STORE exits 2 with STORE_UNAVAILABLE (zh + en) and creates no SQLite ledger instead', () => {
    const data = dataDir();
    const r = createToken(data, { SUIJI_STORE: CLOSED });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('STORE_UNAVAILABLE');
    expect(r.stderr).toContain('EventStoreDB 不可用');
    expect(existsSync(join(data, 'suiji.db'))).toBe(false);
  });

  it('ledger verify --store exits 1 naming the store error, not a stack trace', () => {
    const r = runCli(['ledger', 'verify', '--data', dataDir(), '--store', CLOSED]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('store-error');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!ESDB_URL)(ESDB_URL ? 'suiji on EventStoreDB (real server at ESDB_URL)' : ESDB_SKIP, () => {
  it('a write command follows SUIJI_STORE; ledger verify --store passes on that ledger', () => {
    const store = esdbLocation(freshEsdbLedger());
    const data = dataDir();
    const r = createToken(data, { SUIJI_STORE: store });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(data, 'suiji.db'))).toBe(false);
    const v = runCli(['ledger', 'verify', '--data', data, '--store', store, '--no-evidence']);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/ledger intact: [1-9]\d* events/);
  });
});
