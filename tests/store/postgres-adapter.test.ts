/**
 * What the contract suite cannot say about the PostgreSQL adapter, against a real PostgreSQL 15
 * (tests/helpers/postgres.ts): the recorded schema version, several pools (instances) appending
 * at once, visibility of positions under concurrent writers, a writer killed with SIGKILL,
 * tampering found by `ledger verify`, and how locations and bad input are refused.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { SuijiError } from '../../src/domain/errors.js';
import { openPostgresStore, openStore, verifyStoreLedger, PostgresEventStore } from '../../src/store/index.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { compileForNode } from '../helpers/compile.js';
import { newEvent, newEvents } from '../helpers/events.js';
import { freshSchema, usePostgres } from '../helpers/postgres.js';

const server = usePostgres();
const opened: EventStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function open(schema: string, extra: { pollIntervalMs?: number; poolSize?: number } = {}): Promise<PostgresEventStore> {
  const store = await openPostgresStore({ connectionString: server().url(), schema, pollIntervalMs: 100, ...extra });
  opened.push(store);
  return store;
}

const errorOf = async (p: Promise<unknown>): Promise<SuijiError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof SuijiError) return err;
    throw err;
  }
  throw new Error('expected a SuijiError');
};

const waitFor = async (cond: () => boolean, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('PostgreSQL schema and locations', () => {
  it('records its schema version once, and reopening does not migrate again', async () => {
    const schema = freshSchema('ver');
    const a = await open(schema);
    await a.append('s', [newEvent()], 'noStream');
    await open(schema);
    expect(await server().sql(`SELECT version FROM ${schema}.schema_version`)).toEqual([{ version: 1 }]);
  });

  it('two instances creating the same fresh ledger at once both open it (the migration is serialised)', async () => {
    const schema = freshSchema('race');
    const [a, b] = await Promise.all([open(schema), open(schema)]);
    await a.append('s', [newEvent()], 'noStream');
    expect(await b.head()).toMatchObject({ size: 1 });
  });

  it('a ledger written by a newer schema version is refused (LEDGER_CORRUPT schema-newer), not guessed at', async () => {
    const schema = freshSchema('newer');
    await open(schema);
    await server().sql(`INSERT INTO ${schema}.schema_version (version) VALUES (2)`);
    const err = await errorOf(openPostgresStore({ connectionString: server().url(), schema }));
    expect(err.code).toBe('LEDGER_CORRUPT');
    expect(err.details.reason).toBe('schema-newer');
  });

  it('verification does not invent a ledger: a missing schema is a failed verification and nothing is created', async () => {
    const schema = freshSchema('none');
    const report = await verifyStoreLedger({ dataDir: '', store: server().url(schema) });
    expect(report).toMatchObject({ ok: false, reason: 'store-corrupt' });
    expect(await server().sql('SELECT to_regnamespace($1) AS ns', [schema])).toEqual([{ ns: null }]);
  });

  it('openStore takes a postgres:// URL with ?schema=; anything else is VALIDATION_FAILED naming --store', async () => {
    const schema = freshSchema('url');
    const store = await openStore({ dataDir: '/nonexistent', store: server().url(schema) });
    opened.push(store);
    expect(store).toBeInstanceOf(PostgresEventStore);
    await store.append('u', [newEvent()], 'noStream');
    expect(await server().sql(`SELECT count(*)::int AS n FROM ${schema}.events`)).toEqual([{ n: 1 }]);
    const bad = await errorOf(openStore({ dataDir: '/x', store: 'mysql://root:secret@db/x' }));
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.details).toMatchObject({ field: '--store', value: 'mysql://root:***@db/x' });
    const badSchema = await errorOf(openStore({ dataDir: '/x', store: `${server().url()}?schema=Robert%27);DROP` }));
    expect(badSchema.code).toBe('VALIDATION_FAILED');
  });

  it('an unreachable server is STORE_UNAVAILABLE (503), not a raw socket error', async () => {
    const err = await errorOf(openPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/nothing' }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.status).toBe(503);
  });

  it('U+0000 in a stream id or correlation id (PostgreSQL text cannot hold it) is VALIDATION_FAILED naming the field; nothing written', async () => {
    const store = await open(freshSchema('nul'));
    const e1 = await errorOf(store.append('a\u0000b', [newEvent()], 'any'));
    expect(e1.details).toMatchObject({ field: 'streamId' });
    const e2 = await errorOf(store.append('ok', [newEvent(), newEvent({ correlationId: 'c\u0000' })], 'any'));
    expect(e2.details).toMatchObject({ field: 'events[1].correlationId' });
    expect(await store.head()).toMatchObject({ size: 0 });
  });
});

describe('several instances on one database', () => {
  /** A PL5-style decider: at most `cap` DrawCounted events on the entity's counter stream, read-decide-append with retries. */
  async function draw(store: EventStore, drawId: string, counter: string, cap: number): Promise<'recorded' | 'refused'> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const events = await store.readStream(counter);
      if (events.length >= cap) return 'refused';
      const revision = events.length - 1;
      try {
        await store.appendMulti([
          { streamId: `draw-${drawId}`, events: [newEvent({ type: 'DrawResultRecorded', payload: { drawId } })], expected: 'noStream' },
          { streamId: counter, events: [newEvent({ type: 'DrawCounted', payload: { drawId, count: events.length + 1 } })], expected: revision < 0 ? 'noStream' : revision },
        ]);
        return 'recorded';
      } catch (err) {
        if (err instanceof SuijiError && err.code === 'WRONG_EXPECTED_REVISION') continue;
        throw err;
      }
    }
    throw new Error('too many retries');
  }

  it('PL5: twenty concurrent draws of one entity from two pools record exactly two; the refused ones leave no trace', async () => {
    const schema = freshSchema('pl5');
    const [a, b] = [await open(schema), await open(schema)];
    const counter = 'drawcount-91370300MA00000001-2026';
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => draw(i % 2 === 0 ? a : b, `d${i}`, counter, 2)));
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(2);
    const counted = await a.readStream(counter);
    expect(counted.map((e) => (e.payload as { count: number }).count)).toEqual([1, 2]);
    const all = await b.readAll();
    expect(all.filter((e) => e.type === 'DrawResultRecorded')).toHaveLength(2);
    // Every recorded draw's counter event sits in the same transaction, right after it.
    for (const c of counted) {
      const drawId = (c.payload as { drawId: string }).drawId;
      expect(all[c.position - 1]).toMatchObject({ streamId: `draw-${drawId}`, type: 'DrawResultRecorded' });
    }
    expect(all.map((e) => e.position)).toEqual([...all.keys()]);
    expect(await verifyStoreLedger({ dataDir: '', store: server().url(schema) })).toMatchObject({ ok: true, size: 4 });
  });

  it('never n+1 before n: under three concurrent writers every snapshot sees a gap-free prefix, and a subscriber in a fourth instance gets every position once, in order, woken by NOTIFY', async () => {
    const schema = freshSchema('order');
    // Polling every 10 minutes: delivery within the test can only come from LISTEN/NOTIFY.
    const reader = await open(schema, { pollIntervalMs: 600_000 });
    const writers = [await open(schema), await open(schema), await open(schema)];
    const seen: number[] = [];
    const sub = reader.subscribe(0, (e: RecordedEvent) => void seen.push(e.position));
    let writing = true;
    const snapshots: { count: number; max: number }[] = [];
    const watch = (async () => {
      while (writing) {
        const [row] = await server().sql<{ count: number; max: number }>(`SELECT count(*)::int AS count, coalesce(max(position), -1)::int AS max FROM ${schema}.events`);
        snapshots.push(row!);
      }
    })();
    const perWriter = 40;
    await Promise.all(
      writers.map(async (w, k) => {
        for (let i = 0; i < perWriter; i++) await w.append(`w${k}-${i % 4}`, newEvents(1 + (i % 3)), 'any');
      }),
    );
    writing = false;
    await watch;
    const total = (await reader.head()).size;
    expect(total).toBe(3 * (perWriter + Math.floor(perWriter / 3) * 3 + (perWriter % 3 === 2 ? 1 : 0)));
    for (const s of snapshots) expect(s.count).toBe(s.max + 1);
    expect(snapshots.length).toBeGreaterThan(1);
    await waitFor(() => seen.length === total);
    await sub.close();
    expect(seen).toEqual([...Array(total).keys()]);
  });

  it('a listener connection killed by the server is replaced; delivery goes on', async () => {
    const schema = freshSchema('relisten');
    const reader = await open(schema, { pollIntervalMs: 100 });
    const writer = await open(schema);
    const seen: number[] = [];
    const sub = reader.subscribe(0, (e) => void seen.push(e.position));
    await writer.append('x', [newEvent()], 'any');
    await waitFor(() => seen.length === 1);
    const killed = await server().sql<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'`);
    expect(killed.length).toBeGreaterThan(0);
    await writer.append('x', newEvents(2), 'any');
    await waitFor(() => seen.length === 3);
    await sub.close();
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe('P1: a writer killed with SIGKILL', () => {
  let build: { script: string; remove: () => void };
  beforeAll(() => {
    build = compileForNode('tests/store/crash/append-child.ts');
  });
  afterAll(() => build.remove());

  async function runAndKill(url: string, killAfter: number): Promise<{ position: number; ids: string[] }[]> {
    const child = spawn(process.execPath, [build.script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const acks: { position: number; ids: string[] }[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of createInterface({ input: child.stdout })) {
      try {
        acks.push(JSON.parse(line) as { position: number; ids: string[] });
      } catch {
        continue; // a line cut by the kill was never a complete acknowledgement
      }
      if (acks.length === killAfter) child.kill('SIGKILL');
    }
    if ((await exited) !== 'SIGKILL') throw new Error(`child ended without being killed: ${stderr}`);
    return acks;
  }

  it('every acknowledged append survives, positions stay gap-free, the ledger verifies and the next append follows on', async () => {
    const schema = freshSchema('crash');
    const url = server().url(schema);
    const acks = [...(await runAndKill(url, 120)), ...(await runAndKill(url, 200))];
    const store = await open(schema);
    const all = await store.readAll();
    const byId = new Map(all.map((e) => [e.eventId, e]));
    for (const ack of acks) ack.ids.forEach((id, k) => expect(byId.get(id)?.position).toBe(ack.position - ack.ids.length + 1 + k));
    expect(all.length).toBeGreaterThan(Math.max(...acks.map((a) => a.position)));
    expect(all.map((e) => e.position)).toEqual([...all.keys()]);
    expect(await verifyStoreLedger({ dataDir: '', store: url })).toMatchObject({ ok: true, size: all.length });
    expect(await store.append('after-crash', [newEvent()], 'noStream')).toMatchObject({ position: all.length });
  });
});

describe('tampering with the PostgreSQL ledger', () => {
  async function ledger(n: number): Promise<{ schema: string; url: string }> {
    const schema = freshSchema('tamper');
    const store = await open(schema);
    for (let i = 0; i < n; i++) await store.append(`s-${i % 2}`, [newEvent({ payload: { note: `事件-${i}-PAYLOAD-${String(i).padStart(3, '0')}` } })], 'any');
    return { schema, url: server().url(schema) };
  }

  it('one byte changed in a stored event: verify names its position (leaf-hash-mismatch)', async () => {
    const { schema, url } = await ledger(8);
    await server().sql(`UPDATE ${schema}.events SET payload = replace(payload, 'PAYLOAD-005', 'PAYLOAD-006') WHERE position = 5`);
    expect(await verifyStoreLedger({ dataDir: '', store: url })).toMatchObject({ ok: false, position: 5, reason: 'leaf-hash-mismatch' });
  });

  it('an event row deleted: verify names the missing position', async () => {
    const { schema, url } = await ledger(8);
    await server().sql(`DELETE FROM ${schema}.events WHERE position = 4`);
    expect(await verifyStoreLedger({ dataDir: '', store: url })).toMatchObject({ ok: false, position: 4, reason: 'position-gap' });
  });

  it('two rows swapped: verify names the first of them', async () => {
    const { schema, url } = await ledger(8);
    await server().sql(`UPDATE ${schema}.events SET position = -1 WHERE position = 3`);
    await server().sql(`UPDATE ${schema}.events SET position = 3 WHERE position = 6`);
    await server().sql(`UPDATE ${schema}.events SET position = 6 WHERE position = -1`);
    expect(await verifyStoreLedger({ dataDir: '', store: url })).toMatchObject({ ok: false, position: 3, reason: 'leaf-hash-mismatch' });
  });

  it('a checkpoint rewritten: verify names the range it covers', async () => {
    const { schema, url } = await ledger(8);
    await server().sql(`UPDATE ${schema}.checkpoints SET root = repeat('0', 64) WHERE size = 6`);
    expect(await verifyStoreLedger({ dataDir: '', store: url })).toMatchObject({ ok: false, reason: 'checkpoint-root-mismatch', until: 6 });
  });

  it('the last row deleted by hand: the next append is refused (LEDGER_CORRUPT head-rows-mismatch) and writes nothing', async () => {
    const { schema } = await ledger(3);
    await server().sql(`DELETE FROM ${schema}.events WHERE position = 2`);
    const store = await open(schema);
    const err = await errorOf(store.append('s-0', [newEvent()], 'any'));
    expect(err.code).toBe('LEDGER_CORRUPT');
    expect(err.details).toMatchObject({ reason: 'head-rows-mismatch', headSize: 3, lastPosition: 1 });
    expect(await server().sql(`SELECT count(*)::int AS n FROM ${schema}.events`)).toEqual([{ n: 2 }]);
  });
});

describe('faults on the connection', () => {
  /** Holds the ledger-head lock from a plain client, as a writer frozen inside its append would. */
  async function holdHeadLock(schema: string): Promise<{ release: () => Promise<void> }> {
    const c = new pg.Client({ connectionString: server().url() });
    await c.connect();
    await c.query('BEGIN');
    await c.query(`SELECT 1 FROM ${schema}.ledger_head WHERE id = 1 FOR UPDATE`);
    return {
      release: async () => {
        await c.query('ROLLBACK');
        await c.end();
      },
    };
  }

  it('regression (a connection dropped mid-append was an uncaught error that ended the process): the append gets STORE_UNAVAILABLE, writes nothing, and the next append works', async () => {
    const schema = freshSchema('drop');
    const store = await open(schema);
    await store.append('s', [newEvent()], 'noStream');
    const lock = await holdHeadLock(schema);
    const pending = store.append('s', newEvents(3), 0).catch((e: unknown) => e);
    // The append is inside its transaction, waiting for the head row: kill its backend there.
    let victims: { pid: number }[] = [];
    await (async () => {
      for (let i = 0; i < 500 && victims.length === 0; i++) {
        victims = await server().sql<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%ledger_head%FOR UPDATE%'`,
        );
        if (victims.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    expect(victims).toHaveLength(1);
    await server().sql('SELECT pg_terminate_backend($1)', [victims[0]!.pid]);
    const err = await pending;
    await lock.release();
    expect(err).toBeInstanceOf(SuijiError);
    expect((err as SuijiError).code).toBe('STORE_UNAVAILABLE');
    expect(await store.head()).toMatchObject({ size: 1 });
    expect(await store.append('s', [newEvent()], 0)).toMatchObject({ position: 1, nextRevision: 1 });
    expect(await verifyStoreLedger({ dataDir: '', store: server().url(schema) })).toMatchObject({ ok: true, size: 2 });
  });

  it('a writer frozen while holding the head lock: another append waits at most lockTimeoutMs, then STORE_UNAVAILABLE (503), nothing written', async () => {
    const schema = freshSchema('locked');
    const store = await openPostgresStore({ connectionString: server().url(), schema, lockTimeoutMs: 200 });
    opened.push(store);
    const lock = await holdHeadLock(schema);
    try {
      const err = await errorOf(store.append('s', [newEvent()], 'any'));
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.status).toBe(503);
    } finally {
      await lock.release();
    }
    expect(await store.head()).toMatchObject({ size: 0 });
    expect(await store.append('s', [newEvent()], 'any')).toMatchObject({ position: 0 });
  });
});
