/**
 * Issue 12, load: autocannon against a real `suiji serve` (SQLite) — a public read (an RFC 9162
 * inclusion proof) and an authenticated register write (POST /targets, a fresh USCC each
 * request) — beside a bare fastify route served by its own process in the same run, so the
 * ratio says what suiji costs on this (loaded) machine. Short form: 1 s each, checks only that
 * the harness works (no errors, answers 2xx); RELIABILITY=full: 10 s each, figures into
 * bench/results/reliability.json with the load average. The second case does the same on one
 * PostgreSQL: one `suiji serve` instance, then three on the same database with the load spread
 * across them (one autocannon per instance, run together, summed), beside the bare route again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { freshSchema, postgresMissing, startPostgres } from '../helpers/postgres.js';
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
const PG_MISSING = postgresMissing();
if (PG_MISSING !== null) console.log(`reliability load: PostgreSQL case skipped — ${PG_MISSING}`);
const ratio = (a: CannonResult | number, bare: CannonResult): number => Math.round(((typeof a === 'number' ? a : a.requests.average) / bare.requests.average) * 1000) / 1000;
const xff = (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': `10.${++client >> 16 & 255}.${client >> 8 & 255}.${client & 255}` } });

function startBare(): Promise<{ port: number; kill(): void }> {
  return freePort().then(async (port) => {
    const child = spawn(process.execPath, ['-e', BARE, String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => child.stdout!.once('data', () => r()));
    return { port, kill: () => child.kill('SIGKILL') };
  });
}

/** One autocannon per instance, all at once; the connections split across them; figures summed (p50/p99: the worst). */
async function spread(bases: readonly string[], request: CannonRequest): Promise<{ results: CannonResult[]; requestsPerSecond: number; p50ms: number; p99ms: number; ok2xx: number; non2xx: number; errors: number }> {
  const per = Math.max(1, Math.round(CONNECTIONS / bases.length));
  const results = await Promise.all(bases.map((url) => autocannon({ url, connections: per, duration: DURATION, requests: [request] })));
  const sum = (f: (r: CannonResult) => number): number => results.reduce((a, r) => a + f(r), 0);
  return {
    results,
    requestsPerSecond: Math.round(sum((r) => r.requests.average) * 100) / 100,
    p50ms: Math.max(...results.map((r) => r.latency.p50)),
    p99ms: Math.max(...results.map((r) => r.latency.p99)),
    ok2xx: sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors + r.timeouts),
  };
}
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
    } finally {
      bare.kill('SIGKILL');
      await s.kill9();
      d.remove();
    }
  }, 300_000);

  it.skipIf(PG_MISSING !== null)('P1/P2 load on PostgreSQL: one instance, then three instances on one database (reads and writes spread across them) answer 2xx with no errors; figures beside a bare fastify route', async () => {
    const pg = await startPostgres('suiji_rel_load');
    const env = { SUIJI_STORE: pg.url(freshSchema('load')) };
    const dirs = [tempDir('suiji-rel-load-pg-'), tempDir('suiji-rel-load-pg-'), tempDir('suiji-rel-load-pg-')];
    const served: Awaited<ReturnType<typeof serve>>[] = [];
    const bare = await startBare();
    try {
      const keys = runCli(['keys', 'init', '--data', dirs[0]!.path]);
      expect(keys.status, keys.stderr).toBe(0);
      // Every instance signs with the same log key (as a county's several instances would).
      for (const d of dirs.slice(1)) cpSync(join(dirs[0]!.path, 'keys'), join(d.path, 'keys'), { recursive: true });
      const token = adminToken(dirs[0]!.path, env, 'rel-load-pg');
      for (const d of dirs) served.push(await serve(d.path, env, undefined, ['--trust-proxy', '127.0.0.1']));
      for (const s of served) expect(await healthy(s.base), s.stderr()).toBe(true);
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      expect((await fetch(`${served[0]!.base}/departments`, { method: 'POST', headers: auth, body: JSON.stringify(bureau) })).status).toBe(201);
      const readPath = '/ledger/proof/inclusion?index=0&size=2';
      for (const s of served) {
        const probe = await fetch(`${s.base}${readPath}`);
        expect(probe.status, await probe.text()).toBe(200);
      }
      const read: CannonRequest = { path: readPath, setupRequest: xff };
      const write: CannonRequest = { method: 'POST', path: '/targets', headers: auth, setupRequest: (req) => ({ ...req, body: JSON.stringify(targetBody(freshUscc(6))) }) };

      const loadAverageBefore = await loadAverage();
      const bareRun = await autocannon({ url: `http://127.0.0.1:${bare.port}`, connections: CONNECTIONS, duration: DURATION, requests: [{ path: '/bare' }] });
      const oneRead = await spread([served[0]!.base], read);
      const oneWrite = await spread([served[0]!.base], write);
      const threeRead = await spread(served.map((s) => s.base), read);
      const threeWrite = await spread(served.map((s) => s.base), write);
      for (const r of [oneRead, oneWrite, threeRead, threeWrite]) {
        expect(r.errors).toBe(0);
        expect(r.non2xx).toBe(0);
        expect(r.ok2xx).toBeGreaterThan(0);
      }
      const { results: _r1, ...oneReadFig } = oneRead;
      const { results: _r2, ...oneWriteFig } = oneWrite;
      const { results: _r3, ...threeReadFig } = threeRead;
      const { results: _r4, ...threeWriteFig } = threeWrite;
      figures.postgres = {
        loadAverageBefore,
        bareFastify: summary(bareRun),
        oneInstance: {
          publicRead: { path: readPath, ...oneReadFig, ratioToBare: ratio(oneRead.requestsPerSecond, bareRun) },
          authenticatedWrite: { path: 'POST /targets', ...oneWriteFig, ratioToBare: ratio(oneWrite.requestsPerSecond, bareRun) },
        },
        threeInstances: {
          publicRead: { path: readPath, ...threeReadFig, ratioToBare: ratio(threeRead.requestsPerSecond, bareRun) },
          authenticatedWrite: { path: 'POST /targets', ...threeWriteFig, ratioToBare: ratio(threeWrite.requestsPerSecond, bareRun) },
        },
      };
    } finally {
      bare.kill();
      for (const s of served) await s.kill9();
      for (const d of dirs) d.remove();
      pg.stop();
    }
  }, 300_000);
});
