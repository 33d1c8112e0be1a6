/**
 * Large events on the PostgreSQL adapter (src/store/postgres/event-rows.ts). The province's
 * whole-register DrawCommitted (~400 million characters of JSON) failed on PostgreSQL with
 * `RangeError: Invalid string length`: node-postgres sent the payload column as one array
 * literal with every `"` escaped, past V8's largest string, where SQLite bound the text as it is.
 * These tests lower `largeEventChars` so small events take the large-event path, and check it
 * against SQLite byte for byte; a real ~400 MB event is opt-in (SUIJI_BIG_EVENT_TEST=1, below).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SuijiError } from '../../src/domain/errors.js';
import { openPostgresStore, openSqliteStore, verifyStoreLedger, type PostgresEventStore } from '../../src/store/index.js';
import type { EventStore, NewEvent, RecordedEvent, StreamWrite } from '../../src/store/port.js';
import { BATCH_FACTOR, planRows } from '../../src/store/postgres/event-rows.js';
import { DB_FILE } from '../../src/store/sqlite/schema.js';
import { newEvent } from '../helpers/events.js';
import { freshSchema, usePostgres } from '../helpers/postgres.js';

const server = usePostgres();
const opened: EventStore[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

const LARGE = 200;
const clock = () => new Date('2026-12-02T12:00:00.000Z');

async function openPg(schema = freshSchema('big'), largeEventChars = LARGE): Promise<PostgresEventStore> {
  const store = await openPostgresStore({ connectionString: server().url(), schema, pollIntervalMs: 100, clock, largeEventChars });
  opened.push(store);
  return store;
}

function openLite(): { store: EventStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-big-'));
  dirs.push(dir);
  const store = openSqliteStore({ dataDir: dir, clock });
  opened.push(store);
  return { store, dir };
}

/** A payload of about `chars` characters of JSON, with what escaping touches: quotes, backslashes, CJK. */
const payloadOf = (chars: number, tag: string): unknown => ({
  tag,
  ids: Array.from({ length: Math.ceil(chars / 40) }, (_, i) => `9137${String(i).padStart(14, '0')}`),
  text: '引号"与反斜杠\\和\u00e9'.repeat(4),
});

/** Small and large events over three streams, in one appendMulti. */
function mixedWrites(): StreamWrite[] {
  const ev = (chars: number, tag: string): NewEvent => newEvent({ payload: payloadOf(chars, tag), correlationId: `c-${tag}` });
  return [
    { streamId: 'draw-a', expected: 'noStream', events: [ev(10, 'small-1'), ev(5 * LARGE, 'large-1'), ev(20, 'small-2')] },
    { streamId: 'draw-b', expected: 'noStream', events: Array.from({ length: 40 }, (_, i) => ev(60, `batch-${i}`)) },
    { streamId: 'draw-c', expected: 'noStream', events: [ev(3 * LARGE, 'large-2')] },
  ];
}

describe('planRows: which statements carry an append’s events', () => {
  const row = (payload: string): unknown[] => [0, 's', 0, 'id', 't', 1, 'r', '{}', 'c', null, payload, 'h'];

  it('events above largeEventChars go one statement each; small ones are batched, at most BATCH_FACTOR × largeEventChars per statement', () => {
    const rows = [row('x'.repeat(50)), row('x'.repeat(200)), ...Array.from({ length: 10 }, () => row('y'.repeat(40)))];
    const plan = planRows(rows, 100);
    expect(plan.single).toEqual([rows[1]]);
    expect(plan.batches.flat()).toEqual(rows.filter((_, i) => i !== 1));
    for (const b of plan.batches) expect(b.reduce((n, r) => n + (r[10] as string).length + 2, 0)).toBeLessThanOrEqual(100 * BATCH_FACTOR);
    expect(planRows(rows, 10).batches).toEqual([[]]);
  });
});

describe('large events on PostgreSQL (largeEventChars lowered to 200)', () => {
  it('regression (the province draw: RangeError: Invalid string length): no event above largeEventChars is sent inside an array parameter', async () => {
    const store = await openPg();
    const seen: unknown[][] = [];
    const original = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      if (Array.isArray(args[1])) seen.push(args[1] as unknown[]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original);
    await store.appendMulti(mixedWrites());
    const inArrays = seen.flatMap((values) => values.filter(Array.isArray).flat()).filter((v): v is string => typeof v === 'string');
    expect(inArrays.length).toBeGreaterThan(0);
    expect(Math.max(...inArrays.map((v) => v.length))).toBeLessThanOrEqual(LARGE);
    // The large events went to the server as plain parameters.
    const plain = seen.flat().filter((v): v is string => typeof v === 'string' && v.includes('"tag":"large-'));
    expect(plain).toHaveLength(2);
  });

  it('the same events give the same ledger as SQLite: stored payload, actor and leaf of every row, and the root', async () => {
    const writes = mixedWrites();
    const lite = openLite();
    const pgStore = await openPg(freshSchema('same'));
    const schema = (pgStore as unknown as { schema: string }).schema;
    await lite.store.appendMulti(writes);
    await pgStore.appendMulti(writes);
    const alone = [newEvent({ payload: payloadOf(4 * LARGE, 'large-3') })];
    await lite.store.append('draw-d', alone, 'noStream');
    await pgStore.append('draw-d', alone, 'noStream');

    const cols = 'position, stream_id, revision, event_id, type, schema_version, recorded_at, actor, correlation_id, causation_id, payload, hash';
    const db = new Database(join(lite.dir, DB_FILE), { readonly: true });
    const liteRows = db.prepare(`SELECT ${cols} FROM events ORDER BY position`).all() as Record<string, unknown>[];
    db.close();
    const pgRows = (await server().sql(`SELECT ${cols} FROM ${schema}.events ORDER BY position`)).map((r) => ({ ...r, position: Number(r.position) }));
    expect(pgRows).toHaveLength(45);
    expect(pgRows).toEqual(liteRows);
    expect(await pgStore.head()).toEqual(await lite.store.head());
  });

  it('reads give the large events back whole: readStream, readStreams, paged readAll, subscribe; the ledger verifies', async () => {
    const schema = freshSchema('read');
    const store = await openPg(schema);
    const writes = mixedWrites();
    await store.appendMulti(writes);
    const all = await store.readAll();
    expect(all.map((e) => e.eventId)).toEqual(writes.flatMap((w) => w.events.map((e) => e.eventId)));
    expect(all.map((e) => e.payload)).toEqual(writes.flatMap((w) => w.events.map((e) => e.payload)));

    const paged: RecordedEvent[] = [];
    for (let from = 0; from < all.length; from += 7) paged.push(...(await store.readAll({ from, limit: 7 })));
    expect(paged).toEqual(all);
    expect(await store.readStream('draw-a')).toEqual(all.filter((e) => e.streamId === 'draw-a'));
    const byStream = await store.readStreams(['draw-c', 'draw-a']);
    expect(byStream.get('draw-c')).toEqual(all.filter((e) => e.streamId === 'draw-c'));

    const got: RecordedEvent[] = [];
    const sub = store.subscribe(0, (e) => void got.push(e));
    await vi.waitFor(() => expect(got).toHaveLength(all.length), { timeout: 20_000 });
    await sub.close();
    expect(got).toEqual(all);
    expect(await verifyStoreLedger({ dataDir: '', store: server().url(schema) })).toMatchObject({ ok: true, size: all.length });
  });

  it('a retried appendMulti with a large event is idempotent (same results, nothing written twice)', async () => {
    const store = await openPg();
    const writes = mixedWrites();
    const first = await store.appendMulti(writes);
    const again = await store.appendMulti(writes);
    expect(again.map(({ replayed: _r, ...r }) => r)).toEqual(first.map(({ replayed: _r, ...r }) => r));
    expect((await store.head()).size).toBe(44);
  });

  it('a mixed appendMulti is one transaction: a failure in its last statement leaves neither the large nor the small events, nor the head', async () => {
    const schema = freshSchema('atomic');
    const store = await openPg(schema);
    await store.append('before', [newEvent()], 'noStream');
    const headBefore = await store.head();
    const writes = mixedWrites();
    // The last small event fails inside the server, after the large events' own statements ran.
    const lastId = writes[1]!.events.at(-1)!.eventId;
    await server().sql(`CREATE FUNCTION ${schema}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.event_id = '${lastId}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await server().sql(`CREATE TRIGGER refuse BEFORE INSERT ON ${schema}.events FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse()`);
    await expect(store.appendMulti(writes)).rejects.toThrow(/refused by the test/);
    expect(await store.head()).toEqual(headBefore);
    expect(await server().sql(`SELECT count(*)::int AS n FROM ${schema}.events`)).toEqual([{ n: 1 }]);
    expect(await server().sql(`SELECT count(*)::int AS n FROM ${schema}.streams`)).toEqual([{ n: 1 }]);
    expect(await store.readStream('draw-a')).toEqual([]);

    await server().sql(`DROP TRIGGER refuse ON ${schema}.events`);
    await store.appendMulti(writes);
    expect((await store.head()).size).toBe(45);
    expect(await verifyStoreLedger({ dataDir: '', store: server().url(schema) })).toMatchObject({ ok: true });
  });

  it('a large event with U+0000 in its correlation id is still VALIDATION_FAILED before anything is sent', async () => {
    const store = await openPg();
    const err = await store.append('s', [newEvent({ payload: payloadOf(5 * LARGE, 'x'), correlationId: 'a\u0000b' })], 'noStream').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuijiError);
    expect((err as SuijiError).code).toBe('VALIDATION_FAILED');
    expect((await store.head()).size).toBe(0);
  });
});

/**
 * A real province-sized event: a pool of SUIJI_BIG_EVENT_IDS credit codes (default 13,801,640,
 * the whole-province pool at 15,000,000 targets) and 1,000,000 PL5 exemptions with their facts,
 * about 400 million characters of JSON, appended with the default largeEventChars and read back.
 * Heavy (a few GiB of heap, minutes): run it alone with a larger heap,
 *   SUIJI_BIG_EVENT_TEST=1 NODE_OPTIONS=--max-old-space-size=12000 npx vitest run --project sqlite tests/store/postgres-large-events.test.ts
 */
const big = process.env.SUIJI_BIG_EVENT_TEST === '1';
describe.skipIf(!big)('a real ~400 MB event on PostgreSQL (opt-in: SUIJI_BIG_EVENT_TEST=1)', () => {
  it('appends, reads back by readStream and readAll, and the stored leaf is the envelope’s', async () => {
    const n = Number(process.env.SUIJI_BIG_EVENT_IDS ?? 13_801_640);
    const code = (i: number): string => `91370000${String(i).padStart(10, '0')}`;
    const exempt = Array.from({ length: 1_000_000 }, (_, i) => ({ facts: [{ position: '1', reason: 'keyIndustry' }], id: code(i * 13), reasons: ['keyIndustry'] }));
    const event = newEvent({ type: 'DrawCommitted', payload: { pool: Array.from({ length: n }, (_, i) => code(i)), counting: { cap: 1, exempt, year: 2026 } } });
    const store = await openPostgresStore({ connectionString: server().url(), schema: freshSchema('huge') });
    opened.push(store);
    const figures: Record<string, number> = {};
    const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const r = await fn();
      figures[name] = Math.round(performance.now() - t0);
      return r;
    };
    await timed('appendMs', () => store.append('draw-huge', [event], 'noStream'));
    const [read] = await timed('readStreamMs', () => store.readStream('draw-huge'));
    const [page] = await timed('readAllMs', () => store.readAll({ from: 0, limit: 10 }));
    const [row] = await server().sql<{ chars: number }>(`SELECT length(payload) AS chars FROM ${(store as unknown as { schema: string }).schema}.events`);
    process.stdout.write(`big event: ${JSON.stringify({ ...figures, payloadChars: row!.chars, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    expect(row!.chars).toBeGreaterThan(300_000_000);
    expect((read!.payload as { pool: string[] }).pool).toHaveLength(n);
    expect(read!.hash).toBe(page!.hash);
    expect(read!.eventId).toBe(event.eventId);
    // The leaf the append computed in two parts equals the one-piece hash of what was stored.
    const { envelopeLeaf } = await import('../../src/store/envelope.js');
    const { canonicalize } = await import('../../src/verify/jcs.js');
    const prepared = { eventId: read!.eventId, type: read!.type, schemaVersion: read!.schemaVersion, actorJson: canonicalize(read!.actor), correlationId: read!.correlationId, causationId: read!.causationId, payloadJson: canonicalize(read!.payload) };
    expect(envelopeLeaf(prepared, read!).hex).toBe(read!.hash);
  }, 1_800_000);
});
