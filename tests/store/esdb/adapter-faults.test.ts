/**
 * The EventStoreDB adapter's own code (index over $all, bookkeeping stream, idempotency,
 * reservation protocol) under faults injected through an in-memory model of the server
 * (model-server.ts) — no EventStoreDB server can run here. The contract suite over the model is
 * the baseline the fault cases start from; the same suite runs against a real server in
 * tests/store/esdb.test.ts when ESDB_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../contract/event-store-contract.js';
import { openEsdbStore, type EsdbEventStore } from '../../../src/store/esdb/index.js';
import { verifyLedger } from '../../../src/store/index.js';
import { newEvent, newEvents } from '../../helpers/events.js';
import { modelClient, ModelServer, type ClientFaults } from './model-server.js';

const open = (server: ModelServer, faults: ClientFaults = {}, leaseMs = 200): Promise<EsdbEventStore> =>
  openEsdbStore({ connectionString: 'esdb://model', ledger: 'county', client: modelClient(server, faults), pollIntervalMs: 20, leaseMs });

describeEventStoreContract('EventStoreDB adapter over the in-memory server model (not a real server)', async (options = {}) => {
  const store = await openEsdbStore({ connectionString: 'esdb://model', client: modelClient(new ModelServer()), pollIntervalMs: 20, leaseMs: 200, ...options });
  return { store, cleanup: () => store.close() };
});

describe('EventStoreDB adapter under injected faults (in-memory server model)', () => {
  it('PL5: an instance that dies after its reservations, before deciding, leaves nothing counted; another instance waits out the lease, releases them and records its draw', async () => {
    const server = new ModelServer();
    // Instance A dies on its third physical write: both reservations written, no decision.
    const a = await open(server, { beforeAppend: (_s, n) => (n === 2 ? 'crash' : 'ok') });
    const b = await open(server);
    const draw = (id: string) => [
      { streamId: `draw-${id}`, events: [newEvent()], expected: 'noStream' as const },
      { streamId: 'drawcount-91370000-2026', events: [newEvent()], expected: 'noStream' as const },
    ];
    await expect(a.appendMulti(draw('a'))).rejects.toThrow();
    expect(server.all.filter((e) => e.streamId.startsWith('county/')).map((e) => e.streamId)).toEqual(['county/draw-a', 'county/drawcount-91370000-2026']);
    // B's catch-up finds the undecided reservations, waits out their lease, releases them; its draw then goes through.
    const [, counter] = await b.appendMulti(draw('b2'));
    expect(counter).toMatchObject({ streamId: 'drawcount-91370000-2026', nextRevision: 0 });
    expect((await b.readAll()).map((e) => e.streamId)).toEqual(['draw-b2', 'drawcount-91370000-2026']);
    expect(await verifyLedger(b)).toMatchObject({ ok: true, size: 2 });
    await a.close();
    await b.close();
  });

  it('an append whose answer was lost is retried with the same ids: replayed, nothing written twice', async () => {
    const server = new ModelServer();
    const s = await open(server, { beforeAppend: (stream, n) => (n === 0 && stream.startsWith('county/') ? 'lost' : 'ok') });
    const events = newEvents(2);
    await expect(s.append('target-1', events, 'noStream')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await s.append('target-1', events, 'noStream')).toEqual({ streamId: 'target-1', nextRevision: 1, position: 1, replayed: true });
    expect(await s.readAll()).toHaveLength(2);
    await s.close();
  });

  it('a failure before the write is STORE_UNAVAILABLE and writes nothing', async () => {
    const server = new ModelServer();
    const s = await open(server, { beforeAppend: (_s, n) => (n === 0 ? 'fail' : 'ok') });
    await expect(s.append('x', [newEvent()], 'any')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await s.head()).toMatchObject({ size: 0 });
    await s.close();
  });

  it('positions are gap-free and the same on two instances although $all commit positions have gaps and hold other streams', async () => {
    const server = new ModelServer();
    const [a, b] = [await open(server), await open(server)];
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).append(`s-${i}`, [newEvent()], 'noStream')));
    const [ea, eb] = [await a.readAll(), await b.readAll()];
    expect(ea.map((e) => e.position)).toEqual([...Array(12).keys()]);
    expect(eb).toEqual(ea);
    expect((await verifyLedger(a)).ok).toBe(true);
    expect(server.all.some((e) => e.streamId === 'other-app-orders')).toBe(true);
    await a.close();
    await b.close();
  });

  it('events that vanish from $all (a stream hard-deleted and scavenged): verify names the first lost position and appends are refused', async () => {
    const server = new ModelServer();
    const s = await open(server);
    await s.append('keep', [newEvent()], 'noStream');
    await s.append('gone', [newEvent()], 'noStream');
    await s.append('keep', [newEvent()], 0);
    await s.close();
    server.erase('county/gone');
    const again = await open(server);
    const v = await verifyLedger(again);
    // Position 1 now holds what was position 2: it does not give the hash recorded for position 1.
    expect(v).toMatchObject({ ok: false, position: 1, reason: 'leaf-hash-mismatch' });
    await expect(again.append('keep', [newEvent()], 'any')).rejects.toMatchObject({ code: 'LEDGER_CORRUPT', details: { reason: 'head-rows-mismatch' } });
    await again.close();
  });

  it('concurrent appends, head and checkpoint reads in one process: every checkpoint once, strictly increasing, and the ledger verifies', async () => {
    const s = await open(new ModelServer());
    // Each append ends with a checkpoint write; the reads in between start catch-ups that read the bookkeeping stream too.
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? s.append(`r-${round}-${i}`, [newEvent()], 'noStream') : i % 3 ? s.head() : s.checkpoints())),
      );
    }
    const cps = await s.checkpoints();
    expect(cps.map((c) => c.size)).toEqual([...new Set(cps.map((c) => c.size))].sort((a, b) => a - b));
    expect(await verifyLedger(s)).toMatchObject({ ok: true, size: 75 });
    await s.close();
  });

  it('a domain stream id in the bookkeeping namespace is refused, naming the field', async () => {
    const s = await open(new ModelServer());
    await expect(s.append('suiji~tx-1', [newEvent()], 'any')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'streamId' } });
    await s.close();
  });
});
