/**
 * `suiji evidence put|verify` over the built binary on a copy of the seeded demo ledger (E10):
 * a put is stored and recorded as the --user; verify re-hashes every blob the ledger names and
 * exits 1 when one is missing or its bytes changed.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../cli/run-cli.js';
import { SeededLedgers, ledgerHead } from '../cli/seeded.js';
import { exe, filesUnder, jpeg, pdf, sha256 } from './fixtures.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());
const OP = 'yy-swj-ltfz-op';

describe('suiji evidence (E10)', () => {
  it('E10: evidence put stores the file under its SHA-256 and records it as the --user (A3)', async () => {
    const data = ledgers.copy();
    const file = join(data, '..', '检查记录.pdf');
    const bytes = pdf('CLI put');
    writeFileSync(file, bytes);
    const res = runCli(['evidence', 'put', file, '--user', OP, '--data', data]);
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ sha256: sha256(bytes), size: bytes.length, mime: 'application/pdf', recorded: true });
    const store = await openStore({ dataDir: data });
    try {
      const [event] = await store.readStream(`evidence-${sha256(bytes)}`);
      expect(event?.actor.userId).toBe(OP);
      expect(event?.payload).toMatchObject({ fileName: '检查记录.pdf' });
    } finally {
      await store.close();
    }
  });

  it('E10: evidence put of an executable named .jpg, or without --user → coded refusal (exit 2), nothing written', async () => {
    const data = ledgers.copy();
    const before = await ledgerHead(data);
    const file = join(data, '..', 'photo.jpg');
    writeFileSync(file, exe());
    const bad = runCli(['evidence', 'put', file, '--user', OP, '--data', data]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('UNSUPPORTED_MEDIA_TYPE');
    const anon = runCli(['evidence', 'put', file, '--data', data], { SUIJI_USER: '' });
    expect(anon.status).toBe(2);
    expect(await ledgerHead(data)).toEqual(before);
    expect(filesUnder(data, 'sha256')).toEqual([]);
    expect(filesUnder(data, 'tmp')).toEqual([]);
  });

  it('E10: a blob whose bytes change is caught by evidence verify (exit 1); a deleted one is reported missing', () => {
    const data = ledgers.copy();
    const photos = [jpeg('one'), jpeg('two')];
    for (const [i, p] of photos.entries()) {
      const file = join(data, '..', `p${i}.jpg`);
      writeFileSync(file, p);
      expect(runCli(['evidence', 'put', file, '--user', OP, '--data', data]).status).toBe(0);
    }
    const clean = runCli(['evidence', 'verify', '--data', data]);
    expect(clean.status, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ checked: 2, ok: 2, missing: [], changed: [] });
    const [a, b] = photos.map(sha256) as [string, string];
    const pathA = join(data, 'evidence', 'sha256', a.slice(0, 2), a);
    const altered = readFileSync(pathA);
    altered.writeUInt8(altered.readUInt8(5) ^ 1, 5);
    writeFileSync(pathA, altered);
    rmSync(join(data, 'evidence', 'sha256', b.slice(0, 2), b));
    const res = runCli(['evidence', 'verify', '--data', data]);
    expect(res.status).toBe(1);
    expect(JSON.parse(res.stdout)).toEqual({ checked: 2, ok: 0, missing: [b], changed: [a] });
    expect(res.stderr).toContain(`CHANGED ${a}`);
    // One hash named: only it is checked.
    expect(JSON.parse(runCli(['evidence', 'verify', a, '--data', data]).stdout)).toMatchObject({ checked: 1, changed: [a] });
    expect(runCli(['evidence', 'verify', 'not-a-hash', '--data', data]).status).toBe(2);
  });
});
