import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { newEvent } from '../helpers/events.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runCli } from './run-cli.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

async function ledgerOf(n: number): Promise<string> {
  const d = tempDir('suiji-cli-');
  dirs.push(d);
  const store = await openStore({ dataDir: d.path });
  for (let i = 0; i < n; i++) await store.append(`s-${i % 2}`, [newEvent({ payload: { note: `事件-${i}-PAYLOAD-${String(i).padStart(3, '0')}` } })], 'any');
  await store.close();
  return d.path;
}

describe('suiji ledger verify', () => {
  it('exits 0 on an intact ledger and prints its size and root', async () => {
    const dataDir = await ledgerOf(5);
    const r = runCli(['ledger', 'verify', '--data', dataDir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ledger intact: 5 events, root [0-9a-f]{64}/);
  });

  it('exits 1 naming the first bad position when one byte of a stored event is changed on disk', async () => {
    const dataDir = await ledgerOf(8);
    const file = join(dataDir, 'suiji.db');
    const bytes = readFileSync(file);
    const at = bytes.indexOf('PAYLOAD-005');
    expect(at).toBeGreaterThan(0);
    bytes[at + 10] = '6'.charCodeAt(0);
    writeFileSync(file, bytes);
    const r = runCli(['ledger', 'verify', '--data', dataDir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAILED at position 5');
  });

  it('reads the data dir from SUIJI_DATA, and does not create a ledger where there is none', async () => {
    const d = tempDir('suiji-cli-');
    dirs.push(d);
    const missing = join(d.path, 'nothing-here');
    const r = runCli(['ledger', 'verify'], { SUIJI_DATA: missing });
    expect(r.status).toBe(1);
    expect(existsSync(join(missing, 'suiji.db'))).toBe(false);
  });

  it('answers an unknown subcommand with a one-line coded usage error and exit 2', () => {
    const r = runCli(['ledger', 'frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('错误 / error VALIDATION_FAILED');
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('suiji ledger --help');
  });
});
