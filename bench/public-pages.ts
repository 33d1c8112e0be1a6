/**
 * `BENCH_ONLY=public-pages`: requests/s of the public site's pages with autocannon — a notice
 * list (/public/tasks), a business page (/public/businesses/:uscc) and a draw replay page
 * (/public/draws/:drawId, which builds the record and its ledger proof bundle per request) —
 * versus a bare fastify route in the same run. Real data: the demo county and its year
 * (`suiji demo seed`), a real log key, real loopback HTTP.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/api/app.js';
import { initLogKey } from '../src/app/ledger/index.js';
import { seedDemo } from '../src/cli/commands/demo.js';
import { openRuntime } from '../src/cli/runtime.js';
import { envInt, writeResult } from './util.js';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

/** Mean requests/s over `seconds` with `connections` keep-alive connections; any non-2xx fails the bench. */
async function rps(url: string, seconds: number, connections: number): Promise<{ rps: number; p99ms: number }> {
  const r = await autocannon({ url, duration: seconds, connections, pipelining: 1 });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: Math.round(r.requests.average), p99ms: r.latency.p99 };
}

export async function benchPublicPages(): Promise<object> {
  const seconds = envInt('BENCH_PAGES_SECONDS', 5);
  const targets = envInt('BENCH_PAGES_TARGETS', 2_000);
  const connections = 10;
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-pages-'));
  const rt = await openRuntime(dir);
  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  let app: FastifyInstance | undefined;
  try {
    await seedDemo(rt, { seed: 370323, targets }, () => undefined);
    await rt.projections.catchUp();
    const { vkey } = initLogKey(dir);
    app = await buildApp({ store: rt.store, projections: rt.projections, ledger: rt.ledger, logVerifierKey: () => vkey }, { publicRateLimit: false, results: { calendar: rt.calendar } });
    const db = rt.projectionDb;
    const drawId = db.prepare("SELECT draw_id FROM draws WHERE status = 'completed' ORDER BY committed_position LIMIT 1").pluck().get() as string | undefined;
    const uscc = db.prepare('SELECT uscc FROM pub_business_notices GROUP BY uscc ORDER BY count(*) DESC LIMIT 1').pluck().get() as string | undefined;
    if (!drawId || !uscc) throw new Error('demo year has no completed draw or no business with notices');
    const bareUrl = await listen(bare);
    const appUrl = await listen(app);
    const pages = {
      noticeList: `${appUrl}/public/tasks`,
      business: `${appUrl}/public/businesses/${uscc}`,
      draw: `${appUrl}/public/draws/${encodeURIComponent(drawId)}`,
    };
    // Warm-up: the first replay page signs a checkpoint and fills the proof cache.
    for (const url of [`${bareUrl}/bare`, ...Object.values(pages)]) await rps(url, 1, connections);
    const bareRoute = await rps(`${bareUrl}/bare`, seconds, connections);
    const measured: Record<string, { rps: number; p99ms: number; ratioToBare: number }> = {};
    for (const [name, url] of Object.entries(pages)) {
      const m = await rps(url, seconds, connections);
      measured[name] = { ...m, ratioToBare: +(m.rps / bareRoute.rps).toFixed(3) };
    }
    const result = {
      tool: 'autocannon',
      seconds,
      connections,
      demoTargets: targets,
      ledgerEvents: (await rt.store.head()).size,
      pages: { noticeList: '/public/tasks', business: `/public/businesses/${uscc}`, draw: `/public/draws/${drawId}` },
      bareRoute,
      ...measured,
    };
    writeResult('public-pages', result);
    return result;
  } finally {
    await bare.close();
    await app?.close();
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
