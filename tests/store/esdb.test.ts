/**
 * The EventStoreDB adapter. The location rules run everywhere; everything that needs a server
 * runs only with ESDB_URL set (no EventStoreDB server can run on the build machines) and is
 * otherwise skipped under a title that says so.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEventStoreContract } from './contract/event-store-contract.js';
import { openEsdbStore, parseEsdbUrl, isEsdbUrl } from '../../src/store/esdb/index.js';
import { openStore, verifyLedger, type EventStore } from '../../src/store/index.js';
import { newEvent } from '../helpers/events.js';
import { ESDB_SKIP, ESDB_URL, esdbLocation, freshEsdbLedger, testStoreFor } from '../helpers/test-store.js';

const codeOf = async (p: Promise<unknown>): Promise<unknown> => p.then(() => 'no error', (e: { code?: string; details?: unknown }) => ({ code: e.code, details: e.details }));

describe('EventStoreDB location (no server needed)', () => {
  it('esdb:// and esdb+discover:// are EventStoreDB locations; the ledger parameter is ours and removed', () => {
    expect(isEsdbUrl('esdb://a:2113')).toBe(true);
    expect(isEsdbUrl('esdb+discover://cluster.example:2113')).toBe(true);
    expect(isEsdbUrl('postgres://x')).toBe(false);
    expect(parseEsdbUrl('esdb://h1:2113,h2:2113,h3:2113?tls=false&ledger=yiyuan')).toEqual({ connectionString: 'esdb://h1:2113,h2:2113,h3:2113?tls=false', ledger: 'yiyuan' });
    expect(parseEsdbUrl('esdb+discover://cluster.example:2113')).toEqual({ connectionString: 'esdb+discover://cluster.example:2113', ledger: 'suiji' });
  });

  it('a bad ledger name is VALIDATION_FAILED naming the field', async () => {
    expect(() => parseEsdbUrl('esdb://h:2113?ledger=Bad$Name')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: expect.objectContaining({ field: '--store ledger' }) }));
    expect(await codeOf(openStore({ dataDir: '/nonexistent', store: 'esdb://h:2113?ledger=' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('openStore refuses a location that is neither postgres:// nor esdb://, naming --store', async () => {
    expect(await codeOf(openStore({ dataDir: '/nonexistent', store: 'mysql://h/db' }))).toEqual({ code: 'VALIDATION_FAILED', details: { field: '--store', value: 'mysql://h/db' } });
  });

  it('an unreachable server is STORE_UNAVAILABLE, not a raw client error', async () => {
    expect(await codeOf(openStore({ dataDir: '/nonexistent', store: 'esdb://127.0.0.1:1?tls=false&ledger=probe' }))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
  }, 60_000);
});

describe.skipIf(!ESDB_URL)(
  ESDB_URL
    ? 'register and draw API suites (tests/api/registers, tests/draws) run on EventStoreDB'
    : 'register and draw API suites on EventStoreDB: skipped — ESDB_URL not set; no EventStoreDB server can run on this machine (they ran on SQLite)',
  () => {
    it('their harnesses open an EventStoreDB ledger of their own per data directory', async () => {
      expect(await testStoreFor('/tmp/x')).toMatch(/^esdb.*ledger=t[0-9a-f]{8}-[0-9a-f]{12}$/);
      expect(await testStoreFor('/tmp/x')).toBe(await testStoreFor('/tmp/x'));
    });
  },
);

const server = describe.skipIf(!ESDB_URL);

server(ESDB_URL ? 'EventStoreDB (real server at ESDB_URL)' : ESDB_SKIP, () => {
  describeEventStoreContract('EventStoreDB (a ledger per test)', async (options = {}) => {
    const store = await openEsdbStore({ ...parseEsdbUrl(esdbLocation(freshEsdbLedger())), pollIntervalMs: 50, leaseMs: 500, ...options });
    // Nothing to drop: the test's streams stay on the server under their own prefix.
    return { store, cleanup: () => store.close() };
  });

  describe('several instances on one ledger', () => {
    const two = async (): Promise<[EventStore, EventStore]> => {
      const at = parseEsdbUrl(esdbLocation(freshEsdbLedger()));
      return [await openEsdbStore({ ...at, leaseMs: 500 }), await openEsdbStore({ ...at, leaseMs: 500 })];
    };

    it('PL5: of two instances racing appendMulti on the same counter revision, exactly one wins and the loser wrote nothing', async () => {
      const [a, b] = await two();
      try {
        const write = (s: EventStore, drawId: string) =>
          s.appendMulti([
            { streamId: `draw-${drawId}`, events: [newEvent()], expected: 'noStream' },
            { streamId: 'drawcount-x-2026', events: [newEvent()], expected: 'noStream' },
          ]);
        const settled = await Promise.allSettled([write(a, 'd1'), write(b, 'd2')]);
        expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
        const loser = settled.findIndex((s) => s.status === 'rejected');
        expect((settled[loser] as PromiseRejectedResult).reason).toMatchObject({ code: 'WRONG_EXPECTED_REVISION' });
        expect(await b.readStream(`draw-d${loser + 1}`)).toEqual([]);
        expect(await a.streamRevision('drawcount-x-2026')).toBe(0);
        // Both instances index the same ledger.
        expect(await a.head()).toEqual(await b.head());
        expect((await verifyLedger(b)).ok).toBe(true);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('positions stay gap-free and equal on every instance under concurrent appends from both', async () => {
      const [a, b] = await two();
      try {
        await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append(`s-${i % 3}-${randomUUID()}`, [newEvent()], 'noStream')));
        const [ea, eb] = [await a.readAll(), await b.readAll()];
        expect(ea.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(eb).toEqual(ea);
        expect(await verifyLedger(a)).toMatchObject({ ok: true, size: 20 });
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});
