/**
 * Issue 11, the public site in a real browser (Debian's Chromium): each page type renders with
 * its Chinese heading, search finds a business by name and by credit code, hostile register
 * entries render as text (no dialog fires, no injected element exists), and the layout at
 * 375 px has no horizontal scroll. Screenshots: test-output/screenshots/site-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HOSTILE, openSeededSite, type SeededSite } from '../api/site/seeded-site.js';
import { launchChromium } from './harness.js';

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const CJK = /[\u4e00-\u9fff]/;

describe('the public site in Chromium over the seeded demo county', () => {
  let s: SeededSite;
  let base: string;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const one = <T>(sql: string, ...p: unknown[]): T => s.rt.projectionDb.prepare(sql).pluck().get(...p) as T;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    s = await openSeededSite(2000);
    base = await s.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    phone = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    page = await phone.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  /** Opens `path`, checks the h1 (Chinese, visible, in a CJK font's width), no horizontal scroll, and saves a screenshot. */
  async function visit(name: string, path: string): Promise<string> {
    const r = await page.goto(base + path);
    expect(r?.status(), path).toBe(200);
    const h1 = page.locator('main h1');
    await expect.poll(() => h1.isVisible()).toBe(true);
    const text = await h1.innerText();
    expect(text, path).toMatch(CJK);
    // The stylesheet loaded (CSP allows 'self'): the header has the site colour.
    expect(await page.locator('.site-header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(164, 22, 26)');
    // A CJK glyph renders at full width (a missing font would draw nothing or a narrow box).
    const w = await page.evaluate(() => {
      const c = document.createElement('canvas').getContext('2d')!;
      c.font = '20px "Noto Sans CJK SC"';
      return c.measureText('中').width;
    });
    expect(w).toBeGreaterThanOrEqual(19);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
    const png = await page.screenshot({ path: join(shots, `site-${name}.png`), fullPage: true });
    expect(png.length, path).toBeGreaterThan(10_000);
    return text;
  }

  it('each page type renders with Chinese text visible at 375 px without horizontal scroll', async () => {
    const result = one<string>("SELECT notice_id FROM notices WHERE kind = 'resultNotice' ORDER BY position LIMIT 1");
    const correction = one<string>("SELECT notice_id FROM notices WHERE kind = 'resultCorrectionNotice' LIMIT 1");
    const task = one<string>("SELECT notice_id FROM notices WHERE kind = 'taskNotice' AND json_extract(body, '$.targets') IS NOT NULL LIMIT 1");
    const plan = one<string>("SELECT notice_id FROM notices WHERE kind = 'planNotice' ORDER BY position LIMIT 1");
    const uscc = one<string>('SELECT uscc FROM pub_businesses WHERE name IS NOT NULL LIMIT 1');
    const pages: [string, string][] = [
      ['home', '/'],
      ['items', '/public/items'],
      ['item-list', `/public/items/${s.hostileList.departmentId}`],
      ['item-version', `/public/items/${s.hostileList.departmentId}/versions/${s.hostileList.version}`],
      ['plans', '/public/plans'],
      ['plan', `/public/plans/${plan}`],
      ['tasks', '/public/tasks'],
      ['task', `/public/tasks/${task}`],
      ['results', '/public/results'],
      ['result', `/public/results/${result}`],
      ['correction', `/public/results/${correction}`],
      ['draws', '/public/draws'],
      ['search', '/public/search'],
      ['business', `/public/businesses/${uscc}`],
      ['objection', `/public/objections/new?visit=x&notice=${result}`],
    ];
    for (const [name, path] of pages) await visit(name, path);
    const nf = await page.goto(`${base}/public/no-such-page`);
    expect(nf?.status()).toBe(404);
    expect(await page.locator('main h1').innerText()).toBe('页面不存在');
    await page.screenshot({ path: join(shots, 'site-404.png'), fullPage: true });
  });

  it('search finds a business by name (typed into the form) and by credit code, and opens its page', async () => {
    const b = s.rt.projectionDb.prepare('SELECT uscc, name FROM pub_businesses WHERE name IS NOT NULL LIMIT 1').get() as { uscc: string; name: string };
    await page.goto(`${base}/public/search`);
    await page.fill('#q', [...b.name].slice(3, 7).join(''));
    await Promise.all([page.waitForURL(/\/public\/search\?q=/), page.click('main button[type=submit]')]);
    const link = page.locator(`main table a[href="/public/businesses/${b.uscc}"]`);
    expect(await link.innerText()).toBe(b.name);
    await page.screenshot({ path: join(shots, 'site-search-name.png'), fullPage: true });
    await Promise.all([page.waitForURL(`**/public/businesses/${b.uscc}`), link.click()]);
    expect(await page.locator('main h1').innerText()).toBe(b.name);
    await page.goto(`${base}/public/search`);
    await page.fill('#q', b.uscc);
    await Promise.all([page.waitForURL(/\/public\/search\?q=/), page.click('main button[type=submit]')]);
    expect(await page.locator(`main table a[href="/public/businesses/${b.uscc}"]`).count()).toBe(1);
  });

  it('a <script> register entry and an attribute break-out render as text: no dialog, no injected element', async () => {
    await page.goto(`${base}/`);
    // The hostile department publishes the demo's result notices: its name is in the latest-notices table, as text.
    const cells = await page.locator('main td').allInnerTexts();
    expect(cells).toContain(HOSTILE.script);
    await page.goto(`${base}/public/items/${s.hostileList.departmentId}/versions/${s.hostileList.version}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain(HOSTILE.attribute);
    expect(text).toContain(HOSTILE.legal);
    await page.goto(`${base}/public/search?q=${encodeURIComponent(HOSTILE.attribute)}`);
    expect(await page.inputValue('#q')).toBe(HOSTILE.attribute);
    await page.goto(`${base}/public/search?q=${encodeURIComponent(HOSTILE.script)}`);
    for (const p of ['/', `/public/items/${s.hostileList.departmentId}/versions/${s.hostileList.version}`]) {
      await page.goto(base + p);
      expect(await page.evaluate(() => document.querySelectorAll('main script, main img, main svg, body > script').length)).toBe(0);
    }
    await page.screenshot({ path: join(shots, 'site-hostile.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });
});
