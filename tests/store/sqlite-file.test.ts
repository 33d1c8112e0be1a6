/** SQLite-specific behaviour: the file, reopening, several connections, lock contention. */
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, openStore, verifyLedger, type SqliteEventStore } from '../../src/store/index.js';
import { SuijiError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newEvents } from '../helpers/events.js';

const dirs: { remove: () => void }[] = [];
const stores: SqliteEventStore[] = [];
const fresh = (): string => {
  const d = tempDir('suiji-sqlite-');
  dirs.push(d);
  return d.path;
};
const open = (dataDir: string, extra: { pollIntervalMs?: number; busyTimeoutMs?: number; clock?: () => Date } = {}): SqliteEventStore => {
  const s = openSqliteStore({ dataDir, ...extra });
  stores.push(s);
  return s;
};

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) d.remove();
});

describe('SQLite store file', () => {
  it('creates a missing data directory and one file suiji.db in WAL mode with synchronous=FULL', async () => {
    const dataDir = join(fresh(), 'nested', 'data');
    const store = open(dataDir);
    await store.append('f-1', newEvents(1), 'noStream');
    expect(existsSync(join(dataDir, 'suiji.db'))).toBe(true);
    const db = new Database(join(dataDir, 'suiji.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('openStore (the generic factory) opens the embedded store with the given validator and clock', async () => {
    const dataDir = fresh();
    const store = await openStore({
      dataDir,
      clock: () => new Date(Date.UTC(2026, 0, 1)),
      validate: (e) => {
        if (e.type !== 'Known') throw new SuijiError('UNKNOWN_EVENT_TYPE', { field: 'type' });
      },
    });
    try {
      await expect(store.append('g', newEvents(1), 'any')).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_TYPE' });
      await store.append('g', newEvents(1, () => ({ type: 'Known' })), 'noStream');
      expect((await store.readAll()).map((e) => [e.type, e.recordedAt])).toEqual([['Known', '2026-01-01T00:00:00.000Z']]);
      expect(existsSync(join(dataDir, 'suiji.db'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a data directory that cannot be created is STORE_UNAVAILABLE, not a raw exception', async () => {
    const base = fresh();
    writeFileSync(join(base, 'a-file'), '');
    expect(() => openSqliteStore({ dataDir: join(base, 'a-file', 'data') })).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE' }));
  });

  it('uses the injected clock for recordedAt, in UTC with milliseconds', async () => {
    const store = open(fresh(), { clock: () => new Date(Date.UTC(2026, 10, 25, 7, 14, 29, 123)) });
    await store.append('clock', newEvents(2), 'noStream');
    expect((await store.readAll()).map((e) => e.recordedAt)).toEqual(['2026-11-25T07:14:29.123Z', '2026-11-25T07:14:29.123Z']);
    expect((await store.checkpoints())[0]!.recordedAt).toBe('2026-11-25T07:14:29.123Z');
  });

  it('survives close and reopen: same head, positions and revisions continue, ledger verifies', async () => {
    const dataDir = fresh();
    const first = open(dataDir);
    await first.append('re-1', newEvents(3), 'noStream');
    await first.append('re-2', newEvents(2), 'noStream');
    const head = await first.head();
    await first.close();
    const second = open(dataDir);
    expect(await second.head()).toEqual(head);
    expect(await second.append('re-1', newEvents(1), 2)).toEqual({ streamId: 're-1', nextRevision: 3, position: 5 });
    expect(await verifyLedger(second)).toMatchObject({ ok: true, size: 6 });
  });

  it('two connections on one file (two processes in production) keep one consistent ledger', async () => {
    const dataDir = fresh();
    const a = open(dataDir, { pollIntervalMs: 20 });
    const b = open(dataDir, { pollIntervalMs: 20 });
    await a.append('two', newEvents(2), 'noStream');
    // b's in-memory frontier is stale here; it must reload it inside its write transaction.
    await b.append('two', newEvents(3), 1);
    await a.append('two', newEvents(1), 4);
    expect(await a.head()).toEqual(await b.head());
    expect(await verifyLedger(a)).toMatchObject({ ok: true, size: 6, checkpoints: 3 });
    expect(await b.append('two', newEvents(1), 4).catch((e: unknown) => (e as SuijiError).code)).toBe('WRONG_EXPECTED_REVISION');
  });

  it("a subscription sees another connection's appends by polling", async () => {
    const dataDir = fresh();
    const a = open(dataDir, { pollIntervalMs: 20 });
    const b = open(dataDir, { pollIntervalMs: 20 });
    const got: number[] = [];
    const sub = a.subscribe(0, (e) => void got.push(e.position));
    for (let i = 0; i < 5; i++) await b.append('poll', newEvents(2), 'any');
    const until = Date.now() + 5000;
    while (got.length < 10 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await sub.close();
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a write lock held too long by another process is STORE_UNAVAILABLE, and nothing is written', async () => {
    const dataDir = fresh();
    const store = open(dataDir, { busyTimeoutMs: 50 });
    await store.append('busy', newEvents(1), 'noStream');
    const other = new Database(join(dataDir, 'suiji.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const err = await store.append('busy', newEvents(1), 'any').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SuijiError);
      expect((err as SuijiError).code).toBe('STORE_UNAVAILABLE');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect((await store.head()).size).toBe(1);
    expect(await store.append('busy', newEvents(1), 0)).toMatchObject({ position: 1 });
  });

  it('a closed store refuses calls with STORE_UNAVAILABLE and stops its subscriptions', async () => {
    const store = openSqliteStore({ dataDir: fresh() });
    await store.append('closed', newEvents(1), 'noStream');
    const sub = store.subscribe(0, () => undefined);
    await store.close();
    await expect(sub.done).resolves.toBeUndefined();
    await expect(store.readAll()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.append('closed', newEvents(1), 'any')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
