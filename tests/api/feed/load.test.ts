import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mayRead } from '../../../src/domain/publicity.js';
import { FeedClient } from './sse-client.js';
import { publicEvent, startFeedServer, writeMixed, type FeedServer } from './fixture.js';

const publicPositions = async (s: FeedServer, after: number): Promise<number[]> =>
  (await s.rt.store.readAll({ from: after + 1 })).filter((e) => mayRead(null, e.type)).map((e) => e.position);

describe('GET /feed under a live write load (P2, V4)', () => {
  let server: FeedServer;
  beforeAll(async () => {
    // Cut connections are counted until the server sees them close; the limit is not what this tests.
    server = await startFeedServer({ maxConnectionsPerClient: 1000 });
    await writeMixed(server, 2);
  });
  afterAll(async () => server.close());

  it('P2/V4: disconnecting and resuming at random points over live writes yields the ledger public sequence, no gap, no duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ take: fc.integer({ min: 0, max: 8 }), viaHeader: fc.boolean() }), { minLength: 1, maxLength: 5 }),
        async (cuts) => {
          const start = (await server.rt.store.head()).size - 1;
          const rounds = cuts.reduce((n, c) => n + c.take, 0) + 3;
          let written = false;
          let current: FeedClient | undefined;
          const writing = writeMixed(server, rounds).then(() => {
            written = true;
            current?.wake();
          });
          const received: number[] = [];
          let last = start;
          const connect = (viaHeader: boolean): Promise<FeedClient> =>
            viaHeader ? FeedClient.open(`${server.url}/feed?after=0`, { 'last-event-id': String(last) }) : FeedClient.open(`${server.url}/feed?after=${last}`);
          for (const cut of cuts) {
            const c = (current = await connect(cut.viaHeader));
            expect(c.status).toBe(200);
            // A cut after `take` events, or wherever the stream is once the writer is done.
            await c.until((x) => x.ids().length >= cut.take || written, `${cut.take} events`);
            // Cut at once, possibly mid-frame: only whole frames count, as for a real client.
            c.close();
            received.push(...c.ids());
            last = c.lastId() ?? last;
          }
          await writing;
          const expected = await publicPositions(server, start);
          const c = await connect(true);
          await c.until((x) => (x.lastId() ?? last) >= expected.at(-1)!, 'the last written event');
          c.close();
          received.push(...c.ids());
          expect(received).toEqual(expected);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('a consumer that stops reading stalls neither the writer nor a second consumer; it is closed with event: error and resumes without gap', async () => {
    // Two streams per client: while the slow stream is open a third is refused (429), which is how
    // this test sees, without reading, that the server has closed the slow one.
    const slowServer = await startFeedServer({ highWaterBytes: 16 * 1024, stallMs: 200, closeGraceMs: 120_000, maxConnectionsPerClient: 2 });
    try {
      const slow = await FeedClient.open(`${slowServer.url}/feed`);
      slow.pause();
      const fast = await FeedClient.open(`${slowServer.url}/feed`);
      // Write until the kernel's socket buffers on both sides (their size depends on the machine and
      // its load) and then the server's queue are full and the slow stream is closed; the fast one
      // keeps up throughout.
      let final = -1;
      for (let round = 0; round < 40; round++) {
        for (let b = 0; b < 10; b++) await slowServer.rt.store.append('draw-T1.primary', Array.from({ length: 100 }, () => publicEvent(4000)), 'any');
        final = (await slowServer.rt.store.head()).size - 1;
        await fast.until((x) => x.lastId() === final, 'every event at the second consumer');
        await new Promise((r) => setTimeout(r, 600));
        const probe = await FeedClient.open(`${slowServer.url}/feed?after=${final - 1}`);
        const slowClosed = probe.status === 200;
        probe.close();
        if (slowClosed) break;
      }
      expect(fast.ids()).toEqual(Array.from({ length: final + 1 }, (_, i) => i));
      slow.resume();
      await slow.until((x) => x.ended || x.lastId() === final, 'the end of the slow stream');
      const error = slow.frames.find((f) => f.event === 'error');
      expect(error, 'the slow stream was never closed').toBeDefined();
      const reason = JSON.parse(error!.data!) as { error: string; details: { lastEventId: string } };
      expect(reason.error).toBe('SLOW_CONSUMER');
      const got = slow.ids();
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i));
      expect(reason.details.lastEventId).toBe(String(got.at(-1)));
      const again = await FeedClient.open(`${slowServer.url}/feed`, { 'last-event-id': reason.details.lastEventId });
      await again.until((x) => x.lastId() === final, 'the rest after resuming');
      again.close();
      expect([...got, ...again.ids()]).toEqual(Array.from({ length: final + 1 }, (_, i) => i));
      fast.close();
    } finally {
      await slowServer.close();
    }
  }, 300_000);
});
