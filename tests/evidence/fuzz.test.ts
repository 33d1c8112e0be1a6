import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { EvidenceStore } from '../../src/store/evidence/index.js';
import { openHarness, type Harness } from '../api/registers/harness.js';
import { exe, filesUnder, jpeg, pdf, sha256 } from './fixtures.js';

/**
 * Hostile uploads on POST /evidence (STYLE habit 6; issue 10 "uploads included"): wrong type,
 * too large, truncated, zero bytes, arbitrary bytes and headers. A client can provoke 4xx, never
 * a 5xx; a refusal leaves no blob, no temp file and no event; an acceptance stores exactly the
 * bytes sent under their hash. Fixed seed, so a failure replays exactly.
 */
const SEED = 20261202;
const RUNS = 60;
const LIMIT = 2048;

describe('fuzzing POST /evidence (E10)', () => {
  let h: Harness;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await openHarness();
    // A small limit, so "too large" is reached by generated bodies.
    app = await buildApp({ store: h.rt.store, projections: h.rt.projections, evidence: new EvidenceStore(h.rt.dataDir, { maxBytes: LIMIT }) }, { publicRateLimit: false });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  const bytes = fc.uint8Array({ maxLength: 3 * LIMIT }).map((a) => Buffer.from(a));
  const body = fc.oneof(
    fc.constant(Buffer.alloc(0)), // zero bytes
    bytes, // mostly an unknown type
    bytes.map((b) => Buffer.concat([exe(), b])), // a type not on the list
    bytes.map((b) => Buffer.concat([jpeg(), b])), // accepted, or too large
    bytes.map((b) => Buffer.concat([pdf(), b])),
  );
  /** The declared hash: none, the true one, the hash of a longer file (this body is its truncation), or garbage. */
  const declared = (b: Buffer) =>
    fc.oneof(fc.constant(undefined), fc.constant(sha256(b)), fc.constant(sha256(Buffer.concat([b, Buffer.from('tail')]))), fc.string({ maxLength: 70 }));
  const fileName = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.webSegment());
  const visitId = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 90 }), fc.constant('dept-a-20260301-91370000000000000X'));
  const header = (v: string) => /^[\t\x20-\x7e]*$/.test(v); // what an HTTP client can send at all

  it('E10: arbitrary uploads → never 5xx; a refusal writes nothing; an acceptance stores exactly the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(body.chain((b) => fc.tuple(fc.constant(b), declared(b), fileName, visitId)), async ([b, sha, name, visit]) => {
        const blobs = filesUnder(h.rt.dataDir, 'sha256');
        const before = await h.head();
        const headers: Record<string, string> = { authorization: h.bearer('opA'), 'content-type': 'application/octet-stream' };
        if (sha !== undefined && header(sha)) headers['x-content-sha256'] = sha;
        if (name !== undefined && header(name)) headers['x-file-name'] = name;
        const res = await app.inject({ method: 'POST', url: `/evidence${visit === undefined ? '' : `?visitId=${encodeURIComponent(visit)}`}`, headers, payload: b });
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(filesUnder(h.rt.dataDir, 'tmp')).toEqual([]);
        if (res.statusCode >= 400) {
          expect(res.json()).toHaveProperty('error');
          expect(filesUnder(h.rt.dataDir, 'sha256')).toEqual(blobs);
          expect(await h.head()).toEqual(before);
        } else {
          expect(res.statusCode).toBe(201);
          expect(res.json()).toMatchObject({ sha256: sha256(b), size: b.length });
          expect(await h.rt.evidence.verify(sha256(b))).toEqual({ sha256: sha256(b), status: 'ok' });
          expect(await h.rt.store.streamRevision(`evidence-${sha256(b)}`)).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('E10: arbitrary content types and JSON bodies → 4xx, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('application/json', 'text/plain', 'text/csv', 'image/jpeg', 'multipart/form-data; boundary=x'), fc.jsonValue(), async (type, value) => {
        const blobs = filesUnder(h.rt.dataDir, 'sha256');
        const before = await h.head();
        const res = await app.inject({ method: 'POST', url: '/evidence', headers: { authorization: h.bearer('opA'), 'content-type': type }, payload: JSON.stringify(value) });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(filesUnder(h.rt.dataDir, 'sha256')).toEqual(blobs);
        expect(await h.head()).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS / 2 },
    );
  });
});
