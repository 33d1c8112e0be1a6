/**
 * P3/A1: the public statistics page in a real browser (Debian's Chromium) over the demo year: its
 * Chinese headings render, the charts are SVG drawn on the server (no script runs), the table has
 * its caption, and at 375 px nothing scrolls sideways. Screenshot: test-output/screenshots/stats.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { AS_OF, DemoLedger } from '../stats/demo-ledger.js';
import { launchChromium } from './harness.js';

const shots = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

describe('/public/statistics in Chromium (P3, A1)', () => {
  let demo: DemoLedger;
  let rt: Runtime;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    demo = new DemoLedger();
    rt = await openRuntime(demo.copy());
    app = await buildApp({ store: rt.store, projections: rt.projections }, { publicRateLimit: false, results: { clock: () => new Date(`${AS_OF}T12:00:00+08:00`) } });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await rt?.close();
    demo?.remove();
  });

  it('A1: the page renders its Chinese headings, server-drawn SVG charts and a captioned table, with no script and no sideways scroll at 375 px', async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, locale: 'zh-CN', javaScriptEnabled: false });
    const page = await ctx.newPage();
    const res = await page.goto(`${base}/public/statistics?year=2026`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('main h1').innerText()).toBe('考核统计 · 2026 年全年');
    expect(await page.locator('main h2').allInnerTexts()).toEqual(['图表', '各部门主要指标', '全部指标（合计）']);
    const charts = page.locator('figure.chart svg');
    expect(await charts.count()).toBe(2);
    // Drawn, not empty: bars are paths, and the chart has a visible size.
    expect(await page.locator('figure.chart svg path').count()).toBeGreaterThan(10);
    const box = await charts.first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(await page.locator('figure.chart svg text', { hasText: '按时录入（A2）' }).count()).toBe(1);
    expect(await page.locator('table caption').first().innerText()).toMatch(/^2026 年全年 .+ 主要指标$/);
    expect(await page.locator('script').count()).toBe(0);
    // The page's own scripts are off (there are none); Playwright's evaluate still measures the layout.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'scrolls sideways at 375 px').toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, 'stats.png'), fullPage: true });
    await ctx.close();
  });
});
