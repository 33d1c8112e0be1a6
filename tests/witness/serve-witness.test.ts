/**
 * The wiring as an operator runs it: `suiji serve` (its own process, a demo county with the log
 * key `demo seed` makes) reads `<data>/keys/witnesses`, and the `suiji witness` process's
 * cosignature comes back in GET /ledger/checkpoint.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCosignerKey, parseVerifierKey, verifiedText, verifyCosignature } from '../../src/verify/index.js';
import { cliPath, runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { suiji } from './county.js';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const tmp = tempDir('suiji-serve-witness-');
afterAll(() => tmp.remove());

describe('suiji serve with a configured witness', () => {
  it('V4/P2: the witness process cosigns what suiji serve signs, and suiji serve serves the cosignature in GET /ledger/checkpoint', async () => {
    const data = join(tmp.path, 'data');
    expect(runCli(['demo', 'seed', '--targets', '0', '--no-year', '--data', data]).status).toBe(0);
    const logVkey = readFileSync(join(data, 'keys', 'log.vkey'), 'utf8').trim();
    const keyFile = join(tmp.path, 'witness.key');
    const init = await suiji(['witness', 'init', '--name', 'shi.suiji.example/witness', '--key', keyFile]);
    expect(init.status).toBe(0);
    writeFileSync(join(data, 'keys', 'witnesses'), `# 市局 / the city\n${init.stdout}`);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [cliPath, 'serve', '--data', data, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      let res: Response | undefined;
      for (let i = 0; i < 300 && !res; i++) {
        res = await fetch(`${url}/ledger/checkpoint`).catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 100));
      }
      expect(res?.status).toBe(200);
      const w = await suiji(['witness', '--log', url, '--log-key', join(data, 'keys', 'log.vkey'), '--key', keyFile, '--state', join(tmp.path, 'state')]);
      expect(w.stderr).toBe('');
      expect(w.status).toBe(0);
      const note = await (await fetch(`${url}/ledger/checkpoint`)).text();
      verifiedText(note, parseVerifierKey(logVkey));
      expect(verifyCosignature(note, parseCosignerKey(init.stdout)).timestamp).toBeGreaterThan(0);
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
