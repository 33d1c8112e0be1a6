/**
 * Full ledger verification (verifyLedger: read, rehash every envelope, rebuild the root, check
 * every checkpoint) versus the floor: raw SHA-256 (noble) of the same canonical leaf bytes.
 *
 *   BENCH_VERIFY_EVENTS (default 1000000)  ledger size, built with 1000-event appends
 *   BENCH_VERIFY_STORE=postgres            (opt-in) the same on PostgreSQL 15: a server started for
 *                                          the run (tests/helpers/postgres.ts), stopped at the end;
 *                                          BENCH_VERIFY_PG_EVENTS (default 200000) events
 */
import { hash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalBytes } from '../src/verify/jcs.js';
import pg from 'pg';
import { openPostgresStore, openSqliteStore, parsePostgresUrl, verifyLedger, type SqliteEventStore } from '../src/store/index.js';
import { startBenchPostgres } from './pg-server.js';
import type { NewEvent, RecordedEvent } from '../src/store/port.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench-user', role: 'inspector', department: 'dept-bench' } as const;
const BATCH = 1000;

const makeBatch = (from: number): NewEvent[] =>
  Array.from({ length: BATCH }, (_, k) => ({
    eventId: randomUUID(),
    type: 'InspectionResultEntered',
    actor,
    correlationId: `corr-${from + k}`,
    payload: { taskId: `task-${Math.floor((from + k) / 50)}`, uscc: `91350100M0001${String((from + k) % 100000).padStart(5, '0')}`, result: 'no-problem', notes: '现场检查未发现问题' },
  }));

const leafInput = (e: RecordedEvent): Uint8Array => {
  const { hash: _hash, ...envelope } = e;
  const body = canonicalBytes(envelope);
  const input = new Uint8Array(body.length + 1);
  input.set(body, 1); // 0x00 prefix (RFC 6962 §2.1)
  return input;
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Seconds of raw SHA-256 over every leaf input (0x00 ‖ canonical bytes), read and encoded untimed. */
async function rawHashMs(store: Pick<SqliteEventStore, 'readAll'>, total: number, hash: (input: Uint8Array) => unknown): Promise<number> {
  let ms = 0;
  for (let from = 0; from < total; from += 2000) {
    const inputs = (await store.readAll({ from, limit: 2000 })).map(leafInput);
    const h0 = performance.now();
    for (const input of inputs) hash(input);
    ms += performance.now() - h0;
  }
  return ms;
}

/**
 * Milliseconds of a raw SELECT of every stored row (better-sqlite3 raw arrays, same pages), nothing
 * decoded: the read floor. Verification must read every row, so its physical limit is this plus
 * the hashing (issue 13: the node:crypto ratio alone leaves the read out).
 */
function rawSelectMs(dir: string, total: number): number {
  const db = new Database(join(dir, 'suiji.db'), { readonly: true });
  try {
    const page = db.prepare('SELECT * FROM events WHERE position >= ? ORDER BY position LIMIT ?').raw();
    const t0 = performance.now();
    let n = 0;
    for (let from = 0; from < total; from += 2000) n += (page.all(from, 2000) as unknown[]).length;
    if (n !== total) throw new Error(`raw select read ${n} rows, not ${total}`);
    return performance.now() - t0;
  } finally {
    db.close();
  }
}

/**
 *   BENCH_VERIFY_REPEAT (default 3)   verify runs; medians are reported
 *   BENCH_VERIFY_KEEP_DIR=/path       keep the ledger; if it already holds `total` events, reuse it
 */
export async function benchLedgerVerify(options: { write?: boolean } = {}): Promise<object> {
  const total = envInt('BENCH_VERIFY_EVENTS', 1_000_000);
  const repeat = Math.max(1, envInt('BENCH_VERIFY_REPEAT', 3));
  const keep = process.env.BENCH_VERIFY_KEEP_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'suiji-bench-verify-'));
  const store = openSqliteStore({ dataDir: dir });
  try {
    const existing = (await store.head()).size;
    if (existing > 0 && existing !== total) throw new Error(`${dir} holds ${existing} events, not ${total}`);
    const b0 = performance.now();
    if (existing === 0) for (let i = 0; i < total; i += BATCH) await store.append(`task-${(i / BATCH) % 500}`, makeBatch(i), 'any');
    const buildMs = performance.now() - b0;

    const runs: {
      verifyLedgerEventsPerSecond: number; rawSha256NobleEventsPerSecond: number; rawSha256NodeCryptoEventsPerSecond: number; rawSelectEventsPerSecond: number;
      ratio: number; ratioToNodeCrypto: number; ratioToSelectThenNodeCrypto: number; loadAverage1m: number;
    }[] = [];
    let checkpoints = 0;
    for (let r = 0; r < repeat; r++) {
      const v0 = performance.now();
      const verdict = await verifyLedger(store, { pageSize: 2000 });
      const verifyMs = performance.now() - v0;
      if (!verdict.ok) throw new Error(`verification failed: ${JSON.stringify(verdict)}`);
      checkpoints = verdict.checkpoints;
      // Same canonical bytes, hashed alone: only the hashing is timed.
      const nobleMs = await rawHashMs(store, total, (input) => sha256(input));
      const nodeMs = await rawHashMs(store, total, (input) => hash('sha256', input, 'buffer'));
      const selectMs = rawSelectMs(dir, total);
      const verifyRate = rate(total, verifyMs);
      const run = {
        verifyLedgerEventsPerSecond: verifyRate,
        rawSha256NobleEventsPerSecond: rate(total, nobleMs),
        rawSha256NodeCryptoEventsPerSecond: rate(total, nodeMs),
        ratio: +(verifyRate / rate(total, nobleMs)).toFixed(3),
        ratioToNodeCrypto: +(verifyRate / rate(total, nodeMs)).toFixed(3),
        rawSelectEventsPerSecond: rate(total, selectMs),
        // Floor with the read: a raw SELECT of the rows, then SHA-256 of the leaf bytes.
        ratioToSelectThenNodeCrypto: +((selectMs + nodeMs) / verifyMs).toFixed(3),
        loadAverage1m: +loadavg()[0]!.toFixed(2),
      };
      runs.push(run);
      console.log(JSON.stringify(run));
    }
    const result = {
      events: total,
      buildEventsPerSec: existing === 0 ? rate(total, buildMs) : null,
      repeat,
      verifyLedgerEventsPerSec: median(runs.map((x) => x.verifyLedgerEventsPerSecond)),
      rawSha256EventsPerSec: median(runs.map((x) => x.rawSha256NobleEventsPerSecond)),
      rawSha256NodeCryptoEventsPerSec: median(runs.map((x) => x.rawSha256NodeCryptoEventsPerSecond)),
      ratio: median(runs.map((x) => x.ratio)),
      ratioToNodeCrypto: median(runs.map((x) => x.ratioToNodeCrypto)),
      rawSelectEventsPerSec: median(runs.map((x) => x.rawSelectEventsPerSecond)),
      ratioToSelectThenNodeCrypto: median(runs.map((x) => x.ratioToSelectThenNodeCrypto)),
      loadAverage1m: median(runs.map((x) => x.loadAverage1m)),
      verifySeconds: +(total / median(runs.map((x) => x.verifyLedgerEventsPerSecond))).toFixed(1),
      checkpoints,
      runs,
      note: 'medians; ratio = verifyLedger vs raw SHA-256 (noble, the browser verifier) over the same leaf bytes; ratioToNodeCrypto vs node:crypto SHA-256 over the same bytes (the store verifies with node:crypto); ratioToSelectThenNodeCrypto vs a raw SELECT of the rows plus that hashing (the floor of any verifier that reads the ledger)',
    };
    if (options.write !== false) writeResult('ledger-verify', result);
    return result;
  } finally {
    await store.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `suiji ledger verify` on PostgreSQL (issue 13: both adapters are measured). The adapter offers
 * no stored-text reader, so this is the decoded pass over pages read through node-postgres;
 * ratios as on SQLite, against the same leaf bytes hashed alone and against a raw paged SELECT.
 */
export async function benchLedgerVerifyPostgres(): Promise<object> {
  const total = envInt('BENCH_VERIFY_PG_EVENTS', 200_000);
  const repeat = Math.max(1, envInt('BENCH_VERIFY_REPEAT', 3));
  const server = await startBenchPostgres({ schema: 'bench' });
  const raw = new pg.Client({ connectionString: server.url.replace(/\?.*$/, '') });
  try {
    await raw.connect();
    const store = await openPostgresStore(parsePostgresUrl(server.url));
    try {
      const b0 = performance.now();
      for (let i = 0; i < total; i += BATCH) await store.append(`task-${(i / BATCH) % 500}`, makeBatch(i), 'any');
      const buildMs = performance.now() - b0;
      const runs: Record<string, number>[] = [];
      for (let r = 0; r < repeat; r++) {
        const v0 = performance.now();
        const verdict = await verifyLedger(store, { pageSize: 2000 });
        const verifyMs = performance.now() - v0;
        if (!verdict.ok) throw new Error(`verification failed: ${JSON.stringify(verdict)}`);
        const nodeMs = await rawHashMs(store, total, (input) => hash('sha256', input, 'buffer'));
        const s0 = performance.now();
        let n = 0;
        for (let from = 0; from < total; from += 2000) n += (await raw.query('SELECT * FROM bench.events WHERE position >= $1 ORDER BY position LIMIT 2000', [from])).rows.length;
        const selectMs = performance.now() - s0;
        if (n !== total) throw new Error(`raw select read ${n} rows`);
        const run = {
          verifyLedgerEventsPerSecond: rate(total, verifyMs),
          rawSha256NodeCryptoEventsPerSecond: rate(total, nodeMs),
          rawSelectEventsPerSecond: rate(total, selectMs),
          ratioToNodeCrypto: +(nodeMs / verifyMs).toFixed(3),
          ratioToSelectThenNodeCrypto: +((selectMs + nodeMs) / verifyMs).toFixed(3),
          loadAverage1m: +loadavg()[0]!.toFixed(2),
        };
        runs.push(run);
        console.log(JSON.stringify(run));
      }
      const med = (k: string): number => median(runs.map((x) => x[k]!));
      return {
        events: total, buildEventsPerSec: rate(total, buildMs), repeat,
        verifyLedgerEventsPerSec: med('verifyLedgerEventsPerSecond'), rawSha256NodeCryptoEventsPerSec: med('rawSha256NodeCryptoEventsPerSecond'),
        rawSelectEventsPerSec: med('rawSelectEventsPerSecond'), ratioToNodeCrypto: med('ratioToNodeCrypto'), ratioToSelectThenNodeCrypto: med('ratioToSelectThenNodeCrypto'),
        loadAverage1m: med('loadAverage1m'), runs,
        note: 'PostgreSQL 15 on this machine (fsync on, bench/pg-server.ts), decoded pass (no stored-text reader on this adapter); raw SELECT of the same pages through one node-postgres client',
      };
    } finally {
      await store.close();
    }
  } finally {
    await raw.end().catch(() => undefined);
    server.stop();
  }
}

/**
 * Run as a script: BENCH_VERIFY_KEY=NAME keeps every other entry of bench/results/ledger-verify.json
 * and puts this run's figures under NAME (default `postgres` for BENCH_VERIFY_STORE=postgres; the
 * SQLite run without a key writes the top level, as `npm run bench` does).
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const onPostgres = process.env.BENCH_VERIFY_STORE === 'postgres';
  const key = process.env.BENCH_VERIFY_KEY ?? (onPostgres ? 'postgres' : undefined);
  const path = join(process.cwd(), 'bench', 'results', 'ledger-verify.json');
  const kept = (): Record<string, unknown> => {
    const { name: _n, at: _a, machine: _m, ...rest } = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
    return rest;
  };
  if (key === undefined) console.log(JSON.stringify(await benchLedgerVerify(), null, 2));
  else {
    const before = kept();
    const result = { at: new Date().toISOString(), ...(await (onPostgres ? benchLedgerVerifyPostgres() : benchLedgerVerify({ write: false }))) };
    writeResult('ledger-verify', { ...before, [key]: result });
    console.log(JSON.stringify(result, null, 2));
  }
}
