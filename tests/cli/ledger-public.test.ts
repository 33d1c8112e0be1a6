import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { parseCheckpoint, parseVerifierKey, verifiedText, verifyInclusion } from '../../src/verify/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runCli } from './run-cli.js';

const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.splice(0).forEach((d) => d.remove()));
const fresh = (): string => {
  const d = tempDir('suiji-cli-ckpt-');
  dirs.push(d);
  return d.path;
};

describe('suiji keys init / ledger checkpoint / ledger proof', () => {
  it('keys init prints the verifier key, refuses to overwrite without --force, and refuses a bad origin', () => {
    const data = fresh();
    const r = runCli(['keys', 'init', '--data', data, '--origin', 'cli.suiji.example/ledger']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^cli\.suiji\.example\/ledger\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    expect(readFileSync(join(data, 'keys', 'log.vkey'), 'utf8')).toBe(r.stdout);
    const again = runCli(['keys', 'init', '--data', data]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('ALREADY_EXISTS');
    expect(readFileSync(join(data, 'keys', 'log.vkey'), 'utf8')).toBe(r.stdout);
    expect(runCli(['keys', 'init', '--data', data, '--force']).status).toBe(0);
    expect(runCli(['keys', 'init', '--data', fresh(), '--origin', 'a+b']).stderr).toContain('--origin');
  });

  it('V4: demo seed creates the log key; ledger checkpoint prints a note the verifier key opens; a proof from the CLI verifies against it', () => {
    const data = fresh();
    const seeded = runCli(['demo', 'seed', '--targets', '0', '--no-year', '--data', data]);
    expect(seeded.status, seeded.stderr).toBe(0);
    const key = parseVerifierKey(readFileSync(join(data, 'keys', 'log.vkey'), 'utf8').trim());
    expect(key.name).toBe('yiyuan.suiji.example/ledger');
    const cp = runCli(['ledger', 'checkpoint', '--data', data]);
    expect(cp.status, cp.stderr).toBe(0);
    const body = parseCheckpoint(verifiedText(cp.stdout, key));
    expect(body.size).toBeGreaterThan(0);
    const index = body.size - 1;
    const inc = runCli(['ledger', 'proof', 'inclusion', '--index', String(index), '--size', String(body.size), '--data', data]);
    expect(inc.status, inc.stderr).toBe(0);
    const proof = JSON.parse(inc.stdout) as { leafHash: string; proof: string[] };
    expect(verifyInclusion(hexToBytes(proof.leafHash), index, body.size, proof.proof.map(hexToBytes), hexToBytes(body.root))).toBe(true);
    const bad = runCli(['ledger', 'proof', 'consistency', '--from', '1', '--to', String(body.size + 1), '--data', data]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('VALIDATION_FAILED');
  });
});
