/**
 * GET /feed: events/s delivered to `consumers` concurrent SSE consumers over real loopback HTTP
 * (catch-up from position 0 to the head, one store subscription per connection, as served),
 * versus the floor measured in the same run: `readAll` alone over the same events, in pages.
 * A third figure is the alternative design the route does not use: one shared subscription
 * whose frames are formatted once and written to every consumer (a bare http server).
 *
 *   BENCH_FEED_EVENTS (default 20000)    ledger size (public events: every consumer gets all)
 *   BENCH_FEED_CONSUMERS (default 10)    concurrent consumers
 */
import { randomUUID } from 'node:crypto';
import { createServer, request, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/api/app.js';
import { sseFrame, toCloudEvent } from '../src/app/feed/index.js';
import { openRuntime } from '../src/cli/runtime.js';
import { viewFor } from '../src/domain/publicity.js';
import type { NewEvent } from '../src/store/port.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench-user', role: 'principal', department: 'dept-bench' } as const;

/** Reads one SSE stream until the frame with id `last`; resolves with the bytes received. */
function consume(url: string, last: number): Promise<number> {
  const marker = `\nid: ${last}\n`;
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${url}: HTTP ${res.statusCode}`));
      let bytes = 0;
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        tail = (tail + chunk).slice(-(chunk.length + marker.length));
        if (tail.includes(marker)) {
          res.destroy();
          resolve(bytes);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function runFeedBench(options: { events: number; consumers: number }): Promise<{
  events: number;
  consumers: number;
  ms: { readAll: number; feed: number; sharedTail: number };
  eventsPerSec: { readAll: number; feedDelivered: number; sharedTailDelivered: number };
  ratio: number;
  ratioSharedTail: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-feed-'));
  const rt = await openRuntime(dir);
  try {
    for (let from = 0; from < options.events; from += 1000) {
      const batch: NewEvent[] = Array.from({ length: Math.min(1000, options.events - from) }, (_, k) => ({
        eventId: randomUUID(),
        type: 'CeremonyValueRecorded',
        actor,
        correlationId: `corr-${from + k}`,
        payload: { drawId: `T-${Math.floor((from + k) / 100)}.primary.1`, value: `${from + k}`.padStart(64, '0') },
      }));
      await rt.store.append(`draw-T-${from}.primary`, batch, 'any');
    }
    const last = options.events - 1;

    // Floor: the same events read out of the store alone, in the subscription's page size.
    const r0 = performance.now();
    for (let from = 0; from < options.events; from += 500) await rt.store.readAll({ from, limit: 500 });
    const readAllMs = performance.now() - r0;

    const app = await buildApp(
      { store: rt.store, projections: rt.projections },
      { publicRateLimit: false, feed: { maxConnectionsPerClient: options.consumers, heartbeatMs: 60_000 } },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/feed`;
    const f0 = performance.now();
    await Promise.all(Array.from({ length: options.consumers }, () => consume(url, last)));
    const feedMs = performance.now() - f0;
    await app.close();

    // The alternative: one subscription, each frame formatted once, written to every consumer.
    const sinks = new Set<ServerResponse>();
    let ready: () => void = () => undefined;
    const allConnected = new Promise<void>((r) => (ready = r));
    const bare = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sinks.add(res);
      res.on('close', () => sinks.delete(res));
      if (sinks.size === options.consumers) ready();
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    const s0 = performance.now();
    const consumers = Array.from({ length: options.consumers }, () => consume(bareUrl, last));
    await allConnected;
    const sub = rt.store.subscribe(0, (event) => {
      const view = viewFor(null, event);
      if (view === null) return;
      const frame = sseFrame(String(event.position), toCloudEvent(event, view, 'urn:suiji:bench'));
      for (const s of sinks) s.write(frame);
    });
    await Promise.all(consumers);
    const sharedMs = performance.now() - s0;
    await sub.close();
    await new Promise<void>((r) => bare.close(() => r()));

    const delivered = options.events * options.consumers;
    const eventsPerSec = { readAll: rate(options.events, readAllMs), feedDelivered: rate(delivered, feedMs), sharedTailDelivered: rate(delivered, sharedMs) };
    return {
      events: options.events,
      consumers: options.consumers,
      ms: { readAll: Math.round(readAllMs), feed: Math.round(feedMs), sharedTail: Math.round(sharedMs) },
      eventsPerSec,
      ratio: Number((eventsPerSec.feedDelivered / eventsPerSec.readAll).toFixed(3)),
      ratioSharedTail: Number((eventsPerSec.sharedTailDelivered / eventsPerSec.readAll).toFixed(3)),
    };
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchFeed(): Promise<object> {
  const result = await runFeedBench({ events: envInt('BENCH_FEED_EVENTS', 20_000), consumers: envInt('BENCH_FEED_CONSUMERS', 10) });
  writeResult('feed', {
    ...result,
    note: 'eventsPerSec.feedDelivered = events × consumers ÷ wall time, each consumer catching up from 0 over real HTTP; ratio = feedDelivered ÷ readAll (the store alone, same events, same run); sharedTail = one subscription fanned out (not used by the route, for comparison)',
  });
  return result;
}
