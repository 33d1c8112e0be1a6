/**
 * V4: anyone can replay a draw in a browser. The compiled src/verify runs in headless
 * Chromium (Debian's), over the published vectors, and must agree with Node on every one —
 * including refusing a tampered record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { verifyDrawRecord } from '../../src/verify/index.js';
import { canonicalize } from '../../src/verify/jcs.js';
import { launchChromium, serveRepo } from './harness.js';

const root = join(import.meta.dirname, '..', '..');
const vectorDir = join(root, 'tests', 'vectors', 'lottery');
const vectorFiles = readdirSync(vectorDir).filter((f) => f.endsWith('.json') && f !== 'tsconfig.json');

interface Vector {
  readonly steps?: readonly { readonly record?: unknown }[];
}
const recordsOf = (file: string): unknown[] =>
  ((JSON.parse(readFileSync(join(vectorDir, file), 'utf8')) as Vector).steps ?? []).map((s) => s.record).filter((r) => r !== undefined);

/** Changes the last selected id of a record's result (or any string deep inside it). */
function tamper(record: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  const text = JSON.stringify(copy.result);
  const m = /"([0-9A-Z]{18})"/.exec(text) ?? /"([^"]{2,})"/.exec(text);
  if (!m) return { ...copy, result: null };
  const id = m[1]!;
  const swapped = id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');
  return { ...copy, result: JSON.parse(text.replace(`"${id}"`, `"${swapped}"`)) as unknown };
}

describe('V4: the lottery verifier runs unchanged in a browser', () => {
  let browser: Browser;
  let page: Page;
  let server: Awaited<ReturnType<typeof serveRepo>>;

  beforeAll(async () => {
    server = await serveRepo(root);
    browser = await launchChromium();
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/tests/browser/pages/verify.html`);
    await page.waitForSelector('body[data-ready="yes"]', { state: 'attached', timeout: 20_000 }).catch(() => {
      throw new Error(`verify page did not load: ${errors.join('; ')}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('has vectors to replay', () => {
    expect(vectorFiles.length).toBeGreaterThan(5);
    expect(vectorFiles.flatMap(recordsOf).length).toBeGreaterThan(5);
  });

  for (const file of vectorFiles) {
    it(`V4: ${file} — browser and Node give the same verdict, and both refuse a tampered record`, async () => {
      const records = recordsOf(file);
      for (const record of records) {
        const tampered = tamper(record);
        const inBrowser = await page.evaluate(
          ([r, t]) => {
            const v = (window as unknown as { suijiVerify: { verifyDrawRecord: (x: unknown) => unknown } }).suijiVerify;
            return [v.verifyDrawRecord(r), v.verifyDrawRecord(t)];
          },
          [record, tampered] as const,
        );
        const inNode = [verifyDrawRecord(record as never), verifyDrawRecord(tampered as never)];
        expect(canonicalize(inBrowser)).toBe(canonicalize(JSON.parse(JSON.stringify(inNode))));
        expect(inBrowser[0]).toMatchObject({ ok: true });
        expect(inBrowser[1]).toMatchObject({ ok: false });
      }
    });
  }
});
