/**
 * Issue 11 (V4): the replay page in a real browser (Debian's Chromium). A real completed draw on a
 * real SQLite ledger, served over real HTTP with a real Ed25519 log key: the bundled src/verify
 * replays it client-side and passes; a tampered record (edited in flight, as a dishonest server
 * would) fails and names the failing check; nothing is sent to the server after load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page, Request } from 'playwright-core';
import { buildApp } from '../../src/api/app.js';
import { completeDraw, type DrawRecord } from '../../src/verify/index.js';
import { DEADLINE, NOW, SECRETS, meta, openSeededHarness, withTask, witnessPlan, type Harness } from '../draws/harness.js';
import { serverLog } from '../helpers/proof-ledger.js';
import { launchChromium } from './harness.js';

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const ceremony = { label: '现场摇号机', alphabet: '0123456789', length: 6 };

interface Loaded {
  readonly page: Page;
  readonly requests: string[];
}

describe('issue 11 (V4): the draw replay page in a real browser', () => {
  let h: Harness;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let drawId: string;
  let record: DrawRecord;
  let log: ReturnType<typeof serverLog>;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    h = await openSeededHarness(12);
    drawId = await h.service.commitTargets(meta(), await withTask(h, { task: 'T-R1', item: 'ITEM-G1', classes: [{ name: '全部对象', filter: {}, quota: { count: 3 } }], entropy: { ...witnessPlan(), ceremony }, revealDeadline: DEADLINE }));
    await h.service.recordCeremony(meta(), drawId, { value: '402917' });
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    record = JSON.parse(JSON.stringify(await h.service.exportRecord(drawId))) as DrawRecord;
    log = serverLog(h.dataDir);
    app = await buildApp({ store: h.store, projections: h.projections, ledger: log.ledger, logVerifierKey: () => log.vkey }, { draws: { clock: () => new Date(NOW) }, publicRateLimit: false });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    log?.close();
    await h?.close();
  });

  /** Opens the replay page; `edit` rewrites the record embedded in the HTML in flight (a tampering server). */
  async function open(edit?: (r: DrawRecord) => DrawRecord): Promise<Loaded> {
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r: Request) => requests.push(r.url()));
    if (edit) {
      await page.route(`${base}/public/draws/*`, async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace(/(<script type="application\/json" id="draw-record">)(.*?)(<\/script>)/s, (_m, a: string, json: string, c: string) =>
          `${a}${JSON.stringify(edit(JSON.parse(json) as DrawRecord)).replace(/</g, '\\u003c')}${c}`);
        await route.fulfill({ response, body });
      });
    }
    await page.goto(`${base}/public/draws/${encodeURIComponent(drawId)}`);
    await page.waitForSelector('body[data-replay="done"]', { state: 'attached', timeout: 30_000 }).catch(() => {
      throw new Error(`replay did not run: ${errors.join('; ')}`);
    });
    return { page, requests };
  }

  const statuses = (page: Page) =>
    page.$$eval('#replay-result tr[data-check]', (rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-check'), r.getAttribute('data-status')])));

  it('V4: a real completed draw replays client-side and passes every check (pool hash, entropy, seed, result, inclusion, signature, binding); nothing is sent after load', async () => {
    const { page, requests } = await open();
    expect(await page.getAttribute('#replay-result [data-verdict]', 'data-verdict')).toBe('pass');
    expect(await page.textContent('#replay-result')).toContain('复核结论：通过');
    expect(await statuses(page)).toEqual({ commitment: 'pass', pools: 'pass', entropy: 'pass', seed: 'pass', result: 'pass', signature: 'pass', inclusion: 'pass', binding: 'pass' });
    await page.screenshot({ path: join(shots, 'replay-pass.png'), fullPage: true });
    const fetched = requests.map((u) => new URL(u).pathname);
    // The page, its stylesheets and the verifier script: nothing else, and nothing posted.
    const allowed = [`/public/draws/${encodeURIComponent(drawId)}`, '/public/assets/site.css', '/public/assets/replay.css', '/public/assets/replay.js'];
    expect(fetched.filter((p) => !allowed.includes(p))).toEqual([]);
    expect(fetched).toContain('/public/assets/replay.js');
    // Checking a pasted file happens in the page too: still no request.
    const before = requests.length;
    await page.fill('#replay-input', JSON.stringify(record));
    await page.click('#replay-form button[type=submit]');
    await page.waitForSelector('#replay-own-result [data-verdict]');
    expect(await page.getAttribute('#replay-own-result [data-verdict]', 'data-verdict')).toBe('pass');
    expect(requests.slice(before)).toEqual([]);
    await page.close();
  });

  it('V4: a record whose result was edited in flight fails, and the page names the result check as where it breaks', async () => {
    const { page } = await open((r) => {
      const res = r.result as unknown as { merged: string[]; classes: { selected: string[]; picked: string[] }[] };
      const swapped = res.merged[0]!.slice(0, -1) + (res.merged[0]!.endsWith('0') ? '1' : '0');
      res.merged[0] = swapped;
      return r;
    });
    expect(await page.getAttribute('#replay-result [data-verdict]', 'data-verdict')).toBe('fail');
    expect(await page.textContent('#replay-result')).toContain('复核结论：不通过');
    expect(await page.getAttribute('#replay-result [data-broken]', 'data-broken')).toBe('result');
    expect(await statuses(page)).toMatchObject({ commitment: 'pass', pools: 'pass', entropy: 'pass', seed: 'pass', result: 'fail' });
    await page.screenshot({ path: join(shots, 'replay-tampered-result.png'), fullPage: true });
    await page.close();
  });

  it('issue 7 §2 regression (forged record verifies), in the browser: a consistent forgery (other ceremony value) replays but fails the ledger binding', async () => {
    const { page } = await open((r) => JSON.parse(JSON.stringify(completeDraw({ commitment: r.commitment, commitmentHash: r.commitmentHash, pools: r.pools }, { ...r.revealed!, ceremony: { value: '999999' } }))) as DrawRecord);
    expect(await page.getAttribute('#replay-result [data-verdict]', 'data-verdict')).toBe('fail');
    expect(await statuses(page)).toMatchObject({ commitment: 'pass', pools: 'pass', entropy: 'pass', seed: 'pass', result: 'pass', signature: 'pass', inclusion: 'pass', binding: 'fail' });
    expect(await page.getAttribute('#replay-result [data-broken]', 'data-broken')).toBe('binding');
    await page.screenshot({ path: join(shots, 'replay-forged.png'), fullPage: true });
    await page.close();
  });

  it('V4: without JavaScript the page still shows the record: parameters, pool size and hash, entropy, seed and result, in Chinese', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/public/draws/${encodeURIComponent(drawId)}`);
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('抽取参数');
    expect(text).toContain(record.commitmentHash);
    expect(text).toContain(record.seed);
    const pool = Object.keys(record.pools)[0]!;
    expect(text).toContain(pool);
    expect(text).toContain('402917');
    for (const id of (record.result as unknown as { merged: string[] }).merged) expect(text).toContain(id);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.screenshot({ path: join(shots, 'replay-nojs.png'), fullPage: true });
    await context.close();
  });
});
