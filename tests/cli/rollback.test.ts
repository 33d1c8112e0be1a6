/**
 * Issue 7 §4: the checkpoint kept outside the database file catches a lost tail or a
 * restored old copy — at start (openRuntime, `suiji serve`) and in `suiji ledger verify`.
 * Real files and real processes throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime } from '../../src/cli/runtime.js';
import { isSuijiError } from '../../src/domain/errors.js';
import { openSqliteStore } from '../../src/store/index.js';
import { formatCheckpoint, parseCheckpoint, parseVerifierKey } from '../../src/verify/index.js';
import { initLogKey } from '../../src/app/ledger/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { issueToken, restoreLedger, snapshotLedger, truncateWal } from '../helpers/ledger-files.js';
import { cliPath, runCli } from './run-cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = (): string => {
  const d = tempDir('suiji-rollback-');
  cleanups.push(d.remove);
  return d.path;
};

async function withTokens(dataDir: string, n: number): Promise<void> {
  const rt = await openRuntime(dataDir);
  try {
    for (let i = 0; i < n; i++) await issueToken(rt.store);
  } finally {
    await rt.close();
  }
}

async function refusal(dataDir: string): Promise<Record<string, unknown>> {
  try {
    const rt = await openRuntime(dataDir);
    await rt.close();
  } catch (err) {
    if (isSuijiError(err)) return { code: err.code, ...err.details };
    throw err;
  }
  throw new Error('openRuntime did not refuse');
}

const keptCheckpoint = (dataDir: string) => parseCheckpoint(readFileSync(join(dataDir, 'checkpoint'), 'utf8'));

describe('issue 7 §4: the checkpoint kept outside the database', () => {
  it('is written after appends: the C2SP body of the current head', async () => {
    const data = dir();
    await withTokens(data, 3);
    const store = openSqliteStore({ dataDir: data, create: false });
    const head = await store.head();
    await store.close();
    expect(head.size).toBe(3);
    expect(keptCheckpoint(data)).toEqual({ origin: 'yiyuan.suiji.example/ledger', size: 3, root: head.root });
    expect(readdirSync(data).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('regression (two origin defaults): a new checkpoint file and the log key carry the one log origin, SUIJI_LOG_ORIGIN when set', async () => {
    const plain = dir();
    await withTokens(plain, 1);
    expect(keptCheckpoint(plain).origin).toBe(parseVerifierKey(initLogKey(plain).vkey).name);
    const named = dir();
    const saved = process.env.SUIJI_LOG_ORIGIN;
    process.env.SUIJI_LOG_ORIGIN = 'suiji.test-county.example/ledger';
    try {
      await withTokens(named, 1);
      expect(keptCheckpoint(named).origin).toBe('suiji.test-county.example/ledger');
      expect(parseVerifierKey(initLogKey(named).vkey).name).toBe('suiji.test-county.example/ledger');
    } finally {
      if (saved === undefined) delete process.env.SUIJI_LOG_ORIGIN;
      else process.env.SUIJI_LOG_ORIGIN = saved;
    }
  });

  it('regression (two origin defaults): a data directory whose checkpoint file says suiji.local/ledger still starts, verifies and keeps its origin line; a rollback under it is still refused', async () => {
    const data = dir();
    const old = dir();
    await withTokens(data, 2);
    snapshotLedger(data, old);
    const store = openSqliteStore({ dataDir: data, create: false });
    const head = await store.head();
    await store.close();
    // What the checkpoint file held before the origin defaults became one.
    writeFileSync(join(data, 'checkpoint'), formatCheckpoint({ origin: 'suiji.local/ledger', size: head.size, root: head.root }));

    await withTokens(data, 3);
    expect(keptCheckpoint(data)).toMatchObject({ origin: 'suiji.local/ledger', size: 5 });
    const verify = runCli(['ledger', 'verify', '--data', data, '--no-evidence']);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`extends checkpoint ${join(data, 'checkpoint')}: size 5`);

    restoreLedger(old, data);
    expect(await refusal(data)).toMatchObject({ code: 'LEDGER_ROLLED_BACK', reason: 'shorter', size: 2, checkpointSize: 5 });
  });

  it('regression (a restored old copy of suiji.db): start is refused with LEDGER_ROLLED_BACK, reason shorter', async () => {
    const data = dir();
    const old = dir();
    await withTokens(data, 2);
    snapshotLedger(data, old);
    await withTokens(data, 3);
    restoreLedger(old, data);
    expect(await refusal(data)).toMatchObject({ code: 'LEDGER_ROLLED_BACK', reason: 'shorter', size: 2, checkpointSize: 5, field: 'checkpoint' });
  });

  it('regression (WAL cut after kill -9 lost acknowledged writes): start is refused, ledger verify fails', async () => {
    const data = dir();
    const crashed = dir();
    const rt = await openRuntime(data);
    for (let i = 0; i < 40; i++) await issueToken(rt.store);
    await rt.checkpoint.flush();
    // What a kill -9 leaves on disk, then a WAL that lost its tail (a disk or a copy that cut it).
    snapshotLedger(data, crashed);
    copyFileSync(join(data, 'checkpoint'), join(crashed, 'checkpoint'));
    await rt.close();
    truncateWal(crashed, 0.5);
    const store = openSqliteStore({ dataDir: crashed, create: false });
    const size = (await store.head()).size;
    await store.close();
    expect(size).toBeLessThan(40);

    expect(await refusal(crashed)).toMatchObject({ code: 'LEDGER_ROLLED_BACK', reason: 'shorter', size, checkpointSize: 40 });
    const verify = runCli(['ledger', 'verify', '--data', crashed]);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain('shorter-than-trusted-checkpoint');
  });

  it('a ledger of the same size with another history is refused: reason different-history', async () => {
    const data = dir();
    const other = dir();
    await withTokens(data, 3);
    await withTokens(other, 3);
    copyFileSync(join(data, 'checkpoint'), join(other, 'checkpoint'));
    expect(await refusal(other)).toMatchObject({ code: 'LEDGER_ROLLED_BACK', reason: 'different-history', checkpointSize: 3 });
  });

  it('kill -9 between the db commit and the checkpoint write: the file lags, the db extends it, start is accepted and the file catches up', async () => {
    const data = dir();
    await withTokens(data, 2);
    // Appends the checkpoint file never heard of (no keeper: as if killed before writing it).
    const rt = await openRuntime(data);
    const store = openSqliteStore({ dataDir: data });
    await issueToken(store);
    await issueToken(store);
    await store.close();
    await rt.close();
    expect(keptCheckpoint(data).size).toBe(2);
    const again = await openRuntime(data);
    await again.close();
    expect(keptCheckpoint(data).size).toBe(4);
  });

  it('a malformed checkpoint file is a coded error naming the file, not a start on trust', async () => {
    const data = dir();
    await withTokens(data, 1);
    writeFileSync(join(data, 'checkpoint'), 'suiji.local/ledger\n1\nnot-base64\n');
    expect(await refusal(data)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'checkpoint', reason: 'bad-root' });
  });
});

describe('suiji serve on a rolled-back ledger', () => {
  async function rolledBack(): Promise<string> {
    const data = dir();
    const old = dir();
    await withTokens(data, 1);
    snapshotLedger(data, old);
    await withTokens(data, 2);
    restoreLedger(old, data);
    return data;
  }

  it('refuses to start: exit non-zero, one coded line naming the reason', async () => {
    const data = await rolledBack();
    const r = runCli(['serve', '--data', data, '--port', '0']);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('LEDGER_ROLLED_BACK');
    expect(lines[0]).toContain('has 1 events but');
    expect(keptCheckpoint(data).size).toBe(3);
  });

  it('--accept-rollback starts, logs it at error level, keeps the old checkpoint aside and records the current head', async () => {
    const data = await rolledBack();
    const child = spawn(process.execPath, [cliPath, 'serve', '--data', data, '--port', '0', '--accept-rollback'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: { level: number; msg: string }[] = [];
    try {
      for await (const line of createInterface({ input: child.stdout })) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        logs.push(entry);
        if (entry.msg === 'suiji serving') break;
      }
    } finally {
      child.kill('SIGKILL');
    }
    const loud = logs.find((l) => l.msg.includes('ROLLBACK ACCEPTED'));
    expect(loud?.level).toBe(50); // pino: error
    const aside = readdirSync(data).filter((f) => f.startsWith('checkpoint.rejected-'));
    expect(aside).toHaveLength(1);
    expect(parseCheckpoint(readFileSync(join(data, aside[0]!), 'utf8')).size).toBe(3);
    expect(keptCheckpoint(data).size).toBe(1);
  });
});

describe('suiji ledger verify --checkpoint FILE', () => {
  it('regression (a consistent rollback passed verify): a checkpoint kept elsewhere catches it, exit 1', async () => {
    const data = dir();
    const old = dir();
    const elsewhere = join(dir(), 'published-checkpoint');
    await withTokens(data, 2);
    snapshotLedger(data, old);
    await withTokens(data, 2);
    copyFileSync(join(data, 'checkpoint'), elsewhere);
    restoreLedger(old, data);
    // Whoever restored the old copy also removed the server's own checkpoint file.
    rmSync(join(data, 'checkpoint'));

    expect(runCli(['ledger', 'verify', '--data', data]).status).toBe(0);
    const r = runCli(['ledger', 'verify', '--data', data, '--checkpoint', elsewhere]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('shorter-than-trusted-checkpoint');
    expect(r.stdout).toContain(elsewhere);
  });

  it('passes and says so when the ledger extends the checkpoint', async () => {
    const data = dir();
    const elsewhere = join(dir(), 'cp');
    await withTokens(data, 2);
    copyFileSync(join(data, 'checkpoint'), elsewhere);
    await withTokens(data, 1);
    const r = runCli(['ledger', 'verify', '--data', data, '--checkpoint', elsewhere]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`extends checkpoint ${elsewhere}: size 2`);
  });

  it('a checkpoint of another history is a root mismatch, exit 1', async () => {
    const data = dir();
    const other = dir();
    await withTokens(data, 2);
    await withTokens(other, 2);
    const r = runCli(['ledger', 'verify', '--data', data, '--checkpoint', join(other, 'checkpoint')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('trusted-checkpoint-mismatch');
  });

  it('a missing or malformed checkpoint file is a coded error naming --checkpoint, exit 2', async () => {
    const data = dir();
    await withTokens(data, 1);
    const missing = runCli(['ledger', 'verify', '--data', data, '--checkpoint', join(data, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('VALIDATION_FAILED');
    expect(missing.stderr).toContain('"field":"--checkpoint"');
    const bad = join(data, 'bad');
    writeFileSync(bad, 'x\n01\n');
    const malformed = runCli(['ledger', 'verify', '--data', data, '--checkpoint', bad]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('"field":"--checkpoint"');
  });
});
