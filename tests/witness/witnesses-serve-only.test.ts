/**
 * Only `suiji serve` accepts witness cosignatures (POST /ledger/cosignatures), so only serve
 * reads `<data>/keys/witnesses` and SUIJI_WITNESSES: a malformed or unreadable witness file
 * stops the server at start, as it always did, and no other command. Real data directories,
 * the real CLI in its own process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime } from '../../src/cli/runtime.js';
import { isSuijiError } from '../../src/domain/errors.js';
import { issueToken } from '../helpers/ledger-files.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runCli } from '../cli/run-cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const witnessesFile = (data: string): string => join(data, 'keys', 'witnesses');

/** A data directory with two events and a bad witness file. */
async function withBadWitnesses(kind: 'malformed' | 'unreadable'): Promise<string> {
  const d = tempDir('suiji-witnesses-');
  cleanups.push(d.remove);
  const rt = await openRuntime(d.path);
  try {
    await issueToken(rt.store, 'a');
    await issueToken(rt.store, 'b');
  } finally {
    await rt.close();
  }
  mkdirSync(join(d.path, 'keys'), { recursive: true });
  // Running as root, mode 000 would still be readable: a directory in its place cannot be read by anyone.
  if (kind === 'unreadable') mkdirSync(witnessesFile(d.path));
  else writeFileSync(witnessesFile(d.path), '# 市局 / the city\nnot-a-witness-key\n');
  return d.path;
}

describe('regression (every command read keys/witnesses): the witness keys are read by serve only', () => {
  for (const kind of ['malformed', 'unreadable'] as const) {
    it(`V4: when keys/witnesses is ${kind}, a runtime without the cosignature service opens, appends and closes`, async () => {
      const data = await withBadWitnesses(kind);
      const rt = await openRuntime(data);
      try {
        expect(rt.cosignatures).toBeNull();
        await issueToken(rt.store, 'c');
        expect((await rt.store.head()).size).toBe(3);
      } finally {
        await rt.close();
      }
      // Asked for the service (what serve asks), the same directory is refused at open.
      const refused = await openRuntime(data, { cosignatures: true }).then(
        async (opened) => {
          await opened.close();
          return null;
        },
        (err: unknown) => err,
      );
      expect(refused).not.toBeNull();
      if (kind === 'malformed') {
        expect(isSuijiError(refused) && { code: refused.code, field: refused.details.field }).toEqual({ code: 'VALIDATION_FAILED', field: `${witnessesFile(data)}:2` });
      } else {
        expect(isSuijiError(refused) && { code: refused.code, field: refused.details.field, reason: refused.details.reason }).toEqual({ code: 'VALIDATION_FAILED', field: witnessesFile(data), reason: 'EISDIR' });
      }
    });
  }

  it('V4: with a malformed keys/witnesses, `suiji projections rebuild` and `suiji export public` succeed; `suiji serve` refuses with the coded error naming the file and line', async () => {
    const dir = await withBadWitnesses('malformed');
    const rebuild = runCli(['projections', 'rebuild', '--data', dir]);
    expect(rebuild.status, rebuild.stderr).toBe(0);
    const out = tempDir('suiji-witnesses-export-');
    cleanups.push(out.remove);
    const exported = runCli(['export', 'public', join(out.path, 'site'), '--data', dir]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('exported the public site');

    const serve = runCli(['serve', '--data', dir, '--port', '0']);
    expect(serve.status).toBe(2);
    const lines = serve.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('VALIDATION_FAILED');
    expect(lines[0]).toContain(`${witnessesFile(dir)}:2`);
  });

  it('V4: with an unreadable keys/witnesses, `suiji projections rebuild` succeeds and `suiji serve` refuses with one coded line naming the file', async () => {
    const dir = await withBadWitnesses('unreadable');
    const rebuild = runCli(['projections', 'rebuild', '--data', dir]);
    expect(rebuild.status, rebuild.stderr).toBe(0);
    const serve = runCli(['serve', '--data', dir, '--port', '0']);
    expect(serve.status).toBe(2);
    const lines = serve.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('VALIDATION_FAILED');
    expect(lines[0]).toContain(witnessesFile(dir));
  });
});
