import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { EvidenceStore } from '../../src/store/evidence/index.js';
import { openHarness, type Harness } from '../api/registers/harness.js';
import { filesUnder, jpeg } from './fixtures.js';

/**
 * Over a real socket (E10): the body arrives in chunks without a Content-Length, as a phone on a
 * slow link sends it. The limit stops the upload mid-stream; a client that hangs up leaves nothing.
 */
describe('POST /evidence over a real socket (E10)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    h = await openHarness();
    app = await buildApp({ store: h.rt.store, projections: h.rt.projections, evidence: new EvidenceStore(h.rt.dataDir, { maxBytes: 256 * 1024 }) }, { publicRateLimit: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  const post = () =>
    request({ host: '127.0.0.1', port, method: 'POST', path: '/evidence', headers: { authorization: h.bearer('opA'), 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } });

  it('E10: a chunked upload over the limit is answered 413 before the client has finished sending, and the connection closed; nothing written', async () => {
    const before = await h.head();
    const req = post();
    // The server closes the connection after its answer; a late write may then fail (EPIPE), which is expected.
    req.on('error', () => undefined);
    const answered = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      });
    });
    // One byte over the limit, and the request is never ended: the answer cannot be waiting for the end of the body.
    req.write(Buffer.concat([jpeg('stream'), Buffer.alloc(256 * 1024)]));
    const res = await answered;
    req.destroy();
    expect(res.status).toBe(413);
    expect(res.connection).toBe('close');
    expect(JSON.parse(res.body)).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', details: { field: 'body', rule: 'E10' } });
    expect(filesUnder(h.rt.dataDir, 'sha256')).toEqual([]);
    expect(filesUnder(h.rt.dataDir, 'tmp')).toEqual([]);
    expect(await h.head()).toEqual(before);
  });

  it('E10: a Content-Length over the limit is answered 413 before any of the body is sent; nothing written', async () => {
    const before = await h.head();
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/evidence', headers: { authorization: h.bearer('opA'), 'content-type': 'application/octet-stream', 'content-length': String(1024 * 1024 * 1024) } });
    req.on('error', () => undefined);
    req.flushHeaders();
    const res = await new Promise<{ status: number; connection: string | undefined }>((resolve) =>
      req.on('response', (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, connection: r.headers.connection }));
      }),
    );
    req.destroy();
    expect(res).toEqual({ status: 413, connection: 'close' });
    expect(filesUnder(h.rt.dataDir, 'tmp')).toEqual([]);
    expect(await h.head()).toEqual(before);
  });

  it('E10: a client that hangs up mid-upload leaves no temp file, no blob and no event', async () => {
    const before = await h.head();
    const req = post();
    req.on('error', () => undefined);
    req.write(jpeg('cut off'));
    req.write(Buffer.alloc(32 * 1024));
    // The temp file exists once the server is streaming; then the connection is cut.
    await vi.waitFor(() => expect(filesUnder(h.rt.dataDir, 'tmp')).toHaveLength(1), { timeout: 10_000 });
    req.destroy();
    await vi.waitFor(() => expect(filesUnder(h.rt.dataDir, 'tmp')).toEqual([]), { timeout: 10_000 });
    expect(filesUnder(h.rt.dataDir, 'sha256')).toEqual([]);
    expect(await h.head()).toEqual(before);
  });
});
