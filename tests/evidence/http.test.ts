import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { EvidenceStore } from '../../src/store/evidence/index.js';
import { openHarness, people, type Harness } from '../api/registers/harness.js';
import { exe, filesUnder, jpeg, pdf, sha256 } from './fixtures.js';

type Who = Parameters<Harness['bearer']>[0];

describe('POST /evidence, GET /evidence/:sha256 (E10, A3)', () => {
  let h: Harness;
  /** The same ledger with a 4 KiB evidence limit, for the too-large refusal. */
  let small: FastifyInstance;
  beforeAll(async () => {
    h = await openHarness();
    small = await buildApp({ store: h.rt.store, projections: h.rt.projections, evidence: new EvidenceStore(h.rt.dataDir, { maxBytes: 4096 }) }, { publicRateLimit: false });
  });
  afterAll(async () => {
    await small.close();
    await h.close();
  });

  const upload = (who: Who | null, bytes: Buffer, headers: Record<string, string> = {}, query = '', app: FastifyInstance = h.app) =>
    app.inject({
      method: 'POST',
      url: `/evidence${query}`,
      headers: { 'content-type': 'application/octet-stream', ...(who ? { authorization: h.bearer(who) } : {}), ...headers },
      payload: bytes,
    });
  const evidenceEvents = async () => (await h.rt.store.readAll({ from: 0, limit: 100_000 })).filter((e) => e.type === 'EvidenceStored');

  /** A refusal leaves no blob, no temp file and no event. */
  const expectNothingWritten = async (blobsBefore: string[], before: Awaited<ReturnType<Harness['head']>>) => {
    expect(filesUnder(h.rt.dataDir, 'sha256')).toEqual(blobsBefore);
    expect(filesUnder(h.rt.dataDir, 'tmp')).toEqual([]);
    expect(await h.head()).toEqual(before);
  };

  it('E10: an upload is stored under its SHA-256 and the event records it', async () => {
    const bytes = jpeg('现场照片 1');
    const res = await upload('inspectorA', bytes, { 'x-file-name': encodeURIComponent('现场照片1.jpg'), 'x-content-sha256': sha256(bytes) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { sha256: string; size: number; mime: string; streamId: string; position: number; recorded: boolean };
    expect(body).toMatchObject({ sha256: sha256(bytes), size: bytes.length, mime: 'image/jpeg', ext: 'jpg', streamId: `evidence-${sha256(bytes)}`, recorded: true });
    const [event] = await h.rt.store.readStream(body.streamId);
    expect(event?.position).toBe(body.position);
    expect(event?.payload).toEqual({ sha256: sha256(bytes), size: bytes.length, mime: 'image/jpeg', ext: 'jpg', fileName: '现场照片1.jpg', department: 'dept-a' });
    const got = await h.call('auditor', 'GET', `/evidence/${body.sha256}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['content-disposition']).toContain('attachment');
    expect(got.rawPayload).toEqual(bytes);
  });

  it('A3: the uploader is the token\'s user', async () => {
    const bytes = pdf('A3 attribution');
    const res = await upload('principalA', bytes);
    expect(res.statusCode, res.body).toBe(201);
    const [event] = await h.rt.store.readStream(`evidence-${sha256(bytes)}`);
    expect(event?.actor).toEqual(people.principalA);
  });

  it('E10: the same bytes twice keep one blob; a repeated citation records nothing new, another name is one more event', async () => {
    const bytes = jpeg('twice');
    const a = await upload('opA', bytes, { 'x-file-name': 'a.jpg' });
    const blobs = filesUnder(h.rt.dataDir, 'sha256');
    const b = await upload('opA', bytes, { 'x-file-name': 'a.jpg' });
    expect(b.statusCode).toBe(201);
    expect(b.json()).toMatchObject({ recorded: false, position: (a.json() as { position: number }).position });
    const c = await upload('opA', bytes, { 'x-file-name': 'b.jpg' });
    expect(c.json()).toMatchObject({ recorded: true });
    expect(filesUnder(h.rt.dataDir, 'sha256')).toEqual(blobs);
    expect((await h.rt.store.readStream(`evidence-${sha256(bytes)}`)).map((e) => (e.payload as { fileName: string }).fileName)).toEqual(['a.jpg', 'b.jpg']);
  });

  it('E10: a type sniffed from the bytes, not the name (a .jpg named PDF is stored as PDF; an .exe named .jpg refused)', async () => {
    const bytes = pdf('named like a photo');
    const res = await upload('opA', bytes, { 'x-file-name': 'photo.jpg' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ mime: 'application/pdf', ext: 'pdf' });
    const blobs = filesUnder(h.rt.dataDir, 'sha256');
    const before = await h.head();
    const bad = await upload('opA', exe(), { 'x-file-name': 'photo.jpg' });
    expect(bad.statusCode).toBe(415);
    expect(bad.json()).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE', details: { field: 'body', rule: 'E10', sniffed: 'application/x-msdownload' } });
    expect((bad.json() as { messageZh: string }).messageZh).toContain('E10');
    await expectNothingWritten(blobs, before);
  });

  it('E10: too large / zero bytes / truncated (hash mismatch) → coded refusal, nothing written (no blob, no temp file, no event)', async () => {
    const blobs = filesUnder(h.rt.dataDir, 'sha256');
    const before = await h.head();
    const big = Buffer.concat([jpeg('big'), Buffer.alloc(8192)]);
    const tooLarge = await upload('opA', big, {}, '', small);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', details: { field: 'body', rule: 'E10', maxBytes: 4096 } });
    const empty = await upload('opA', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'body', rule: 'E10' } });
    const whole = pdf('truncated in transit');
    const truncated = await upload('opA', whole.subarray(0, whole.length - 7), { 'x-content-sha256': sha256(whole) });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'headers/x-content-sha256', rule: 'E10' } });
    await expectNothingWritten(blobs, before);
  });

  it('E10: a visit that does not exist, a JSON body, a bad file name or an anonymous caller → coded refusal, nothing written', async () => {
    const blobs = filesUnder(h.rt.dataDir, 'sha256');
    const before = await h.head();
    const noVisit = await upload('opA', jpeg('no visit'), {}, '?visitId=dept-a-20260301-91370000000000000X');
    expect(noVisit.statusCode).toBe(404);
    expect(noVisit.json()).toMatchObject({ error: 'NOT_FOUND', details: { field: 'visitId', rule: 'E10' } });
    const badVisit = await upload('opA', jpeg('bad visit'), {}, '?visitId=..');
    expect(badVisit.statusCode).toBe(400);
    const json = await h.app.inject({ method: 'POST', url: '/evidence', headers: { authorization: h.bearer('opA'), 'content-type': 'application/json' }, payload: '{}' });
    expect(json.statusCode).toBe(415);
    const badName = await upload('opA', jpeg('bad name'), { 'x-file-name': '%E0%A4%A' });
    expect(badName.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'headers/x-file-name' } });
    const control = await upload('opA', jpeg('bad name'), { 'x-file-name': 'a%0Ab.jpg' });
    expect(control.statusCode).toBe(400);
    expect((await upload(null, jpeg('anon'))).statusCode).toBe(401);
    const auditor = await upload('auditor', jpeg('auditor'));
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json()).toMatchObject({ error: 'FORBIDDEN', details: { action: 'evidence.write' } });
    await expectNothingWritten(blobs, before);
  });

  it('E10: GET of an unknown hash is a coded 404, a malformed one a 400, anonymous a 401', async () => {
    const unknown = await h.call('opA', 'GET', `/evidence/${'ab'.repeat(32)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'NOT_FOUND', details: { field: 'sha256', rule: 'E10' } });
    const malformed = await h.call('opA', 'GET', '/evidence/..%2F..%2Fledger.db');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'VALIDATION_FAILED' });
    expect((await h.call('opA', 'GET', `/evidence/${'AB'.repeat(32)}`)).statusCode).toBe(400);
    expect((await h.call('anonymous', 'GET', `/evidence/${'ab'.repeat(32)}`)).statusCode).toBe(401);
  });

  it('E10: the route is in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/evidence'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/evidence/{sha256}'] ?? {})).toContain('get');
  });
});
