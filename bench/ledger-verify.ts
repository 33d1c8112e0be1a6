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
import { defaultReaders } from '../src/store/verify-ledger.js';
import { pagedLeafPages, type LeafPageReader } from '../src/store/leaf-pages.js';
import type { PostgresEventStore } from '../src/store/postgres/postgres-store.js';
import type { EventRow } from '../src/store/rows.js';
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

/** CPU milliseconds (user + system, every thread of the process) of `fn`, and its wall time. */
async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

/** Wall and CPU milliseconds of raw SHA-256 over every leaf input (0x00 ‖ canonical bytes), read and encoded untimed. */
async function rawHashMs(store: Pick<SqliteEventStore, 'readAll'>, total: number, hash: (input: Uint8Array) => unknown): Promise<{ ms: number; cpuMs: number }> {
  let ms = 0;
  let cpuMs = 0;
  for (let from = 0; from < total; from += 2000) {
    const inputs = (await store.readAll({ from, limit: 2000 })).map(leafInput);
    const t = await timed(() => {
      for (const input of inputs) hash(input);
    });
    ms += t.ms;
    cpuMs += t.cpuMs;
  }
  return { ms, cpuMs };
}

/**
 * Wall and CPU milliseconds of a raw SELECT of every stored row (better-sqlite3 raw arrays, same
 * pages), nothing decoded: the read floor. Verification must read every row, so its physical limit
 * is this plus the hashing (issue 13: the node:crypto ratio alone leaves the read out).
 */
async function rawSelectMs(dir: string, total: number): Promise<{ ms: number; cpuMs: number }> {
  const db = new Database(join(dir, 'suiji.db'), { readonly: true });
  try {
    const page = db.prepare('SELECT * FROM events WHERE position >= ? ORDER BY position LIMIT ?').raw();
    const t = await timed(() => {
      let n = 0;
      for (let from = 0; from < total; from += 2000) n += (page.all(from, 2000) as unknown[]).length;
      return n;
    });
    if (t.value !== total) throw new Error(`raw select read ${t.value} rows, not ${total}`);
    return { ms: t.ms, cpuMs: t.cpuMs };
  } finally {
    db.close();
  }
}

/** The ways `verifyLedger` reads (lane lverify3): inline, and pages read ahead by one or two worker threads. */
const VARIANTS = { inline: false, readers1: 1, readers2: 2 } as const;
type Variant = keyof typeof VARIANTS;

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

    const runs: Record<string, number | string>[] = [];
    let checkpoints = 0;
    for (let r = 0; r < repeat; r++) {
      // What `suiji ledger verify` would pick now (defaultReaders: threads only when the load leaves a core free).
      const picked = defaultReaders(total);
      const loadBefore = loadavg()[0]!;
      const verify: Partial<Record<Variant, { ms: number; cpuMs: number }>> = {};
      for (const [name, readAhead] of Object.entries(VARIANTS) as [Variant, false | number][]) {
        const t = await timed(() => verifyLedger(store, { pageSize: 2000, readAhead }));
        if (!t.value.ok) throw new Error(`verification (${name}) failed: ${JSON.stringify(t.value)}`);
        checkpoints = t.value.checkpoints;
        verify[name] = { ms: t.ms, cpuMs: t.cpuMs };
      }
      // Same canonical bytes, hashed alone: only the hashing is timed.
      const noble = await rawHashMs(store, total, (input) => sha256(input));
      const node = await rawHashMs(store, total, (input) => hash('sha256', input, 'buffer'));
      const select = await rawSelectMs(dir, total);
      const chosen = verify[picked === 0 ? 'inline' : picked === 1 ? 'readers1' : 'readers2']!;
      const run: Record<string, number | string> = {
        defaultReaders: picked,
        verifyLedgerEventsPerSecond: rate(total, chosen.ms),
        rawSha256NobleEventsPerSecond: rate(total, noble.ms),
        rawSha256NodeCryptoEventsPerSecond: rate(total, node.ms),
        ratio: +(noble.ms / chosen.ms).toFixed(3),
        ratioToNodeCrypto: +(node.ms / chosen.ms).toFixed(3),
        rawSelectEventsPerSecond: rate(total, select.ms),
        // Floor with the read: a raw SELECT of the rows, then SHA-256 of the leaf bytes.
        ratioToSelectThenNodeCrypto: +((select.ms + node.ms) / chosen.ms).toFixed(3),
        // CPU time of every thread (process.cpuUsage): what the load of the shared machine moves least.
        cpuRatioToNodeCrypto: +(node.cpuMs / chosen.cpuMs).toFixed(3),
        cpuRatioToSelectThenNodeCrypto: +((select.cpuMs + node.cpuMs) / chosen.cpuMs).toFixed(3),
        nodeCryptoCpuMs: Math.round(node.cpuMs),
        selectCpuMs: Math.round(select.cpuMs),
        loadAverage1m: +((loadBefore + loadavg()[0]!) / 2).toFixed(2),
      };
      for (const name of Object.keys(VARIANTS) as Variant[]) {
        const v = verify[name]!;
        run[`${name}EventsPerSecond`] = rate(total, v.ms);
        run[`${name}RatioToNodeCrypto`] = +(node.ms / v.ms).toFixed(3);
        run[`${name}RatioToSelectThenNodeCrypto`] = +((select.ms + node.ms) / v.ms).toFixed(3);
        run[`${name}CpuMs`] = Math.round(v.cpuMs);
        run[`${name}CpuRatioToNodeCrypto`] = +(node.cpuMs / v.cpuMs).toFixed(3);
      }
      runs.push(run);
      console.log(JSON.stringify(run));
    }
    const med = (k: string): number => median(runs.map((x) => Number(x[k])));
    const result = {
      events: total,
      buildEventsPerSec: existing === 0 ? rate(total, buildMs) : null,
      repeat,
      verifyLedgerEventsPerSec: med('verifyLedgerEventsPerSecond'),
      rawSha256EventsPerSec: med('rawSha256NobleEventsPerSecond'),
      rawSha256NodeCryptoEventsPerSec: med('rawSha256NodeCryptoEventsPerSecond'),
      ratio: med('ratio'),
      ratioToNodeCrypto: med('ratioToNodeCrypto'),
      rawSelectEventsPerSec: med('rawSelectEventsPerSecond'),
      ratioToSelectThenNodeCrypto: med('ratioToSelectThenNodeCrypto'),
      cpuRatioToNodeCrypto: med('cpuRatioToNodeCrypto'),
      cpuRatioToSelectThenNodeCrypto: med('cpuRatioToSelectThenNodeCrypto'),
      variants: Object.fromEntries((Object.keys(VARIANTS) as Variant[]).map((name) => [name, {
        eventsPerSec: med(`${name}EventsPerSecond`),
        ratioToNodeCrypto: med(`${name}RatioToNodeCrypto`),
        ratioToSelectThenNodeCrypto: med(`${name}RatioToSelectThenNodeCrypto`),
        cpuMs: med(`${name}CpuMs`),
        cpuRatioToNodeCrypto: med(`${name}CpuRatioToNodeCrypto`),
      }])),
      loadAverage1m: med('loadAverage1m'),
      verifySeconds: +(total / med('verifyLedgerEventsPerSecond')).toFixed(1),
      checkpoints,
      runs,
      note: 'medians; the headline figures are the path `verifyLedger` picks by default at the time of the run (defaultReaders: worker threads only when the load leaves a core free); variants: inline stored-text pass, pages read ahead by 1 or 2 worker threads. ratio = vs raw SHA-256 (noble, the browser verifier) over the same leaf bytes; ratioToNodeCrypto vs node:crypto SHA-256 over the same bytes (wall time); ratioToSelectThenNodeCrypto vs a raw SELECT of the rows plus that hashing; cpu* the same with the CPU time of every thread (process.cpuUsage) instead of wall time',
    };
    if (options.write !== false) writeResult('ledger-verify', result);
    return result;
  } finally {
    await store.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The PostgreSQL store with the LeafPageReader it could offer (lane lverify3): pagedLeafPages over
 * the adapter's own paged readAll query (rows in EVENT_COLUMNS order, actor and payload as the
 * stored JCS text). Attached here, to an object whose prototype is the store, because the adapter's
 * files belong to another lane this session; the adapter would add the same three lines.
 */
function withPagedLeafPages(store: PostgresEventStore): PostgresEventStore & LeafPageReader {
  const inside = store as unknown as { rows(text: string, values: unknown[]): Promise<EventRow[]>; sql: { readAll: string } };
  const paged = Object.create(store) as PostgresEventStore & LeafPageReader;
  paged.leafPages = (from, until, pageSize) => pagedLeafPages((f, limit) => inside.rows(inside.sql.readAll, [f, limit]), from, until, pageSize);
  return paged;
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
        // The stored-text pass as the adapter could offer it (pagedLeafPages over its readAll query).
        const p0 = performance.now();
        const pagedVerdict = await verifyLedger(withPagedLeafPages(store), { pageSize: 2000, readAhead: true });
        const pagedMs = performance.now() - p0;
        if (!pagedVerdict.ok || pagedVerdict.root !== verdict.root) throw new Error(`paged verification differs: ${JSON.stringify(pagedVerdict)}`);
        const nodeMs = (await rawHashMs(store, total, (input) => hash('sha256', input, 'buffer'))).ms;
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
          pagedStoredTextEventsPerSecond: rate(total, pagedMs),
          pagedStoredTextRatioToNodeCrypto: +(nodeMs / pagedMs).toFixed(3),
          pagedStoredTextRatioToSelectThenNodeCrypto: +((selectMs + nodeMs) / pagedMs).toFixed(3),
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
        pagedStoredText: {
          eventsPerSec: med('pagedStoredTextEventsPerSecond'), ratioToNodeCrypto: med('pagedStoredTextRatioToNodeCrypto'),
          ratioToSelectThenNodeCrypto: med('pagedStoredTextRatioToSelectThenNodeCrypto'),
          note: 'prototype of the PostgreSQL stored-text reader: pagedLeafPages over the adapter\'s own readAll query, attached to the store instance by this bench (src/store/postgres is another lane\'s); same root as the decoded pass',
        },
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
