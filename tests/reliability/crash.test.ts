/**
 * Issue 12, crash: a mixed write load (register writes, 3-row CSV imports and draw chains — task, commit, two
 * witness reveals, lock; see draw-load.ts) over HTTP against a real `suiji serve` process,
 * kill -9 of the server at seeded random moments, and after each restart: every acknowledged
 * write is present and whole, nothing unacknowledged is half-present, a cut import is completed by its re-import, `ledger verify` passes,
 * and read models rebuilt from the ledger equal the live ones. Every acknowledged draw step is there, a cut
 * draw is open and completable or whole (never half), and PL5 and one-open-draw-per-slot hold in the
 * ledger's events after all the kills. On PostgreSQL the database server
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
import { TARGET_COLUMNS } from '../../src/app/registers-io/index.js';
import { checkDraws, drawDepartment, drawItemId, newDrawTally, runChain, seedDrawWorld, type Chain, type DrawTally } from './draw-load.js';
import { countedTarget, drawFactsOf, ledgerEvents } from './draw-world.js';
import { FULL, adminToken, bureau, freshUscc, healthy, loadAverage, officeBody, recordResult, seed, seededRng, serve, targetBody, type Served } from './support.js';

const KILLS = FULL ? 20 : 3;
const PG_MISSING = postgresMissing();
if (PG_MISSING !== null) console.log(`reliability crash: PostgreSQL case skipped — ${PG_MISSING}`);
const WRITERS = 4;
console.log(`reliability crash: seed ${seed} (repeat with RELIABILITY_SEED=${seed}), ${KILLS} kills per store`);

interface Write {
  readonly url: string;
  readonly readUrl: string;
  readonly body: Record<string, unknown> | string;
  /** What the read must show for the write to count as whole. */
  readonly key: string;
  /** An import (POST /imports, one command per row): every row's read and key. */
  readonly rows?: readonly { readonly readUrl: string; readonly key: string }[];
  readonly contentType?: string;
}

interface Tally {
  acknowledged: Write[];
  /** Sent but the answer never came (the kill cut it): either wholly there or wholly absent. */
  unknown: Write[];
  /** Writes cut by a kill, in all (completed imports leave `unknown`). */
  cut: number;
  refused: number;
  importsAcknowledged: number;
  /** Imports answered 200 but with rows refused by a store fault (the database killed mid-import). */
  importsPartial: number;
  importsCompleted: number;
  /** Draw chains (task, commit, two reveals, lock): see draw-load.ts. */
  draws: DrawTally;
}

let lane = 0;
const IMPORT_ROWS = 3;
const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
/** A small targets CSV (L6 columns, jurisdiction bureau) of fresh USCCs: one import, several commands. */
function importWrite(): Write {
  const rows = Array.from({ length: IMPORT_ROWS }, () => {
    const uscc = freshUscc(seed);
    const name = `沂源县导入加油站 ${uscc.slice(-6)}`;
    return { uscc, name, cells: [uscc, name, '企业', '小型', 'F5265', '南麻街道', 'bureau', 'B', 'A', '否', '否', '是', '0', '存续'] };
  });
  const body = [Object.values(TARGET_COLUMNS), ...rows.map((r) => r.cells)].map((r) => r.map(csvCell).join(',')).join('\r\n');
  return {
    url: '/imports?kind=targets&fileName=reliability.csv',
    readUrl: `/targets/${rows[0]!.uscc}`,
    key: rows[0]!.name,
    body,
    contentType: 'text/csv; charset=utf-8',
    rows: rows.map((r) => ({ readUrl: `/targets/${r.uscc}`, key: r.name })),
  };
}

let chains = 0;
/** A write, or a draw chain of the writer's own department (12 %). */
function nextWrite(rng: () => number, writer: number, storeName: string): Write | Chain {
  const pick = rng();
  if (pick < 0.15) return importWrite();
  if (pick < 0.27) return { id: `chain-${storeName}-${seed}-${++chains}`, department: drawDepartment(writer), item: drawItemId(writer), acked: 0 };
  if (pick < 0.6) {
    const id = `d-${seed % 1000}-${++lane}`;
    return { url: '/departments', readUrl: `/departments/${id}`, body: officeBody(id), key: `科室 ${id}` };
  }
  const uscc = freshUscc(seed);
  // Three in four new targets join the draw region, PL5-counted: the draw pools grow while PL5 caps their first members.
  const body = rng() < 0.75 ? countedTarget(uscc) : targetBody(uscc);
  return { url: '/targets', readUrl: `/targets/${uscc}`, body, key: body.name as string };
}

/** Writers run until the server dies; each write is acknowledged (2xx), refused (4xx/5xx) or cut. */
async function writeUntilKilled(s: Served, token: string, rng: () => number, tally: Tally, killAfterMs: number, storeName: string): Promise<void> {
  let dead = false;
  const writer = async (_: unknown, index: number): Promise<void> => {
    while (!dead) {
      const w = nextWrite(rng, index, storeName);
      if ('department' in w) {
        tally.draws.chains.push(w);
        // A cut chain is counted in the draw figures (tally.draws), not among the cut register writes.
        if ((await runChain(s.base, token, w, tally.draws, 0, () => !dead)) === 'cut') return;
        continue;
      }
      const res = await fetch(`${s.base}${w.url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': w.contentType ?? 'application/json' },
        body: typeof w.body === 'string' ? w.body : JSON.stringify(w.body),
      }).catch(() => undefined);
      if (!res) {
        tally.unknown.push(w);
        tally.cut++;
        return;
      }
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) {
        if (w.rows) {
          // An import is acknowledged only for what its report says it wrote; rows a store fault
          // refused are left to the re-import, like a cut one.
          const report = JSON.parse(text) as { created: number; rejected: number };
          if (report.created === w.rows.length && report.rejected === 0) {
            tally.acknowledged.push(w);
            tally.importsAcknowledged++;
          } else {
            tally.unknown.push(w);
            tally.importsPartial++;
          }
        } else tally.acknowledged.push(w);
      } else tally.refused++;
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

const readsOf = (w: Write): readonly { readonly readUrl: string; readonly key: string }[] => w.rows ?? [{ readUrl: w.readUrl, key: w.key }];

/**
 * Every acknowledged write reads back whole (an acknowledged import: every row); every cut one is
 * whole or absent — never anything else. A cut import is one command per row, so some rows may be
 * there and some not; re-sending the same file must then complete it (imports are idempotent).
 */
async function checkWrites(base: string, token: string, tally: Tally): Promise<{ lost: number; cutPresent: number }> {
  let lost = 0;
  for (const w of tally.acknowledged) {
    for (const r0 of readsOf(w)) {
      const r = await getJson(base, token, r0.readUrl);
      if (r.status !== 200 || !r.text.includes(r0.key)) lost++;
    }
  }
  let cutPresent = 0;
  for (const w of tally.unknown) {
    let present = 0;
    for (const r0 of readsOf(w)) {
      const r = await getJson(base, token, r0.readUrl);
      expect([200, 404], `${r0.readUrl} after a cut write`).toContain(r.status);
      if (r.status === 200) {
        expect(r.text).toContain(r0.key);
        present++;
      }
    }
    if (present > 0) cutPresent++;
    if (w.rows && present < w.rows.length) {
      const again = await fetch(`${base}${w.url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': w.contentType! }, body: w.body as string });
      const report = (await again.json()) as { created?: number; unchanged?: number; rejected?: number };
      expect(again.status, 're-import of a cut import').toBe(200);
      expect(report).toMatchObject({ created: w.rows.length - present, unchanged: present, rejected: 0 });
      for (const r0 of w.rows) expect((await getJson(base, token, r0.readUrl)).status, `${r0.readUrl} after re-import`).toBe(200);
      tally.importsCompleted++;
      // Now wholly there: later checks treat it as acknowledged.
      tally.acknowledged.push(w);
    }
  }
  tally.unknown = tally.unknown.filter((w) => !(w.rows && tally.acknowledged.includes(w)));
  return { lost, cutPresent };
}

/** The read models a fresh rebuild produces (read-model files moved away) equal the live ones. */
async function rebuiltEqualsLive(data: string, env: Record<string, string>, token: string): Promise<void> {
  const live = await serve(data, env);
  expect(await healthy(live.base)).toBe(true);
  const lists = ['/departments', '/targets?limit=1000', '/draws?limit=1000'];
  const before = await Promise.all(lists.map((u) => getJson(live.base, token, u)));
  await live.kill9();
  for (const f of readdirSync(data).filter((f) => f.startsWith('projections.db'))) renameSync(join(data, f), join(data, `moved-${f}`));
  const rebuilt = await serve(data, env);
  try {
    expect(await healthy(rebuilt.base)).toBe(true);
    const after = await Promise.all(lists.map((u) => getJson(rebuilt.base, token, u)));
    expect(after.map((a) => a.status)).toEqual([200, 200, 200]);
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
  const tally: Tally = { acknowledged: [], unknown: [], cut: 0, refused: 0, importsAcknowledged: 0, importsPartial: 0, importsCompleted: 0, draws: newDrawTally() };
  let survived = 0;
  let dbKills = 0;
  let previousLog = '';
  {
    const s = await serve(data, env);
    expect(await healthy(s.base), s.stderr()).toBe(true);
    const r = await fetch(`${s.base}/departments`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(bureau) });
    expect(r.status).toBe(201);
    // Eight PL5-counted targets to start the draw region with: the first locks take them to the cap.
    await seedDrawWorld(s.base, token, WRITERS, Array.from({ length: 8 }, () => freshUscc(seed)));
    await s.kill9();
  }
  for (let k = 0; k < KILLS; k++) {
    const s = await serve(data, env);
    expect(await healthy(s.base), `restart ${k}: ${s.stderr()}`).toBe(true);
    try {
      const { lost } = await checkWrites(s.base, token, tally);
      expect(lost, `restart ${k}: acknowledged writes lost`).toBe(0);
      await checkDraws(s.base, token, tally.draws);
    } catch (e) {
      // The server's own log says what it saw (a rebuild, a store fault); and no server is left running.
      console.log(`restart ${k}: server log (tail):\n${s.stderr().slice(-8000)}\nprevious server's log (tail):\n${previousLog.slice(-8000)}`);
      await s.kill9();
      throw e;
    }
    survived++;
    // On PostgreSQL every other round kills the database server instead of (then as well as) suiji.
    if (pgServer && k % 2 === 1) {
      const killAt = 100 + Math.floor(rng() * 1200);
      const writers = writeUntilKilled(s, token, rng, tally, killAt + 400, storeName);
      await new Promise((r) => setTimeout(r, killAt));
      pgCtl(pgServer, ['stop', '-m', 'immediate', '-w']);
      dbKills++;
      await writers;
      pgCtl(pgServer, ['start', '-w', '-t', '60', '-o', `-p ${pgServer.port} -k ${pgServer.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`, '-l', join(pgServer.dir, 'log')]);
    } else {
      await writeUntilKilled(s, token, rng, tally, 100 + Math.floor(rng() * 1500), storeName);
    }
    previousLog = s.stderr();
  }
  const last = await serve(data, env);
  expect(await healthy(last.base), last.stderr()).toBe(true);
  const { lost, cutPresent } = await checkWrites(last.base, token, tally);
  await checkDraws(last.base, token, tally.draws);
  await last.kill9();
  expect(lost, 'acknowledged writes lost').toBe(0);

  // PL5 and one open draw per slot, from the ledger's events after all the kills; every chain ended in exactly one completed draw.
  const facts = drawFactsOf(await ledgerEvents(data, env.SUIJI_STORE));
  expect(facts.violations).toEqual([]);
  const drawn = tally.draws.chains.filter((c) => !c.refused);
  expect(facts.completed, 'one completion per draw chain').toBe(drawn.length);
  expect(facts.committed, 'no draw left open, none committed twice').toBe(drawn.length);
  expect(facts.locks).toBe(drawn.length);

  const verify = runCli(['ledger', 'verify', '--data', data], env);
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toContain('ledger intact');

  await rebuiltEqualsLive(data, env, token);
  figures[storeName] = {
    serverKills: KILLS,
    databaseKills: dbKills,
    restartsSurvived: survived,
    writesAcknowledged: tally.acknowledged.length,
    // Register writes and imports plus the acknowledged requests of draw chains.
    writesInclDrawStepsAcknowledged: tally.acknowledged.length + tally.draws.stepsAcknowledged,
    writesAcknowledgedLost: lost,
    writesCutByKill: tally.cut,
    importsAcknowledged: tally.importsAcknowledged,
    importsPartialByStoreFault: tally.importsPartial,
    importsCutOrPartialCompletedByReimport: tally.importsCompleted,
    cutWritesPresentWhole: cutPresent,
    cutWritesAbsentOrReimported: tally.cut - cutPresent,
    refused: tally.refused,
    draws: {
      chains: tally.draws.chains.length,
      completedAndLocked: drawn.length,
      drawStepsAcknowledged: tally.draws.stepsAcknowledged,
      // checkDraws failed the run on any acknowledged draw step missing, so reaching here means none was.
      drawStepsAcknowledgedLost: 0,
      chainsCutOrUnknownThenCompleted: tally.draws.completedAfterCut,
      chainsStoppedBetweenStepsThenResumed: tally.draws.resumedAfterStop,
      cutStepFoundPresent: tally.draws.cutStepPresent,
      halfPresent: 0,
      commitsRefused: tally.draws.refusedCommits,
      cutCommitsRefusedOnResend: tally.draws.refusedOnResend,
      serverErrorsOnDrawSteps: tally.draws.serverErrors,
      ledger: { ...facts, violations: facts.violations.length },
    },
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
  it(`P1/V3/PL5 SQLite: ${KILLS} kill -9 of serve under register writes, imports and draws; no acknowledged write or draw step lost, cut writes whole or absent, cut imports completed by re-import, cut draws open and completable (never half), PL5 and one open draw per slot hold in the ledger, ledger verify intact, rebuilt read models equal live`, async () => {
    const d = tempDir('suiji-rel-');
    try {
      await crashRun('sqlite', d.path, {});
    } finally {
      d.remove();
    }
  }, 600_000);

  // Runs by default; skipped (with the reason printed above) only when the PostgreSQL 15 binaries are missing.
  it.skipIf(PG_MISSING !== null)(`P1/V3/PL5 PostgreSQL: ${KILLS} kills (serve, and the postmaster every other round) under the same load with draws; same checks`, async () => {
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
