/**
 * Issue 12, load: autocannon against a real `suiji serve` (SQLite) — a public read (an RFC 9162
 * inclusion proof) and an authenticated register write (POST /targets, a fresh USCC each
 * request) — beside a bare fastify route served by its own process in the same run, so the
 * ratio says what suiji costs on this (loaded) machine. Short form: 1 s each, checks only that
 * the harness works (no errors, answers 2xx); RELIABILITY=full: 10 s each, figures into
 * bench/results/reliability.json with the load average. Three instances on one PostgreSQL are
 * not run: serve on PostgreSQL does not start on this branch (see crash.test.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { FULL, adminToken, bureau, freePort, freshUscc, healthy, loadAverage, recordResult, root, serve, targetBody } from './support.js';

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
interface CannonRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (req: { body?: string; headers?: Record<string, string> }) => { body?: string; headers?: Record<string, string> };
}
type Cannon = (opts: { url: string; connections: number; duration: number; requests?: CannonRequest[]; headers?: Record<string, string> }) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

let client = 0;
const DURATION = FULL ? 10 : 1;
const CONNECTIONS = 10;
const summary = (r: CannonResult) => ({ requestsPerSecond: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99, ok2xx: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts });

const figures: Record<string, unknown> = {};
afterAll(async () => recordResult('load', { durationSeconds: DURATION, connections: CONNECTIONS, loadAverageAfter: await loadAverage(), ...figures }));

const BARE = `
const fastify = require('fastify')();
fastify.get('/bare', async () => ({ ok: true }));
fastify.listen({ port: Number(process.argv[1]), host: '127.0.0.1' }).then(() => console.log('ready'));
`;

describe('issue 12 load: autocannon, one suiji instance beside a bare fastify route', () => {
  it('P1 load: public reads and authenticated writes answer 2xx under load, with no errors; figures beside a bare fastify route', async () => {
    const d = tempDir('suiji-rel-load-');
    const keys = runCli(['keys', 'init', '--data', d.path]); // proofs are served only by a county with a log key
    expect(keys.status, keys.stderr).toBe(0);
    // Anonymous reads are rate-limited per client address; behind a trusted proxy each request
    // here names its own client (X-Forwarded-For), as many citizens would, so the limit is not what is measured.
    const s = await serve(d.path, {}, undefined, ['--trust-proxy', '127.0.0.1']);
    const barePort = await freePort();
    const bare = spawn(process.execPath, ['-e', BARE, String(barePort)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const token = adminToken(d.path, {}, 'rel-load');
      expect(await healthy(s.base), s.stderr()).toBe(true);
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      expect((await fetch(`${s.base}/departments`, { method: 'POST', headers: auth, body: JSON.stringify(bureau) })).status).toBe(201);
      const readPath = '/ledger/proof/inclusion?index=0&size=2';
      const probe = await fetch(`${s.base}${readPath}`);
      expect(probe.status, await probe.text()).toBe(200);
      await new Promise<void>((r) => bare.stdout!.once('data', () => r()));

      figures.loadAverageBefore = await loadAverage();
      const bareRun = await autocannon({ url: `http://127.0.0.1:${barePort}`, connections: CONNECTIONS, duration: DURATION, requests: [{ path: '/bare' }] });
      const readRun = await autocannon({ url: s.base, connections: CONNECTIONS, duration: DURATION, requests: [{ path: readPath, setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': `10.${++client >> 16 & 255}.${client >> 8 & 255}.${client & 255}` } }) }] });
      const writeRun = await autocannon({
        url: s.base,
        connections: CONNECTIONS,
        duration: DURATION,
        requests: [{ method: 'POST', path: '/targets', headers: auth, setupRequest: (req) => ({ ...req, body: JSON.stringify(targetBody(freshUscc(5))) }) }],
      });
      for (const r of [bareRun, readRun, writeRun]) {
        expect(r.errors).toBe(0);
        expect(r.non2xx).toBe(0);
        expect(r['2xx']).toBeGreaterThan(0);
      }
      figures.sqliteOneInstance = {
        bareFastify: summary(bareRun),
        publicRead: { path: readPath, ...summary(readRun), ratioToBare: Math.round((readRun.requests.average / bareRun.requests.average) * 1000) / 1000 },
        authenticatedWrite: { path: 'POST /targets', ...summary(writeRun), ratioToBare: Math.round((writeRun.requests.average / bareRun.requests.average) * 1000) / 1000 },
      };
      figures.threeInstancesPostgres = 'not run: suiji serve on PostgreSQL stops in SqliteLedgerTree on this branch';
    } finally {
      bare.kill('SIGKILL');
      await s.kill9();
      d.remove();
    }
  }, 300_000);
});
