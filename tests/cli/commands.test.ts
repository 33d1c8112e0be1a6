import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { cliPath, runCli } from './run-cli.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const dataDir = (): string => {
  const d = tempDir('suiji-cli-');
  dirs.push(d);
  return d.path;
};

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe('suiji CLI', () => {
  it('G3: token create prints a token once for a registered user and records only its hash, attributed to the issuing admin and the console user', async () => {
    const dir = dataDir();
    expect(runCli(['demo', 'seed', '--targets', '0', '--data', dir]).status).toBe(0);
    const r = runCli(['token', 'create', '--user', 'yy-swj-scyx-op', '--role', 'operator', '--department', 'yy-swj-scyx', '--by', 'yy-admin', '--data', dir]);
    expect(r.status, r.stderr).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^sj_[a-z0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toContain('只显示这一次');
    const store = await openStore({ dataDir: dir });
    const all = await store.readAll();
    await store.close();
    const e = all[all.length - 1]!;
    expect(e).toMatchObject({ type: 'TokenIssued', payload: { userId: 'yy-swj-scyx-op', role: 'operator', department: 'yy-swj-scyx' } });
    expect(e.actor).toEqual({ userId: 'yy-admin', role: 'admin', department: 'yy-swj' });
    expect(e.correlationId).toMatch(/^cli:[^:]+:[0-9a-f-]{36}$/);
    expect(JSON.stringify(all)).not.toContain(token.split('.')[1]);
  });

  it('G3: a token must match the user register: unknown user, other role or other department are refused and nothing is written', async () => {
    const dir = dataDir();
    runCli(['demo', 'seed', '--targets', '0', '--data', dir]);
    const store = await openStore({ dataDir: dir });
    const before = await store.head();
    await store.close();
    const cases: [string[], string][] = [
      [['--user', 'nobody', '--role', 'operator', '--department', 'yy-swj-scyx'], 'NOT_FOUND'],
      [['--user', 'yy-swj-scyx-op', '--role', 'admin', '--department', 'yy-swj-scyx'], '--role'],
      [['--user', 'yy-swj-scyx-op', '--role', 'operator', '--department', 'yy-swj-ltfz'], '--department'],
    ];
    for (const [flags, expected] of cases) {
      const r = runCli(['token', 'create', ...flags, '--by', 'yy-admin', '--data', dir]);
      expect(r.status, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain(expected);
    }
    const after = await openStore({ dataDir: dir });
    expect(await after.head()).toEqual(before);
    await after.close();
  });

  it('G3: on an empty ledger only an admin token can be issued (bootstrap)', () => {
    const dir = dataDir();
    expect(runCli(['token', 'create', '--user', 'op', '--role', 'operator', '--department', 'd', '--data', dir]).status).toBe(2);
    expect(runCli(['token', 'create', '--user', 'root', '--role', 'admin', '--department', 'bureau', '--data', dir]).status).toBe(0);
  });

  it('token create refuses an unknown role with a bilingual error and writes nothing', async () => {
    const dir = dataDir();
    const r = runCli(['token', 'create', '--user', 'u', '--role', 'emperor', '--department', 'd', '--data', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('VALIDATION_FAILED');
    expect(r.stderr).toContain('角色必须是');
    expect(r.stderr).toContain('--role');
  });

  it('projections rebuild replays the whole ledger', async () => {
    const dir = dataDir();
    runCli(['token', 'create', '--user', 'a', '--role', 'admin', '--department', 'd', '--data', dir]);
    runCli(['token', 'create', '--user', 'b', '--role', 'admin', '--department', 'd', '--data', dir]);
    const r = runCli(['projections', 'rebuild', '--data', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/projections rebuilt: 2 events/);
  });

  it('G3 at the console: only an admin issues (--by), the holder or an admin revokes (--user), as over HTTP; refusals write nothing', async () => {
    const dir = dataDir();
    expect(runCli(['demo', 'seed', '--targets', '0', '--data', dir]).status).toBe(0);
    const holder = ['--user', 'yy-swj-scyx-op', '--role', 'operator', '--department', 'yy-swj-scyx'];
    const byOperator = runCli(['token', 'create', ...holder, '--by', 'yy-swj-scyx-op', '--data', dir]);
    expect(byOperator.status).toBe(2);
    expect(byOperator.stderr).toContain('Only an admin can issue tokens');
    const token = runCli(['token', 'create', ...holder, '--by', 'yy-admin', '--data', dir]).stdout.trim();
    const tokenId = /^sj_([a-z0-9]{16})\./.exec(token)![1]!;
    const store = await openStore({ dataDir: dir });
    const before = await store.head();
    await store.close();
    const stranger = runCli(['token', 'revoke', tokenId, '--reason', '不是我的', '--user', 'yy-swj-ltfz-op', '--data', dir]);
    expect(stranger.status).toBe(2);
    expect(stranger.stderr).toContain('FORBIDDEN');
    expect(stranger.stderr).toContain('"rule":"G3"');
    const after = await openStore({ dataDir: dir });
    expect(await after.head()).toEqual(before);
    await after.close();
    const own = runCli(['token', 'revoke', tokenId, '--reason', '设备丢失', '--user', 'yy-swj-scyx-op', '--data', dir]);
    expect(own.status, own.stderr).toBe(0);
    const last = await openStore({ dataDir: dir });
    const events = await last.readAll();
    await last.close();
    expect(events[events.length - 1]).toMatchObject({ type: 'TokenRevoked', actor: { userId: 'yy-swj-scyx-op', role: 'operator', department: 'yy-swj-scyx' } });
  });

  it('serve refuses a malformed --trust-proxy with a coded error before opening the data directory', () => {
    const dir = join(dataDir(), 'not-created');
    const r = runCli(['serve', '--trust-proxy', 'a b c', '--port', '0', '--data', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"field":"--trust-proxy"');
    expect(existsSync(dir)).toBe(false);
  });

  it('serve answers GET /health over real HTTP with the ledger root, and a token works', async () => {
    const dir = dataDir();
    const token = runCli(['token', 'create', '--user', 'a', '--role', 'admin', '--department', 'bureau', '--data', dir]).stdout.trim();
    const port = await freePort();
    const child = spawn(process.execPath, [cliPath, 'serve', '--data', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let health: Response | undefined;
      for (let i = 0; i < 100 && !health; i++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status).toBe(200);
      const body = (await health!.json()) as { ledger: { size: number; root: string } };
      expect(body.ledger.size).toBeGreaterThanOrEqual(1);
      expect(body.ledger.root).toMatch(/^[0-9a-f]{64}$/);
      const bad = await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: 'Bearer sj_nope' } });
      expect(bad.status).toBe(401);
      const good = await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: `Bearer ${token}` } });
      expect(good.status).toBe(200);
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
