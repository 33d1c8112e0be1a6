/**
 * Issue 11: `suiji export public DIR` — the public site and its data as static files. A real
 * ledger with a filed plan, a dispatched task (notices) and a completed draw, a real log key;
 * DIR is served by a plain static file server and opened in Chromium: the pages are there and
 * the in-browser replay passes from the static copy too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { exportPublic } from '../../src/api/site/export.js';
import { exportPublicStatistics, STATS_EXPORT_FILES } from '../../src/cli/commands/export-public.js';
import { processContext, runProgram } from '../../src/cli/program.js';
import { anchorDrawRecord, verifyLedgerProof } from '../../src/verify/index.js';
import { type Harness } from '../api/registers/harness.js';
import { drawBody, drawToCompletion, openTaskHarness, seedWorld, taskBody } from '../api/tasks/fixtures.js';
import { launchChromium } from '../browser/harness.js';
import { serverLog } from '../helpers/proof-ledger.js';
import { tempDir } from '../helpers/temp-dir.js';

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.vkey': 'text/plain' };

/** A plain static file server (no suiji code): `/a/b/` → `a/b/index.html`, other paths as files. */
async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) {
      path = join(path, 'index.html');
      file = join(file, 'index.html');
    }
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'text/plain; charset=utf-8' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${addr.port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('issue 11: suiji export public DIR', () => {
  let h: Harness;
  let app: FastifyInstance;
  let log: ReturnType<typeof serverLog>;
  const out = tempDir('suiji-export-');
  const dir = join(out.path, 'site');
  let drawId = '';
  let taskId = '';

  beforeAll(async () => {
    h = await openTaskHarness();
    await seedWorld(h);
    const created = await h.call('opA', 'POST', '/tasks', taskBody());
    taskId = (created.json() as { taskId: string }).taskId;
    drawId = await drawToCompletion(h, h.bearer('opA'), drawBody(taskId));
    expect((await h.call('principalA', 'POST', `/tasks/${taskId}/lock`, { drawId })).statusCode).toBe(201);
    expect((await h.call('principalA', 'POST', `/tasks/${taskId}/dispatch`)).statusCode).toBe(201);
    await h.rt.projections.catchUp();
    log = serverLog(h.rt.dataDir);
    app = await buildApp({ store: h.rt.store, projections: h.rt.projections, ledger: log.ledger, logVerifierKey: () => log.vkey }, { publicRateLimit: false });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    log?.close();
    await h?.close();
    out.remove();
  });

  it('P2/V4: writes the pages, assets, records and notices with proofs, the signed checkpoint and key, a manifest, and runs the statistics hook', async () => {
    const s = await exportPublic(app, h.rt.projectionDb, dir, {
      logVerifierKey: log.vkey,
      hooks: [async (ctx) => ctx.write('stats/hook.json', JSON.stringify({ fromHook: true }))],
    });
    expect(s.draws).toBe(1);
    expect(s.notices).toBeGreaterThanOrEqual(2);
    const enc = encodeURIComponent(drawId);
    for (const f of ['index.html', 'public/ledger/index.html', 'public/draws/index.html', `public/draws/${drawId}/index.html`, 'public/assets/replay.js', 'public/assets/site.css',
      `draws/${drawId}/export.json`, `draws/${drawId}/proof.json`, 'notices.json', `notices/taskNotice-${taskId}.json`, `notices/taskNotice-${taskId}/proof.json`, 'ledger/checkpoint', 'ledger/log.vkey', 'manifest.json', 'stats/hook.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    // The draw's record and proof, as files, anchor offline under the log key.
    const record = JSON.parse(readFileSync(join(dir, `draws/${drawId}/export.json`), 'utf8')) as unknown;
    const proof = JSON.parse(readFileSync(join(dir, `draws/${drawId}/proof.json`), 'utf8')) as unknown;
    expect(anchorDrawRecord(record, proof, [log.key]).ok).toBe(true);
    const noticeProof = JSON.parse(readFileSync(join(dir, `notices/taskNotice-${taskId}/proof.json`), 'utf8')) as unknown;
    expect(verifyLedgerProof(noticeProof, [log.key]).ok).toBe(true);
    // Links are rewritten to the static files: the replay page's downloads point at .json files.
    const replay = readFileSync(join(dir, `public/draws/${drawId}/index.html`), 'utf8');
    expect(replay).toContain(`href="/draws/${enc}/export.json"`);
    expect(replay).not.toMatch(/href="\/[^"]*\?/);
    // The manifest's sums are the files' sums.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { checkpoint: { size: number }; files: { path: string; sha256: string }[] };
    expect(manifest.checkpoint.size).toBeGreaterThan(0);
    for (const f of manifest.files) expect(createHash('sha256').update(readFileSync(join(dir, decodeURIComponent(f.path)))).digest('hex'), f.path).toBe(f.sha256);
    // Only public reads: the export holds no token, user or staff-only data.
    const all = manifest.files.map((f) => f.path).join('\n');
    expect(all).not.toMatch(/tokens|secretHash|\/users\//);
  });

  it('regression (stats/* written twice, once by the statistics module and again for the manifest): the hook writes them once and records them; the manifest lists and hashes each once', async () => {
    const target = join(out.path, 'stats-once');
    const written: string[] = [];
    const stats = exportPublicStatistics(h.rt);
    await exportPublic(app, h.rt.projectionDb, target, {
      // The real hook, with ctx.write observed: every byte it writes through the context is counted.
      hooks: [async (ctx) => stats({ ...ctx, write: (rel, body) => (written.push(rel), ctx.write(rel, body)) })],
    });
    expect(written).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; bytes: number }[] };
    for (const path of STATS_EXPORT_FILES) {
      const listed = manifest.files.filter((f) => f.path === path);
      expect(listed, path).toHaveLength(1);
      const bytes = readFileSync(join(target, path));
      expect(bytes.length, path).toBeGreaterThan(0);
      expect(listed[0], path).toEqual({ path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    }
  });

  it('record: a path outside DIR or one already in the manifest is refused, and nothing is listed for it', async () => {
    const target = join(out.path, 'record-refusals');
    const refusals: string[] = [];
    await exportPublic(app, h.rt.projectionDb, target, {
      hooks: [
        async (ctx) => {
          for (const rel of ['../outside.json', 'notices.json']) await ctx.record(rel).catch((e: Error) => void refusals.push(e.message));
        },
      ],
    });
    expect(refusals).toHaveLength(2);
    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    expect(manifest.files.filter((f) => f.path === 'notices.json')).toHaveLength(1);
    expect(manifest.files.some((f) => f.path.includes('outside'))).toBe(false);
  });

  it('V4: the export served by a plain static server shows the pages in Chinese, and the in-browser replay passes there too', async () => {
    const server = await serveStatic(dir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/public/draws/${encodeURIComponent(drawId)}/`);
      await page.waitForSelector('body[data-replay="done"]', { state: 'attached', timeout: 30_000 }).catch(() => {
        throw new Error(`replay did not run: ${errors.join('; ')}`);
      });
      expect(await page.getAttribute('#replay-result [data-verdict]', 'data-verdict')).toBe('pass');
      mkdirSync(join(import.meta.dirname, '..', '..', 'test-output', 'screenshots'), { recursive: true });
      await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'test-output', 'screenshots', 'replay-static-export.png'), fullPage: true });
      await page.goto(`${server.url}/public/ledger/`);
      expect(await page.textContent('main')).toContain('最新签名检查点');
      await page.goto(`${server.url}/`);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await page.click('a[href="/public/draws"]');
      expect(await page.textContent('main')).toContain(drawId);
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('issue 11: the CLI command exports a data directory, and refuses a non-empty DIR (coded, names DIR, writes nothing)', async () => {
    const copy = join(out.path, 'data');
    cpSync(h.rt.dataDir, copy, { recursive: true });
    const lines: string[] = [];
    const ctx = { ...processContext(), out: (l: string) => void lines.push(l), write: (t: string) => void lines.push(t), err: (l: string) => void lines.push(l) };
    const target = join(out.path, 'cli-site');
    expect(await runProgram(['export', 'public', target, '--data', copy], ctx)).toBe(0);
    expect(lines.at(-1)).toContain('signed checkpoint');
    expect(existsSync(join(target, `public/draws/${drawId}/index.html`))).toBe(true);
    // P3: the statistics recompute from the public export alone, to the numbers of the ledger itself.
    const printed = async (args: string[]): Promise<string> => {
      const got: string[] = [];
      const c = { ...processContext(), out: (l: string) => void got.push(l), write: (t: string) => void got.push(t), err: () => undefined };
      expect(await runProgram(args, c)).toBe(0);
      return got.join('');
    };
    const manifest = JSON.parse(readFileSync(join(target, 'stats', 'stats.json'), 'utf8')) as { asOf: string; ledger: { size: number } };
    expect(manifest.ledger.size).toBeGreaterThan(0);
    const fromExport = await printed(['stats', '--from-export', target, '--year', '2026', '--format', 'csv']);
    expect(fromExport.split('\n').length).toBeGreaterThan(2);
    expect(fromExport).toBe(await printed(['stats', '--data', copy, '--year', '2026', '--as-of', manifest.asOf, '--format', 'csv']));
    const busy = join(out.path, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'x'), 'x');
    await expect(runProgram(['export', 'public', busy, '--data', copy], ctx)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'DIR' } });
  });
});
