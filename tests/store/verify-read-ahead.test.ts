/**
 * P1 / E6, issue 13 (lane lverify3): `ledger verify` on SQLite reads and packs its pages in a
 * worker thread (src/store/sqlite/leaf-page-threads.ts) while the verifying thread hashes. The
 * verdict is the inline stored-text pass's (tests/store/verify-stored-text.test.ts compares them
 * on every tamper case); here: the worker path really decides a sound ledger by itself, its pages
 * are exactly what the rows pack to, and a reader that fails makes the verification fail with a
 * store error — never ok, never a silent fall-back.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openSqliteStore, verifyLedger, type SqliteEventStore } from '../../src/store/index.js';
import { defaultReaders, READ_AHEAD_FROM } from '../../src/store/verify-ledger.js';
import { openLeafPageThreads, spawnLeafPageWorker } from '../../src/store/sqlite/leaf-page-threads.js';
import type { LeafPageWorkerData } from '../../src/store/sqlite/leaf-page-worker.js';
import { packLeafPage, pagedLeafPages, type LeafPage } from '../../src/store/leaf-pages.js';
import { isSuijiError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newEvent } from '../helpers/events.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const SIZE = 120;

async function ledger(): Promise<{ dataDir: string; store: SqliteEventStore }> {
  const d = tempDir('suiji-read-ahead-');
  dirs.push(d);
  const store = openSqliteStore({ dataDir: d.path });
  for (let a = 0; a < SIZE / 10; a++) {
    await store.append(`s-${a % 3}`, Array.from({ length: 10 }, (_, k) => newEvent({
      type: k % 4 === 0 ? 'EvidenceStored' : 'TestHappened',
      causationId: k % 2 === 0 ? null : `c-${a}-${k}`,
      payload: { i: a * 10 + k, text: `企业 "${a}" \\ 😀`, sha256: `${a}`.padStart(64, '0') },
    })), 'any');
  }
  return { dataDir: d.path, store };
}

const file = (dataDir: string): string => join(dataDir, 'suiji.db');

describe('P1: pages read ahead in a worker thread', () => {
  it('P1: a sound ledger is verified by the worker path alone (no decoded read), with the inline pass\'s root and payloads', async () => {
    const { store } = await ledger();
    try {
      const inline = await verifyLedger(store, { pageSize: 9, readAhead: false });
      const reads = vi.spyOn(store, 'readAll');
      const rows = vi.spyOn(store, 'forEachRow');
      const seen: { type: string; payload: unknown }[] = [];
      const threaded = await verifyLedger(store, { pageSize: 9, readAhead: true, onPayload: (type, payload) => seen.push({ type, payload: payload() }) });
      expect(reads).not.toHaveBeenCalled();
      expect(rows).not.toHaveBeenCalled();
      reads.mockRestore();
      expect(threaded).toEqual(inline);
      expect(threaded).toMatchObject({ ok: true, size: SIZE, checkpoints: SIZE / 10 });
      expect(seen).toEqual((await store.readAll()).map((e) => ({ type: e.type, payload: e.payload })));
    } finally {
      await store.close();
    }
  });

  it('P1: with three readers the pages arrive in position order, each exactly what its rows pack to', async () => {
    const { dataDir, store } = await ledger();
    try {
      const stream = openLeafPageThreads(file(dataDir), 5, SIZE, 8, { readers: 3, ahead: 2 });
      const pages: LeafPage[] = [];
      for (let p = await stream.next(); p !== null; p = await stream.next()) pages.push(p);
      await stream.close();
      expect(pages.map((p) => p.from)).toEqual(Array.from({ length: Math.ceil((SIZE - 5) / 8) }, (_, k) => 5 + 8 * k));
      for (const p of pages) {
        const rows: unknown[][] = [];
        store.forEachRow(p.from, Math.min(8, SIZE - p.from), (r) => rows.push([...r]));
        const expected = packLeafPage(rows, p.from, new Map());
        expect(p.sound).toBe(p.count);
        expect(p.count).toBe(rows.length);
        expect(Buffer.from(p.bytes.subarray(0, p.ends[p.count - 1]))).toEqual(Buffer.from(expected.bytes.subarray(0, expected.ends[expected.count - 1])));
        expect([...p.ends]).toEqual([...expected.ends]);
        expect(Buffer.from(p.hashes)).toEqual(Buffer.from(expected.hashes));
        expect(p.typeOf.length).toBe(p.count);
      }
    } finally {
      await store.close();
    }
  });
});

/** verifyLedger on the store, its pages read by workers `spawn` starts. */
async function verdictWith(spawn: (data: LeafPageWorkerData) => Worker) {
  const { dataDir, store } = await ledger();
  try {
    vi.spyOn(store, 'leafPages').mockImplementation((from, until, pageSize) => openLeafPageThreads(file(dataDir), from, until, pageSize, { spawn }));
    const reads = vi.spyOn(store, 'readAll');
    const verdict = await verifyLedger(store, { pageSize: 10, readAhead: true });
    return { verdict, decodedReads: reads.mock.calls.length };
  } finally {
    await store.close();
  }
}

const evalWorker = (code: string) => (data: LeafPageWorkerData): Worker => new Worker(code, { eval: true, workerData: data });

describe('P1: when the reader thread fails, the verification fails with a store error (never ok)', () => {
  const failures: { name: string; spawn: (data: LeafPageWorkerData) => Worker; detail: RegExp }[] = [
    { name: 'it exits before its first page', spawn: evalWorker('process.exit(3)'), detail: /exited \(code 3\) after 0 of 12 pages/ },
    { name: 'it throws', spawn: evalWorker('throw new Error("disk on fire")'), detail: /disk on fire/ },
    { name: 'it reports an error', spawn: evalWorker('require("node:worker_threads").parentPort.postMessage({ error: "SQLITE_IOERR" })'), detail: /SQLITE_IOERR/ },
    { name: 'it sends something that is not a page', spawn: evalWorker('require("node:worker_threads").parentPort.postMessage({ page: 42 })'), detail: /unexpected message/ },
    {
      name: 'it is killed after its first page',
      spawn: (data) => {
        const w = spawnLeafPageWorker(data);
        w.once('message', () => void w.terminate());
        return w;
      },
      detail: /exited \(code 1\) after \d+ of 12 pages/,
    },
    {
      name: 'it hands over a page for the wrong positions',
      spawn: (data) => spawnLeafPageWorker({ ...data, from: data.from + data.pageSize }),
      detail: /handed over the page at 10 where the page at 0 was due/,
    },
  ];
  for (const f of failures) {
    it(`P1: ${f.name}`, async () => {
      const { verdict, decodedReads } = await verdictWith(f.spawn);
      expect(verdict.ok).toBe(false);
      expect(verdict).toMatchObject({ reason: 'store-error' });
      expect((verdict as { detail: string }).detail).toMatch(f.detail);
      // Final: no decoded pass re-reads the ledger and calls it sound.
      expect(decodedReads).toBe(0);
    });
  }

  it('P1: the ledger file is gone when the reader opens it (the store still holds it open): a store error naming the reader, STORE_UNAVAILABLE from the stream', async () => {
    const { dataDir, store } = await ledger();
    try {
      unlinkSync(file(dataDir));
      const verdict = await verifyLedger(store, { pageSize: 10, readAhead: true });
      expect(verdict).toMatchObject({ ok: false, position: 0, reason: 'store-error' });
      expect((verdict as { detail: string }).detail).toMatch(/ledger reader thread failed/);
      const stream = store.leafPages(0, SIZE, 10);
      const err = await stream.next().catch((e: unknown) => e);
      expect(isSuijiError(err) && err.code === 'STORE_UNAVAILABLE').toBe(true);
      await stream.close();
    } finally {
      await store.close();
    }
  });
});

describe('P1: how many reader threads by default', () => {
  it('P1: none for a ledger below READ_AHEAD_FROM, at most two otherwise; SUIJI_VERIFY_READERS forces a number', () => {
    const saved = process.env.SUIJI_VERIFY_READERS;
    try {
      delete process.env.SUIJI_VERIFY_READERS;
      expect(defaultReaders(READ_AHEAD_FROM - 1)).toBe(0);
      expect(defaultReaders(0)).toBe(0);
      expect([0, 1, 2]).toContain(defaultReaders(READ_AHEAD_FROM));
      process.env.SUIJI_VERIFY_READERS = '3';
      expect(defaultReaders(5)).toBe(3);
      // Not a single digit: ignored, so a small ledger gets none.
      process.env.SUIJI_VERIFY_READERS = 'many';
      expect(defaultReaders(5)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.SUIJI_VERIFY_READERS;
      else process.env.SUIJI_VERIFY_READERS = saved;
    }
  });

  it('P1: readAhead: 2 asks the store for two readers, and the verdict is the inline one', async () => {
    const { store } = await ledger();
    try {
      const pages = vi.spyOn(store, 'leafPages');
      const two = await verifyLedger(store, { pageSize: 7, readAhead: 2 });
      expect(pages).toHaveBeenCalledWith(0, SIZE, 7, 2);
      expect(two).toEqual(await verifyLedger(store, { pageSize: 7, readAhead: false }));
    } finally {
      await store.close();
    }
  });
});

describe('P1: pagedLeafPages, the read-ahead an asynchronous adapter (PostgreSQL) would offer', () => {
  it('P1: a store whose leafPages reads through an async paged query verifies as the inline pass does, and a failed query is a store error', async () => {
    const { store } = await ledger();
    try {
      const rowsOf = async (from: number, limit: number): Promise<unknown[][]> => {
        const rows: unknown[][] = [];
        store.forEachRow(from, limit, (r) => rows.push([...r]));
        return rows;
      };
      const asked: number[] = [];
      vi.spyOn(store, 'leafPages').mockImplementation((from, until, pageSize) => pagedLeafPages(async (f, l) => (asked.push(f), rowsOf(f, l)), from, until, pageSize));
      const inline = await verifyLedger(store, { pageSize: 11, readAhead: false });
      expect(await verifyLedger(store, { pageSize: 11, readAhead: true })).toEqual(inline);
      expect(asked).toEqual(Array.from({ length: Math.ceil(SIZE / 11) }, (_, k) => 11 * k));
      vi.spyOn(store, 'leafPages').mockImplementation((from, until, pageSize) =>
        pagedLeafPages(async (f, l) => (f >= 33 ? Promise.reject(new Error('connection reset')) : rowsOf(f, l)), from, until, pageSize));
      const failed = await verifyLedger(store, { pageSize: 11, readAhead: true });
      expect(failed).toMatchObject({ ok: false, position: 33, reason: 'store-error' });
      expect((failed as { detail: string }).detail).toMatch(/connection reset/);
    } finally {
      await store.close();
    }
  });
});
