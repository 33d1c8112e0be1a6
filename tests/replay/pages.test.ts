/**
 * Issue 11: /public/ledger — the latest signed checkpoint with whatever cosignatures the note
 * carries, the log's verifier key, and how to check it (CLI, browser, Go). Real ledger, real key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { initLogKey, openLedgerPublic } from '../../src/app/ledger/index.js';
import { DEADLINE, meta, openSeededHarness, withTask, witnessPlan, type Harness } from '../draws/harness.js';

describe('issue 11: the ledger page', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openSeededHarness(3);
  });
  afterEach(async () => h.close());

  it('V4: shows the latest signed checkpoint, its signature and a witness cosignature line, the verifier key and the CLI/browser/Go ways to check it', async () => {
    const { vkey } = initLogKey(h.dataDir, { origin: 'county.example/ledger' });
    const cosig = '— witness.example/city AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n';
    const log = openLedgerPublic(h.dataDir, { minIntervalMs: 0, cosignatures: () => [cosig] });
    const app: FastifyInstance = await buildApp({ store: h.store, projections: h.projections, ledger: log.ledger, logVerifierKey: () => vkey }, { publicRateLimit: false });
    try {
      const r = await app.inject({ method: 'GET', url: '/public/ledger' });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      const head = await h.store.head();
      expect(r.body).toContain('<html lang="zh-CN">');
      expect(r.body).toContain('最新签名检查点');
      expect(r.body).toContain(`county.example/ledger\n${head.size}\n`);
      expect(r.body).toContain(head.root);
      expect(r.body).toContain('witness.example/city');
      expect(r.body).toContain(vkey);
      expect(r.body).toContain('suiji draw verify');
      expect(r.body).toContain('golang.org/x/mod/sumdb/note');
      expect(r.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>[^<]/); // CSP: no inline script
    } finally {
      await app.close();
      log.close();
    }
  });

  it('issue 11: without a log key the page still answers 200 in Chinese and says how to create one (never a 500)', async () => {
    const log = openLedgerPublic(h.dataDir, { minIntervalMs: 0 });
    const app = await buildApp({ store: h.store, projections: h.projections, ledger: log.ledger }, { publicRateLimit: false });
    try {
      const r = await app.inject({ method: 'GET', url: '/public/ledger' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('签名检查点暂不可用');
      expect(r.body).toContain('suiji keys init');
    } finally {
      await app.close();
      log.close();
    }
  });

  it("V3/V4: an abandoned draw's replay page shows a hostile reason as text, in the page and in its embedded JSON (no markup, no script)", async () => {
    const drawId = await h.service.commitTargets(meta(), await withTask(h, { task: 'T-L1', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 1 } }], entropy: witnessPlan(), revealDeadline: DEADLINE }));
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    await h.service.abandon(meta(), drawId, { reason: hostile });
    const app = await buildApp({ store: h.store, projections: h.projections }, { publicRateLimit: false });
    try {
      const r = await app.inject({ method: 'GET', url: `/public/draws/${encodeURIComponent(drawId)}` });
      expect(r.statusCode).toBe(200);
      expect(r.body).not.toContain('<script>alert');
      expect(r.body).not.toContain('<img src=x');
      expect(r.body).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
      expect(r.body).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
      expect(r.body).toContain('已放弃');
      expect(r.body).toContain('暂无账本证明');
      const missing = await app.inject({ method: 'GET', url: '/public/draws/NO.SUCH.1' });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain('没有编号为');
    } finally {
      await app.close();
    }
  });
});
