/**
 * The province path end to end (issue 13): a register of BENCH_PROVINCE_TARGETS demo targets
 * (default 15,000,000; valid credit codes, the demo's distributions) appended through the
 * store's appendMulti, the projections caught up, a directional and a non-directional pool
 * query, a 1 % draw over the whole province committed through DrawService (pool read, PL5,
 * commitment, DrawCommitted append), completed with the drand quicknet round the draw tests use,
 * the record exported (replayed from the ledger) to a file and verified by the CLI's offline
 * verifier in its own process. Each step: wall time, load average, heap and RSS after it, the
 * process's RSS high-water mark, and for the verifier process its own peak RSS.
 * Baselines in the same run: a raw `SELECT uscc FROM reg_targets`, and node:crypto and @noble
 * SHA-256 over the pool's bytes (u32be length ‖ id).
 *
 *   BENCH_ONLY=province npm run bench               (or BENCH_SCALE=province with the others)
 *   BENCH_PROVINCE_TARGETS=1000000                  register size (default 15000000)
 *   BENCH_PROVINCE_STORES=sqlite,postgres           ledgers to run on (default sqlite)
 *   BENCH_PROVINCE_ITEM=general|key                 the drawn item's category (default general: PL5 counted)
 *   BENCH_PROVINCE_DIR=/path                        where data directories go (default the OS temp dir)
 *   BENCH_PROVINCE_SEED=ledger|rows                 ledger (default): every TargetRegistered through appendMulti and
 *                                                   the projections' catch-up; rows: the register rows are inserted
 *                                                   straight into reg_targets (the columns writeTarget writes, without
 *                                                   the name-search index) and the ledger holds only the item list,
 *                                                   department, task and draw — for sizes whose ledger seeding would not
 *                                                   fit the time (measured rates in docs/performance.md "Province path")
 *   BENCH_PROVINCE_KEY_SUFFIX=-again                appended to the results key (store-size-item-seed), so a rerun
 *                                                   keeps an earlier run's entry instead of replacing it
 *
 * Goal: commit (pool read included) <= 30 s, verify <= 15 s at 15,000,000 on the 2-core machine.
 * Results merge into bench/results/province.json keyed by store and size.
 */
import type { Database } from 'better-sqlite3';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DrawService } from '../src/app/draws/service.js';
import { TaskService } from '../src/app/tasks/index.js';
import { readJson } from '../src/cli/commands/draw-files.js';
import { demoTargets } from '../src/cli/demo/index.js';
import type { TargetRecord } from '../src/domain/registers/index.js';
import { isValidUscc } from '../src/domain/uscc.js';
import { EventCatalogue } from '../src/domain/catalogue.js';
import { drawEventDefinitions } from '../src/domain/draws/index.js';
import type { EventDefinition } from '../src/domain/event-definition.js';
import { allEventDefinitions } from '../src/domain/events.js';
import { allProjections } from '../src/projections/catalogue.js';
import { drawsProjection } from '../src/projections/draws/index.js';
import { poolOf, queryTargets, targetsProjection } from '../src/projections/registers/index.js';
import { ProjectionRunner, openProjectionDb } from '../src/projections/runner.js';
import { openStore } from '../src/store/index.js';
import type { EventStore, StreamWrite } from '../src/store/port.js';
import { QUICKNET_CHAIN_HASH, verifyDrawRecord } from '../src/verify/index.js';
import { startBenchPostgres, type BenchPg } from './pg-server.js';
import { envInt, resultsDir, writeResult } from './util.js';

const SEED = 20261202;
const BATCH = envInt('BENCH_PROVINCE_BATCH', 10_000);
const seeder = { userId: 'bench', role: 'system', department: 'system' } as const;
const op = { userId: 'op', role: 'operator', department: 'dept-a' } as const;
// drand quicknet round 1000 (tests/vectors/lottery/drand-quicknet.json), published 2023-08-23T15:59:24Z.
const ROUND = { round: 1000, signature: 'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39' };
const ROUND_AT = Date.UTC(2023, 7, 23, 15, 59, 24);
const iso = (ms: number): string => new Date(ms).toISOString();
const COMMIT_AT = iso(ROUND_AT - 600_000);
const REVEAL_AT = iso(ROUND_AT + 5_000);

const MiB = (b: number): number => Math.round(b / 2 ** 20);

interface StepFigure {
  ms: number;
  loadAverage1m: number;
  heapUsedMiB: number;
  rssMiB: number;
  /** The process's RSS high-water mark after the step (monotone: a step's own peak when it is higher than every earlier step's). */
  rssHighWaterMiB: number;
  /** Heap and RSS sampled every 50 ms while the step yields to the event loop (synchronous stretches are not sampled). */
  sampledPeakHeapMiB: number;
  sampledPeakRssMiB: number;
  [k: string]: unknown;
}

/** `extra` gets the step's result and wall time, so figures derived from them are on the printed line too. */
async function step<T>(figures: Record<string, StepFigure>, name: string, fn: () => Promise<T> | T, extra: (r: T, ms: number) => Record<string, unknown> = () => ({})): Promise<T> {
  let peakHeap = 0;
  let peakRss = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 50);
  const t0 = performance.now();
  let r: T;
  try {
    r = await fn();
  } finally {
    clearInterval(timer);
  }
  const ms = Math.round(performance.now() - t0);
  sample();
  const m = process.memoryUsage();
  figures[name] = {
    ms, loadAverage1m: +loadavg()[0]!.toFixed(2), heapUsedMiB: MiB(m.heapUsed), rssMiB: MiB(m.rss),
    rssHighWaterMiB: Math.round(process.resourceUsage().maxRSS / 1024), sampledPeakHeapMiB: MiB(peakHeap), sampledPeakRssMiB: MiB(peakRss), ...extra(r, ms),
  };
  process.stdout.write(`  ${name}: ${JSON.stringify(figures[name])}\n`);
  return r;
}

const ev = (type: string, payload: unknown) => ({ eventId: randomUUID(), type, actor: seeder, correlationId: 'bench-province', payload });

async function seedRegister(store: EventStore, n: number, category: 'general' | 'key', rows: Database | null): Promise<{ events: number }> {
  await store.append('itemList-dept-a', [ev('ItemListVersionPublished', {
    departmentId: 'dept-a', version: 1, reason: 'bench', changes: { added: ['ITEM-P1'], changed: [], removed: [] },
    items: [{ itemId: 'ITEM-P1', name: '省级统一抽查', targetType: '市场主体', category, method: ['onSite'], inspectingBody: 'dept-a', legalBasis: '《市场主体登记管理条例》', ...(category === 'general' && { maxRatioBp: 500 }) }],
  })], 'noStream');
  await store.append('department-dept-a', [ev('DepartmentRegistered', { departmentId: 'dept-a', name: '省局执法处', kind: 'office', parentDepartment: null, regionCode: '370000', neighbouringRegions: [] })], 'noStream');
  if (rows) return { events: 2 + insertRows(rows, n) };
  let writes: StreamWrite[] = [];
  let events = 2;
  for (const t of demoTargets(SEED, n)) {
    writes.push({ streamId: `target-${t.uscc}`, expected: 'noStream', events: [ev('TargetRegistered', { ...t, jurisdiction: 'dept-a' })] });
    if (writes.length === BATCH) {
      await store.appendMulti(writes);
      events += writes.length;
      writes = [];
    }
  }
  if (writes.length > 0) await store.appendMulti(writes);
  return { events: events + writes.length };
}

const W18 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const W9 = [3, 7, 9, 10, 5, 8, 4, 2];
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** The i-th of ascending valid credit codes "91370000" + 8-digit serial + GB 11714 check + GB 32100 check (as bench/lottery.ts). */
function sequentialCode(i: number): string {
  const serial = String(i).padStart(8, '0');
  let sum9 = 0;
  for (let k = 0; k < 8; k++) sum9 += (serial.charCodeAt(k) - 48) * W9[k]!;
  const oc = 11 - (sum9 % 11);
  const first17 = `91370000${serial}${oc === 10 ? 'X' : oc === 11 ? '0' : String(oc)}`;
  let t = 0;
  for (let k = 0; k < 17; k++) t += CHARSET.indexOf(first17[k]!) * W18[k]!;
  const c = 31 - (t % 31);
  return first17 + CHARSET[c === 31 ? 0 : c]!;
}

/**
 * The rows `writeTarget` (src/projections/registers/targets.ts) writes for TargetRegistered,
 * inserted in 100,000-row transactions, with ascending valid credit codes. Exemption facts cite position 1 (the department event):
 * what PL5 needs is a position the projection holds, and completion re-reads the same rows.
 */
function insertRows(db: Database, n: number): number {
  const insert = db.prepare(`INSERT INTO reg_targets (uscc, name, entity_type, scale, industry, region, jurisdiction, risk_level, credit_level,
    dishonest, abnormal_operation, key_industry, complaint_count, status, updated_at, key_industry_since, abnormal_operation_since, dishonest_since, complaint_since)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const at = '2026-01-05T01:00:00.000Z';
  const since = (on: boolean): number | null => (on ? 1 : null);
  // The demo's attributes with ascending codes: the rows go in in key order (random demo codes
  // made the B-tree inserts, not the generator, the cost of a 15,000,000-row seed).
  let next = 0;
  const b = (x: boolean): number => (x ? 1 : 0);
  const chunk = db.transaction((ts: TargetRecord[]) => {
    // The domain's own check (GB 32100 + GB 11714) on the first code of every chunk.
    if (!isValidUscc(sequentialCode(next))) throw new Error(`bench generated an invalid credit code: ${sequentialCode(next)}`);
    for (const t of ts) {
      insert.run(sequentialCode(next++), t.name, t.entityType, t.scale, t.industry, t.region, 'dept-a', t.riskLevel, t.creditLevel, b(t.flags.dishonest), b(t.flags.abnormalOperation),
        b(t.flags.keyIndustry), t.flags.complaintCount, t.status, at, since(t.flags.keyIndustry), since(t.flags.abnormalOperation), since(t.flags.dishonest), since(t.flags.complaintCount > 0));
    }
  });
  // Random credit codes land all over the B-tree: a cache that holds the table, and the secondary
  // indexes built once at the end (as a projection rebuild does, targets.ts beforeRebuild).
  db.pragma('cache_size = -4000000');
  db.exec('DROP INDEX IF EXISTS reg_targets_status; DROP INDEX IF EXISTS reg_targets_jurisdiction;');
  let ts: TargetRecord[] = [];
  for (const t of demoTargets(SEED, n)) {
    ts.push(t);
    if (ts.length === 100_000) {
      chunk(ts);
      ts = [];
    }
  }
  chunk(ts);
  targetsProjection.setup(db);
  return 0;
}

/** The pool's bytes as the lottery hashes them (u32be length ‖ UTF-8 per id): the SHA-256 baseline's input. */
function poolBytes(ids: readonly string[]): Buffer {
  const buf = Buffer.allocUnsafe(ids.reduce((s, id) => s + 4 + id.length, 0));
  let p = 0;
  for (const id of ids) {
    buf.writeUInt32BE(id.length, p);
    p += 4 + buf.write(id, p + 4, 'latin1');
  }
  return buf;
}

const cliMain = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

async function runProvince(n: number, storeKind: 'sqlite' | 'postgres', category: 'general' | 'key', seedMode: 'ledger' | 'rows', figures: Record<string, StepFigure>): Promise<object> {
  const base = process.env.BENCH_PROVINCE_DIR ?? tmpdir();
  const dir = mkdtempSync(join(base, 'suiji-bench-province-'));
  let server: BenchPg | undefined;
  const baselines: Record<string, unknown> = {};
  const seen = new Set<string>();
  const defs: EventDefinition[] = [...allEventDefinitions, ...drawEventDefinitions].filter((d) => !seen.has(d.type) && (seen.add(d.type), true));
  const catalogue = new EventCatalogue(defs);
  if (storeKind === 'postgres')
    // A larger WAL and buffers so a 15M-event seed is not checkpoint-bound.
    server = await startBenchPostgres({ parent: process.env.BENCH_PROVINCE_DIR, settings: '-c max_wal_size=8GB -c shared_buffers=512MB', database: 'suiji_province', schema: 'province' });
  const store = await openStore({ dataDir: dir, store: server?.url, validate: (e) => void catalogue.validate(e.type, e.payload) });
  const db = openProjectionDb(dir);
  const all = allProjections();
  const projections = new ProjectionRunner(store, db, all.some((p) => p.name === 'draws') ? all : [...all, drawsProjection]);
  const service = new DrawService({ store, projections });
  const tasks = new TaskService({ store, projections });
  process.stdout.write(`\nprovince ${storeKind} ${n} targets (${category} item, seed ${seedMode})\n`);
  try {
    if (seedMode === 'rows') await projections.catchUp(); // the tables exist before rows go in
    const perSecond = (events: number, ms: number): number => Math.round(events / (Math.max(1, ms) / 1000));
    const seeded = await step(figures, 'seedRegister', () => seedRegister(store, n, category, seedMode === 'rows' ? db : null), (r, ms) => ({ events: r.events, eventsPerSecond: perSecond(r.events, ms) }));
    await step(figures, 'projectionCatchUp', () => projections.catchUp(), (_, ms) => ({ eventsPerSecond: perSecond(seeded.events, ms) }));

    let rawRows = 0;
    await step(figures, 'baselineRawScan', () => (rawRows = (db.prepare('SELECT uscc FROM reg_targets').pluck().all() as string[]).length), () => ({ rows: rawRows }));
    baselines.rawScanMs = figures.baselineRawScan!.ms;
    const directional = { region: ['南麻街道', '历山街道'], industry: ['F52'] };
    await step(figures, 'poolQueryDirectional', () => poolOf(db, directional), (p) => ({ filter: directional, poolSize: p.length }));
    await step(figures, 'pageQueryDirectional', () => queryTargets(db, directional, { limit: 100 }), (p) => ({ total: p.total }));
    await step(figures, 'poolQueryWholeProvince', () => poolOf(db, {}).length, (size) => ({ filter: {}, poolSize: size }));
    await step(figures, 'pageQueryWholeProvince', () => queryTargets(db, {}, { limit: 100 }), (p) => ({ total: p.total }));
    {
      const bytes = poolBytes(poolOf(db, {}));
      const t0 = performance.now();
      createHash('sha256').update(bytes).digest();
      baselines.poolBytesMiB = MiB(bytes.length);
      baselines.rawSha256PoolMs = Math.round(performance.now() - t0);
      // The lottery verifier is @noble-only (it runs in browsers): its own raw hash rate is the fair baseline for verify.
      const t1 = performance.now();
      nobleSha256(bytes);
      baselines.rawNobleSha256PoolMs = Math.round(performance.now() - t1);
    }

    const classes = [{ name: 'province', filter: {}, quota: { ratio: { numerator: 1, denominator: 100 } } }];
    const { taskId } = await tasks.create({ actor: op, now: COMMIT_AT, commandId: randomUUID() }, {
      departmentId: 'dept-a', name: '省级统一抽查', items: ['ITEM-P1'], directional: false, classes, window: { from: '2023-01-01', to: '2023-12-31' },
      executingUnits: ['dept-a'], publishList: false, adHoc: true, adHocReason: 'bench: province path',
    });
    const meta = (now: string) => ({ actor: op, now, commandId: randomUUID() });
    const drawId = await step(figures, 'commitDraw', () => service.commitTargets(meta(COMMIT_AT), {
      task: taskId, item: 'ITEM-P1', classes, entropy: { drand: { chainHash: QUICKNET_CHAIN_HASH, round: ROUND.round } }, revealDeadline: iso(ROUND_AT + 600_000),
    }));
    // The drand-only draw is determined by its beacon: recording it completes the draw in the same append (issue 7 §1).
    await step(figures, 'completeWithBeacon', () => service.recordDrand(meta(REVEAL_AT), drawId, ROUND));
    const file = join(dir, 'record.json');
    await step(figures, 'exportRecord', async () => {
      const record = await service.exportRecord(drawId);
      writeFileSync(file, JSON.stringify(record));
      return record;
    }, (r) => ({ fileMiB: MiB(statSync(file).size), drawn: 'merged' in r.result ? r.result.merged.length : null }));

    // The CLI's offline verifier in its own process: its wall time and peak RSS (GNU time).
    const time = existsSync('/usr/bin/time');
    const cli = await step(figures, 'verifyCliProcess', () => spawnSync(time ? '/usr/bin/time' : process.execPath, [
      ...(time ? ['-f', '%M', process.execPath] : []), '--max-old-space-size=16384', cliMain, 'draw', 'verify', '--offline', file,
    ], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }));
    const peakKiB = time ? Number(cli.stderr.trim().split('\n').at(-1)) : NaN;
    Object.assign(figures.verifyCliProcess!, { exitCode: cli.status, stdout: cli.stdout.trim().slice(0, 200), processPeakRssMiB: Number.isFinite(peakKiB) ? Math.round(peakKiB / 1024) : null });
    if (cli.status !== 0) throw new Error(`verifier refused the record: ${cli.stdout}\n${cli.stderr}`);
    // The same in this process, split: strict JSON parse of the file, then the lottery verification.
    const parsed = await step(figures, 'verifyParseFile', () => readJson(file));
    await step(figures, 'verifyRecordInProcess', () => verifyDrawRecord(parsed), (v) => ({ ok: v.ok }));

    const goal = { commitMs: 30_000, verifyMs: 15_000 };
    return {
      store: storeKind, targets: n, item: category, seed: seedMode, events: seeded.events, baselines,
      goal: 'commit of the whole-province draw (pool read included) <= 30 s, verify <= 15 s',
      met: { commit: figures.commitDraw!.ms <= goal.commitMs, verify: figures.verifyCliProcess!.ms <= goal.verifyMs },
      ratios: {
        poolQueryWholeVsRawScan: +(figures.poolQueryWholeProvince!.ms / Math.max(1, figures.baselineRawScan!.ms)).toFixed(2),
        commitVsRawSha256: +(figures.commitDraw!.ms / Math.max(1, baselines.rawSha256PoolMs as number)).toFixed(2),
        verifyInProcessVsRawSha256: +(figures.verifyRecordInProcess!.ms / Math.max(1, baselines.rawSha256PoolMs as number)).toFixed(2),
        verifyInProcessVsRawNobleSha256: +(figures.verifyRecordInProcess!.ms / Math.max(1, baselines.rawNobleSha256PoolMs as number)).toFixed(2),
      },
      steps: figures,
    };
  } finally {
    await projections.stop();
    db.close();
    await store.close();
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchProvince(): Promise<object> {
  const n = envInt('BENCH_PROVINCE_TARGETS', 15_000_000);
  const stores = (process.env.BENCH_PROVINCE_STORES ?? 'sqlite').split(',').map((s) => s.trim()).filter((s): s is 'sqlite' | 'postgres' => s === 'sqlite' || s === 'postgres');
  const category = process.env.BENCH_PROVINCE_ITEM === 'key' ? 'key' : 'general';
  const seedMode = process.env.BENCH_PROVINCE_SEED === 'rows' ? 'rows' : 'ledger';
  const runs: Record<string, object> = {};
  for (const s of stores) {
    const key = `${s}-${n}-${category}-${seedMode}${process.env.BENCH_PROVINCE_KEY_SUFFIX ?? ''}`;
    const figures: Record<string, StepFigure> = {};
    try {
      runs[key] = { at: new Date().toISOString(), ...(await runProvince(n, s, category, seedMode, figures)) };
    } catch (e) {
      // A failed run is a figure too (e.g. a limit hit at 15M): recorded, not hidden.
      runs[key] = { at: new Date().toISOString(), store: s, targets: n, item: category, seed: seedMode, failed: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 2000) : String(e), stepsBeforeTheFailure: figures };
      process.stdout.write(`  FAILED: ${JSON.stringify(runs[key])}\n`);
    }
  }
  // Earlier runs (other sizes, the other store) stay in the file, read just before writing (runs of
  // several sizes may overlap in time): a 15M run is done once.
  const path = join(resultsDir, 'province.json');
  const previous = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { runs?: Record<string, object> }).runs ?? {} : {};
  const result = { note: 'one run per store and size (15M runs are done once); loadAverage1m beside each step shows the contention of the shared 2-core machine', runs: { ...previous, ...runs } };
  writeResult('province', result);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchProvince();
}
