/**
 * Issue 12, crash: a mixed register write load over HTTP against a real `suiji serve` process,
 * kill -9 of the server at seeded random moments, and after each restart: every acknowledged
 * write is present and whole, nothing unacknowledged is half-present, `ledger verify` passes,
 * and read models rebuilt from the ledger equal the live ones. On PostgreSQL the database server
 * itself is also killed (`pg_ctl stop -m immediate`) and restarted.
 *
 * Short form (in `npm test`): 3 kills per store. RELIABILITY=full: 20 kills per store, figures
 * into bench/results/reliability.json. The seed is printed; RELIABILITY_SEED repeats a run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { PG_BIN, freshSchema, postgresMissing, startPostgres, type PgServer } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';
import { FULL, adminToken, bureau, freshUscc, healthy, loadAverage, officeBody, recordResult, seed, seededRng, serve, targetBody, type Served } from './support.js';

const KILLS = FULL ? 20 : 3;
const PG_SERVE_RUNS = process.env.RELIABILITY_PG_SERVE === '1';
const WRITERS = 4;
console.log(`reliability crash: seed ${seed} (repeat with RELIABILITY_SEED=${seed}), ${KILLS} kills per store`);

interface Write {
  readonly url: string;
  readonly readUrl: string;
  readonly body: Record<string, unknown>;
  /** What the read must show for the write to count as whole. */
  readonly key: string;
}

interface Tally {
  acknowledged: Write[];
  /** Sent but the answer never came (the kill cut it): either wholly there or wholly absent. */
  unknown: Write[];
  refused: number;
}

let lane = 0;
function nextWrite(rng: () => number): Write {
  if (rng() < 0.5) {
    const id = `d-${seed % 1000}-${++lane}`;
    return { url: '/departments', readUrl: `/departments/${id}`, body: officeBody(id), key: `科室 ${id}` };
  }
  const uscc = freshUscc(seed);
  const body = targetBody(uscc);
  return { url: '/targets', readUrl: `/targets/${uscc}`, body, key: body.name as string };
}

/** Writers run until the server dies; each write is acknowledged (2xx), refused (4xx/5xx) or cut. */
async function writeUntilKilled(s: Served, token: string, rng: () => number, tally: Tally, killAfterMs: number): Promise<void> {
  let dead = false;
  const writer = async (): Promise<void> => {
    while (!dead) {
      const w = nextWrite(rng);
      const res = await fetch(`${s.base}${w.url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(w.body),
      }).catch(() => undefined);
      if (!res) {
        tally.unknown.push(w);
        return;
      }
      await res.arrayBuffer();
      if (res.status >= 200 && res.status < 300) tally.acknowledged.push(w);
      else tally.refused++;
    }
  };
  const writers = Array.from({ length: WRITERS }, writer);
  await new Promise((r) => setTimeout(r, killAfterMs));
  await s.kill9();
  dead = true;
  await Promise.all(writers);
}

async function getJson(base: string, token: string, url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

/** Every acknowledged write reads back whole; every cut one is whole or absent — never anything else. */
async function checkWrites(base: string, token: string, tally: Tally): Promise<{ lost: number; cutPresent: number }> {
  let lost = 0;
  for (const w of tally.acknowledged) {
    const r = await getJson(base, token, w.readUrl);
    if (r.status !== 200 || !r.text.includes(w.key)) lost++;
  }
  let cutPresent = 0;
  for (const w of tally.unknown) {
    const r = await getJson(base, token, w.readUrl);
    expect([200, 404], `${w.readUrl} after a cut write`).toContain(r.status);
    if (r.status === 200) {
      expect(r.text).toContain(w.key);
      cutPresent++;
    }
  }
  return { lost, cutPresent };
}

/** The read models a fresh rebuild produces (read-model files moved away) equal the live ones. */
async function rebuiltEqualsLive(data: string, env: Record<string, string>, token: string): Promise<void> {
  const live = await serve(data, env);
  expect(await healthy(live.base)).toBe(true);
  const lists = ['/departments', '/targets?limit=1000'];
  const before = await Promise.all(lists.map((u) => getJson(live.base, token, u)));
  await live.kill9();
  for (const f of readdirSync(data).filter((f) => f.startsWith('projections.db'))) renameSync(join(data, f), join(data, `moved-${f}`));
  const rebuilt = await serve(data, env);
  try {
    expect(await healthy(rebuilt.base)).toBe(true);
    const after = await Promise.all(lists.map((u) => getJson(rebuilt.base, token, u)));
    expect(after.map((a) => a.status)).toEqual([200, 200]);
    expect(after.map((a) => a.text)).toEqual(before.map((b) => b.text));
  } finally {
    await rebuilt.kill9();
  }
}

const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('crash', { seed, killsPerStore: KILLS, writers: WRITERS, loadAverage: await loadAverage(), stores: figures });
});

async function crashRun(storeName: string, data: string, env: Record<string, string>, pgServer?: PgServer): Promise<void> {
  const rng = seededRng(seed ^ (storeName === 'sqlite' ? 0x51 : 0x9a));
  const token = adminToken(data, env, 'reliability-admin');
  const tally: Tally = { acknowledged: [], unknown: [], refused: 0 };
  let survived = 0;
  let dbKills = 0;
  {
    const s = await serve(data, env);
    expect(await healthy(s.base), s.stderr()).toBe(true);
    const r = await fetch(`${s.base}/departments`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(bureau) });
    expect(r.status).toBe(201);
    await s.kill9();
  }
  for (let k = 0; k < KILLS; k++) {
    const s = await serve(data, env);
    expect(await healthy(s.base), `restart ${k}: ${s.stderr()}`).toBe(true);
    const before = { ...tally, acknowledged: [...tally.acknowledged], unknown: [...tally.unknown] };
    const { lost } = await checkWrites(s.base, token, before);
    expect(lost, `restart ${k}: acknowledged writes lost`).toBe(0);
    survived++;
    // On PostgreSQL every other round kills the database server instead of (then as well as) suiji.
    if (pgServer && k % 2 === 1) {
      const killAt = 100 + Math.floor(rng() * 1200);
      const writers = writeUntilKilled(s, token, rng, tally, killAt + 400);
      await new Promise((r) => setTimeout(r, killAt));
      pgCtl(pgServer, ['stop', '-m', 'immediate', '-w']);
      dbKills++;
      await writers;
      pgCtl(pgServer, ['start', '-w', '-t', '60', '-o', `-p ${pgServer.port} -k ${pgServer.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`, '-l', join(pgServer.dir, 'log')]);
    } else {
      await writeUntilKilled(s, token, rng, tally, 100 + Math.floor(rng() * 1500));
    }
  }
  const last = await serve(data, env);
  expect(await healthy(last.base), last.stderr()).toBe(true);
  const { lost, cutPresent } = await checkWrites(last.base, token, tally);
  await last.kill9();
  expect(lost, 'acknowledged writes lost').toBe(0);

  const verify = runCli(['ledger', 'verify', '--data', data], env);
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toContain('ledger intact');

  await rebuiltEqualsLive(data, env, token);
  figures[storeName] = {
    serverKills: KILLS,
    databaseKills: dbKills,
    restartsSurvived: survived,
    writesAcknowledged: tally.acknowledged.length,
    writesAcknowledgedLost: lost,
    writesCutByKill: tally.unknown.length,
    cutWritesPresentWhole: cutPresent,
    cutWritesAbsent: tally.unknown.length - cutPresent,
    refused: tally.refused,
    ledgerVerify: 'intact',
    rebuiltReadModelsEqualLive: true,
  };
  console.log(`reliability crash ${storeName}:`, JSON.stringify(figures[storeName]));
  expect(tally.acknowledged.length).toBeGreaterThan(0);
}

function pgCtl(s: PgServer, args: string[]): void {
  const data = join(s.dir, 'data');
  const bin = join(PG_BIN, 'pg_ctl');
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', bin, '-D', data, ...args], { stdio: 'ignore' });
  else execFileSync(bin, ['-D', data, ...args], { stdio: 'ignore' });
}

describe('issue 12 crash: kill -9 under a mixed write load', () => {
  it(`P1 SQLite: ${KILLS} kill -9 of serve; no acknowledged write lost, cut writes whole or absent, ledger verify intact, rebuilt read models equal live`, async () => {
    const d = tempDir('suiji-rel-');
    try {
      await crashRun('sqlite', d.path, {});
    } finally {
      d.remove();
    }
  }, 600_000);

  // Not runnable on this branch (int1): `suiji serve`/`token create` with SUIJI_STORE=postgres://
  // stop in openLedgerPublic, whose SqliteLedgerTree (issue 11 signed checkpoints and proofs)
  // reads the events from <data>/suiji.db ("no such table: ledger_head"). Flip PG_SERVE_RUNS once
  // the public ledger has a PostgreSQL tree; the test below is complete and ran up to that point.
  it.skipIf(!PG_SERVE_RUNS || postgresMissing() !== null)(`P1 PostgreSQL: ${KILLS} kills (serve, and the postmaster every other round); same checks`, async () => {
    const pgServer = await startPostgres('suiji_rel');
    const d = tempDir('suiji-rel-pg-');
    try {
      await crashRun('postgres', d.path, { SUIJI_STORE: pgServer.url(freshSchema('rel')) }, pgServer);
    } finally {
      d.remove();
      pgServer.stop();
    }
  }, 900_000);
});
