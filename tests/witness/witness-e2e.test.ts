/**
 * `suiji witness` as its own process against a real county (SQLite ledger, signer, HTTP on a
 * free port): it cosigns, sees growth and cosigns again; a county that forks its history —
 * a copy of its data directory with the same key and origin that recorded other events —
 * cannot get the fork cosigned, and the witness's state is left byte for byte as it was.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initLogKey } from '../../src/app/ledger/index.js';
import { CosignatureError, formatVerifierKey, openNote, parseCheckpoint, parseCosignerKey, parseVerifierKey, verifyCosignature } from '../../src/verify/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { cliPath } from '../cli/run-cli.js';
import { copyCounty, startCounty, suiji, type County } from './county.js';

const ORIGIN = 'yiyuan.suiji.example/ledger';
const W = 'shi.suiji.example/witness';
const stateFile = (dir: string): string => join(dir, `${encodeURIComponent(ORIGIN)}.json`);

async function checkpointOf(county: County): Promise<string> {
  const res = await fetch(`${county.url}/ledger/checkpoint`);
  expect(res.status).toBe(200);
  return res.text();
}

const sizeOf = (note: string): number => parseCheckpoint(note).size;

function hasCosignature(note: string, vkey: string): boolean {
  try {
    verifyCosignature(note, parseCosignerKey(vkey));
    return true;
  } catch (e) {
    if (e instanceof CosignatureError && e.code === 'no-cosignature') return false;
    throw e;
  }
}

describe('suiji witness against a real county', () => {
  let tmp: ReturnType<typeof tempDir>;
  let countyDir: string;
  let keyFile: string;
  let stateDir: string;
  let witnessVkey: string;
  let logVkey: string;
  const open: County[] = [];

  const start = async (dir: string): Promise<County> => {
    const c = await startCounty(dir);
    open.push(c);
    return c;
  };
  const stop = async (c: County): Promise<void> => {
    open.splice(open.indexOf(c), 1);
    await c.close();
  };
  const witness = (county: County, extra: string[] = [], key = keyFile) =>
    suiji(['witness', '--log', county.url, '--log-key', logVkey, '--key', key, '--state', stateDir, ...extra]);

  beforeAll(() => {
    if (!existsSync(cliPath)) throw new Error(`${cliPath} missing: run \`npm run build\` (npm test does)`);
  });

  beforeEach(async () => {
    tmp = tempDir('suiji-witness-');
    keyFile = join(tmp.path, 'witness.key');
    stateDir = join(tmp.path, 'state');
    const init = await suiji(['witness', 'init', '--name', W, '--key', keyFile]);
    expect(init.status).toBe(0);
    witnessVkey = init.stdout.trim();
    countyDir = join(tmp.path, 'county');
    mkdirSync(join(countyDir, 'keys'), { recursive: true });
    writeFileSync(join(countyDir, 'keys', 'witnesses'), `${witnessVkey}\n`);
    logVkey = initLogKey(countyDir, { origin: ORIGIN }).vkey;
  });

  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    tmp.remove();
  });

  it('V4/P2: witness init makes a 0600 key and prints its verifier key; the witness cosigns, sees growth, cosigns again, and the county serves the cosignatures', async () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(parseCosignerKey(witnessVkey).name).toBe(W);

    const county = await start(countyDir);
    await county.grow(3, 'a');
    const first = await witness(county);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/已联署 \/ cosigned yiyuan\.suiji\.example\/ledger size 3 /);
    expect(first.stdout).toContain('first checkpoint of this log');

    const note1 = await checkpointOf(county);
    expect(sizeOf(note1)).toBe(3);
    expect(openNote(note1, [parseVerifierKey(logVkey)]).signatures[0]!.verified).toBe(true);
    expect(hasCosignature(note1, witnessVkey)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile(stateDir), 'utf8'))).toMatchObject({ origin: ORIGIN, size: 3 });

    await county.grow(4, 'b');
    const second = await witness(county);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/size 7 .*extends size 3/);
    const note2 = await checkpointOf(county);
    expect(sizeOf(note2)).toBe(7);
    expect(hasCosignature(note2, witnessVkey)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile(stateDir), 'utf8'))).toMatchObject({ size: 7 });

    // The newest cosigned checkpoint stays available once the log has signed newer ones.
    await county.grow(1, 'c');
    expect(hasCosignature(await checkpointOf(county), witnessVkey)).toBe(false);
    const cosigned = await fetch(`${county.url}/ledger/checkpoint/cosigned`);
    const text = await cosigned.text();
    expect(sizeOf(text)).toBe(7);
    expect(hasCosignature(text, witnessVkey)).toBe(true);
  });

  it("V4: a county that forks its history (same key and origin, other events) cannot get the fork cosigned — same size, grown, or rolled back — and the witness's state is unchanged", async () => {
    let county = await start(countyDir);
    await county.grow(3, 'base');
    await stop(county);
    // Two copies of the county as it is now: what a county could keep to show a second history.
    const forkDir = join(tmp.path, 'fork');
    const baseDir = join(tmp.path, 'base');
    copyCounty(countyDir, forkDir);
    copyCounty(countyDir, baseDir);

    county = await start(countyDir);
    await county.grow(2, 'main');
    expect((await witness(county)).status).toBe(0);
    const mainNote = await checkpointOf(county);
    expect(sizeOf(mainNote)).toBe(5);
    await stop(county);
    const state = readFileSync(stateFile(stateDir));

    const fork = await start(forkDir);
    await fork.grow(2, 'fork');
    const forkNote = await checkpointOf(fork);
    expect(sizeOf(forkNote)).toBe(5);
    expect(parseCheckpoint(forkNote).root).not.toBe(parseCheckpoint(mainNote).root);
    // The fork is signed with the county's own key: only the witness can tell.
    expect(openNote(forkNote, [parseVerifierKey(logVkey)]).signatures[0]!.verified).toBe(true);

    const same = await witness(fork);
    expect(same.status).toBe(1);
    expect(same.stdout).toContain('REFUSED (fork)');
    expect(same.stdout).toContain('same size 5');
    expect(same.stdout).toContain('日志分叉');
    expect(readFileSync(stateFile(stateDir))).toEqual(state);
    expect(hasCosignature(await checkpointOf(fork), witnessVkey)).toBe(false);
    expect((await fetch(`${fork.url}/ledger/checkpoint/cosigned`)).status).toBe(404);

    await fork.grow(3, 'fork-more');
    const grown = await witness(fork);
    expect(grown.status).toBe(1);
    expect(grown.stdout).toContain('REFUSED (inconsistent)');
    expect(grown.stdout).toMatch(/size 8 is not proved to extend size 5/);
    expect(readFileSync(stateFile(stateDir))).toEqual(state);
    expect(hasCosignature(await checkpointOf(fork), witnessVkey)).toBe(false);
    await stop(fork);

    // The county restored from its copy of size 3, older than what the witness cosigned.
    const rolledBack = await start(baseDir);
    const smaller = await witness(rolledBack);
    expect(sizeOf(await checkpointOf(rolledBack))).toBe(3);
    expect(smaller.status).toBe(1);
    expect(smaller.stdout).toContain('REFUSED (smaller)');
    expect(smaller.stdout).toContain('size 3, smaller than 5');
    expect(readFileSync(stateFile(stateDir))).toEqual(state);
    expect(hasCosignature(await checkpointOf(rolledBack), witnessVkey)).toBe(false);

    // The real county, grown on its own history, is cosigned again.
    county = await start(countyDir);
    await county.grow(1, 'main-more');
    const again = await witness(county);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/size 6 .*extends size 5/);
  });

  it('the state is written before the cosignature leaves: a county that refuses it (witness not configured) still finds the witness bound to that checkpoint', async () => {
    const county = await start(countyDir);
    await county.grow(2, 'a');
    const strangerKey = join(tmp.path, 'stranger.key');
    expect((await suiji(['witness', 'init', '--name', 'rogue.example/witness', '--key', strangerKey])).status).toBe(0);
    const r = await witness(county, [], strangerKey);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('REFUSED (not-accepted)');
    expect(r.stdout).toContain('HTTP 403');
    expect(JSON.parse(readFileSync(stateFile(stateDir), 'utf8'))).toMatchObject({ size: 2 });
    expect((await fetch(`${county.url}/ledger/checkpoint/cosigned`)).status).toBe(404);
  });

  it('a checkpoint not signed by the given log key is refused (exit 1): nothing cosigned, no state', async () => {
    const county = await start(countyDir);
    await county.grow(1, 'a');
    const impostor = formatVerifierKey(ORIGIN, ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
    const r = await suiji(['witness', '--log', county.url, '--log-key', impostor, '--key', keyFile, '--state', stateDir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('REFUSED (bad-log-signature)');
    expect(existsSync(stateFile(stateDir))).toBe(false);
    expect(hasCosignature(await checkpointOf(county), witnessVkey)).toBe(false);
  });

  it('usage: a key file others can read, an existing key file for init, or a missing --log is a coded error (exit 2) naming the option', async () => {
    const county = await start(countyDir);
    chmodSync(keyFile, 0o644);
    const loose = await witness(county);
    expect(loose.status).toBe(2);
    expect(loose.stderr).toContain('chmod 600');
    expect(loose.stderr).toContain('"field":"--key"');
    chmodSync(keyFile, 0o600);

    const again = await suiji(['witness', 'init', '--name', W, '--key', keyFile]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('ALREADY_EXISTS');

    const noLog = await suiji(['witness', '--log-key', logVkey, '--key', keyFile, '--state', stateDir]);
    expect(noLog.status).toBe(2);
    expect(noLog.stderr).toContain('"field":"--log"');
    expect(existsSync(stateFile(stateDir))).toBe(false);
  });
});
