import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/app.js';
import { openRuntime } from '../src/cli/runtime.js';
import { seedDemoAdmin } from './demo-admin.js';
import { envInt, rate, writeResult } from './util.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Requests/s over real loopback HTTP with `concurrency` requests in flight, keep-alive. */
async function load(url: string, total: number, concurrency: number, headers: Record<string, string> = {}): Promise<number> {
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < total) {
      sent++;
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return rate(total, performance.now() - t0);
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

/**
 * GET /health of the real app, and an authenticated read (GET /departments with a bearer token:
 * since issue 7 every request reads the token's and the user's streams from the ledger), versus
 * a bare fastify route, same process, same load.
 */
export async function benchHttp(): Promise<object> {
  const total = envInt('BENCH_HTTP_REQUESTS', 20_000);
  const concurrency = 32;
  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  const bareUrl = await listen(bare);
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-http-'));
  const rt = await openRuntime(dir);
  const bearer = await seedDemoAdmin(rt.store);
  await rt.projections.start();
  const auth = { authorization: bearer };
  // The anonymous rate limit would answer 429 under a load test; this measures the route itself.
  const app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: false });
  const appUrl = await listen(app);
  try {
    await load(`${bareUrl}/bare`, 2_000, concurrency); // warm-up
    await load(`${appUrl}/health`, 2_000, concurrency);
    const bareRps = await load(`${bareUrl}/bare`, total, concurrency);
    const healthRps = await load(`${appUrl}/health`, total, concurrency);
    await load(`${appUrl}/departments`, 2_000, concurrency, auth);
    const authenticatedRps = await load(`${appUrl}/departments`, total, concurrency, auth);
    const result = {
      requests: total,
      concurrency,
      bareRouteRps: bareRps,
      healthRps,
      ratioToBare: +(healthRps / bareRps).toFixed(3),
      authenticatedRoute: 'GET /departments with a bearer token (token and user streams read from the ledger per request)',
      authenticatedRps,
      authenticatedRatioToBare: +(authenticatedRps / bareRps).toFixed(3),
    };
    writeResult('http', result);
    return result;
  } finally {
    await bare.close();
    await app.close();
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
