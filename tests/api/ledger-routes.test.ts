import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { hexToBytes } from '@noble/hashes/utils.js';
import { buildApp } from '../../src/api/app.js';
import { initLogKey } from '../../src/app/ledger/index.js';
import { parseCheckpoint, parseVerifierKey, verifiedText, verifyConsistency, verifyInclusion } from '../../src/verify/index.js';
import { openHarness, type Harness } from './registers/harness.js';

describe('GET /ledger/* (issue 11, V4)', () => {
  let h: Harness;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await openHarness();
    app = await buildApp({ store: h.rt.store, projections: h.rt.projections, ledger: h.rt.ledger }, { publicRateLimit: false });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('without a log key the routes answer 503 LOG_KEY_MISSING with a bilingual message, never a 500', async () => {
    for (const url of ['/ledger/checkpoint', '/ledger/proof/inclusion?index=0&size=1', '/ledger/proof/consistency?from=0&to=1']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(503);
      expect(res.json()).toMatchObject({ error: 'LOG_KEY_MISSING' });
      expect(res.json().message).toMatch(/suiji keys init/);
    }
  });

  it('V4: the public gets a signed checkpoint (text/plain) and proofs that verify against it', async () => {
    const { vkey } = initLogKey(h.rt.dataDir, { origin: 'test.suiji.example/ledger' });
    const res = await get('/ledger/checkpoint');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const cp = parseCheckpoint(verifiedText(res.body, parseVerifierKey(vkey)));
    expect(cp).toEqual({ origin: 'test.suiji.example/ledger', ...(await h.head()) });
    const index = Math.floor(cp.size / 2);
    const inc = await get(`/ledger/proof/inclusion?index=${index}&size=${cp.size}`);
    expect(inc.statusCode).toBe(200);
    const body = inc.json() as { leafHash: string; proof: string[] };
    const [event] = await h.rt.store.readAll({ from: index, limit: 1 });
    expect(body.leafHash).toBe(event!.hash);
    expect(verifyInclusion(hexToBytes(body.leafHash), index, cp.size, body.proof.map(hexToBytes), hexToBytes(cp.root))).toBe(true);

    const smaller = Math.max(1, cp.size - 7);
    const [rootThen] = await h.rt.store.checkpoints({ from: smaller, limit: 1 });
    const con = await get(`/ledger/proof/consistency?from=${rootThen!.size}&to=${cp.size}`);
    expect(con.statusCode).toBe(200);
    const proof = (con.json() as { proof: string[] }).proof.map(hexToBytes);
    expect(verifyConsistency(rootThen!.size, cp.size, proof, hexToBytes(rootThen!.root), hexToBytes(cp.root))).toBe(true);
  });

  it('a proof against a size larger than the head, negative, non-integer or missing is a 400 naming the field', async () => {
    const { size } = await h.head();
    const cases: [string, string][] = [
      [`/ledger/proof/inclusion?index=0&size=${size + 1}`, 'size'],
      ['/ledger/proof/inclusion?index=-1&size=3', 'index'],
      ['/ledger/proof/inclusion?index=1.5&size=3', 'index'],
      ['/ledger/proof/inclusion?index=3&size=3', 'index'],
      ['/ledger/proof/inclusion?index=0&size=0', 'size'],
      ['/ledger/proof/inclusion?index=0', 'size'],
      ['/ledger/proof/inclusion?index=0&size=1e3', 'size'],
      [`/ledger/proof/consistency?from=1&to=${size + 1}`, 'to'],
      ['/ledger/proof/consistency?from=5&to=4', 'from'],
      ['/ledger/proof/consistency?from=x&to=4', 'from'],
      ['/ledger/proof/consistency?from=99999999999999999999&to=4', 'from'],
    ];
    for (const [url, field] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error, url).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.json().details), url).toContain(field);
    }
  });
});
