/**
 * Issue 7 §4, the reported sequence end to end with real processes: a server is killed -9,
 * its WAL loses the tail, and the restart must neither say "intact" nor serve the lost events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readdirSync } from 'node:fs';
import { tempDir } from '../helpers/temp-dir.js';
import { truncateWal } from '../helpers/ledger-files.js';
import { cliPath, runCli } from './run-cli.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function serve(data: string, extra: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [cliPath, 'serve', '--data', data, '--port', String(port), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, port };
}

/** Polls until `ok` holds for GET /health (the server may still be starting or rebuilding). */
async function healthUntil(port: number, token: string | null, ok: (status: number) => boolean): Promise<number> {
  let last = 0;
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/health`, token ? { headers: { authorization: `Bearer ${token}` } } : {}).catch(() => undefined);
    if (res) {
      last = res.status;
      if (ok(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

const tokenCreate = (data: string, user: string): string =>
  runCli(['token', 'create', '--user', user, '--role', 'admin', '--department', 'd', '--data', data]).stdout.trim();

describe('issue 7 §4: WAL tail lost after kill -9', () => {
  it('regression (55 of 110 acknowledged writes lost, verify said intact, lost tokens kept working): restart refused; accepted restart rebuilds and lost tokens get 401', async () => {
    const d = tempDir('suiji-e2e-');
    cleanups.push(d.remove);
    const data = d.path;
    const kept = [tokenCreate(data, 'k1'), tokenCreate(data, 'k2')];

    const first = await serve(data);
    expect(await healthUntil(first.port, null, (s) => s === 200)).toBe(200);
    // Appended while the server holds the file open: these frames stay in the WAL.
    const lost = [tokenCreate(data, 'l1'), tokenCreate(data, 'l2'), tokenCreate(data, 'l3')];
    for (const t of lost) expect(await healthUntil(first.port, t, (s) => s === 200)).toBe(200);
    const killed = new Promise((r) => first.child.on('exit', r));
    first.child.kill('SIGKILL');
    await killed;
    truncateWal(data, 0); // every frame written since the server opened the file is gone

    const verify = runCli(['ledger', 'verify', '--data', data]);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain('ledger verification FAILED at position 2');
    expect(verify.stdout).toContain('shorter-than-trusted-checkpoint');

    const refused = runCli(['serve', '--data', data, '--port', String(await freePort())]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('LEDGER_ROLLED_BACK');

    const second = await serve(data, ['--accept-rollback']);
    expect(await healthUntil(second.port, null, (s) => s === 200)).toBe(200);
    for (const t of lost) expect(await healthUntil(second.port, t, (s) => s === 401)).toBe(401);
    for (const t of kept) expect(await healthUntil(second.port, t, (s) => s === 200)).toBe(200);
    // A new write lands at a position the old read models had passed; it is applied, not skipped.
    const fresh = tokenCreate(data, 'k3');
    expect(await healthUntil(second.port, fresh, (s) => s === 200)).toBe(200);
    expect(readdirSync(data).some((f) => f.startsWith('checkpoint.rejected-'))).toBe(true);
  });
});
