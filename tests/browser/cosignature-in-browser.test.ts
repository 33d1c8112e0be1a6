/**
 * V4: a witness's cosignature can be checked in a browser. The compiled src/verify
 * (cosignature.ts on note.ts, @noble only) runs in headless Chromium on the cosignature Go made
 * (tests/vectors/cosignature) and refuses it once the checkpoint is altered.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveRepo } from './harness.js';

const root = join(import.meta.dirname, '..', '..');
const vector = JSON.parse(readFileSync(join(root, 'tests', 'vectors', 'cosignature', 'go-cosigned.json'), 'utf8')) as { witnessKey: string; timestamp: number; note: string };

describe('V4: cosignatures verify in a browser', () => {
  let browser: Browser;
  let page: Page;
  let server: Awaited<ReturnType<typeof serveRepo>>;

  beforeAll(async () => {
    server = await serveRepo(root);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${server.url}/tests/browser/pages/verify.html`);
    await page.waitForSelector('body[data-ready="yes"]', { state: 'attached', timeout: 20_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("V4: Chromium accepts Go's cosignature with the witness key and refuses it over an altered checkpoint", async () => {
    const [good, bad] = await page.evaluate(
      ([note, vkey]) => {
        const v = (window as unknown as { suijiVerify: Record<string, (...a: unknown[]) => unknown> }).suijiVerify;
        const key = v.parseCosignerKey!(vkey);
        const attempt = (n: string): unknown => {
          try {
            return v.verifyCosignature!(n, key);
          } catch (e) {
            return { code: (e as { code?: string }).code };
          }
        };
        return [attempt(note), attempt(note.replace('\n20852163\n', '\n20852164\n'))];
      },
      [vector.note, vector.witnessKey] as const,
    );
    expect(good).toEqual({ timestamp: vector.timestamp });
    expect(bad).toEqual({ code: 'bad-signature' });
  });
});
