/**
 * Issue 11: GET /draws/:id/proof and GET /notices/:noticeId/proof over real HTTP (fastify inject)
 * on a real SQLite ledger; a bundle served is one an outsider verifies with the log key alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { anchorDrawRecord, verifyLedgerProof } from '../../src/verify/index.js';
import { DEADLINE, NOW, SECRETS, meta, openSeededHarness, withTask, witnessPlan, type Harness } from '../draws/harness.js';
import { serverLog } from '../helpers/proof-ledger.js';
import { openTaskHarness, seedWorld } from '../api/tasks/fixtures.js';

describe('issue 11: proof routes (with the server\'s own signer, LedgerPublic)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let log: ReturnType<typeof serverLog>;
  beforeEach(async () => {
    h = await openSeededHarness(12);
    log = serverLog(h.dataDir);
    app = await buildApp({ store: h.store, projections: h.projections, ledger: log.ledger }, { draws: { clock: () => new Date(NOW) } });
  });
  afterEach(async () => {
    await app.close();
    log.close();
    await h.close();
  });

  const drawn = async (task: string): Promise<string> => {
    const drawId = await h.service.commitTargets(meta(), await withTask(h, { task, item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 3 } }], entropy: witnessPlan(), revealDeadline: DEADLINE }));
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    return drawId;
  };

  it('V4: GET /draws/:id/proof (public, no token) serves a bundle that anchors GET /draws/:id/export offline', async () => {
    const drawId = await drawn('T-P1');
    const proof = await app.inject({ method: 'GET', url: `/draws/${drawId}/proof` });
    expect(proof.statusCode).toBe(200);
    const record = (await app.inject({ method: 'GET', url: `/draws/${drawId}/export` })).json();
    const r = anchorDrawRecord(record, proof.json(), [log.key]);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('V4: an open draw has no record and no proof (404, coded, bilingual); an unknown one neither', async () => {
    const drawId = await h.service.commitTargets(meta(), await withTask(h, { task: 'T-P2', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 3 } }], entropy: witnessPlan(), revealDeadline: DEADLINE }));
    for (const id of [drawId, 'T-NOPE.targets.1']) {
      const r = await app.inject({ method: 'GET', url: `/draws/${encodeURIComponent(id)}/proof` });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ error: 'NOT_FOUND' });
    }
  });

  it('issue 11: a server without a log key answers 503 LOG_KEY_MISSING, coded and bilingual (never a 500)', async () => {
    const drawId = await drawn('T-P4');
    const bare = await buildApp({ store: h.store, projections: h.projections }, { draws: { clock: () => new Date(NOW) } });
    try {
      const r = await bare.inject({ method: 'GET', url: `/draws/${drawId}/proof` });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ error: 'LOG_KEY_MISSING', details: { field: 'ledger' } });
      expect(r.json<{ message: string }>().message).toContain('suiji keys init');
    } finally {
      await bare.close();
    }
  });
});

describe('issue 11: notice proofs', () => {
  it('P2: GET /notices/:noticeId/proof proves the notice event and the event it publishes (a filed plan)', async () => {
    const api = await openTaskHarness();
    try {
      await seedWorld(api);
      await api.rt.projections.catchUp();
      const log = serverLog(api.rt.dataDir);
      const app = await buildApp({ store: api.rt.store, projections: api.rt.projections, ledger: log.ledger }, { publicRateLimit: false });
      try {
        const list = (await app.inject({ method: 'GET', url: '/notices' })).json<{ items: { noticeId: string; position: number; subject: { position: number | null } }[] }>();
        const notice = list.items.at(-1);
        expect(notice).toBeDefined();
        const proof = (await app.inject({ method: 'GET', url: `/notices/${encodeURIComponent(notice!.noticeId)}/proof` })).json<{ events: { position: number; envelope: { type: string } }[] }>();
        const r = verifyLedgerProof(proof, [log.key]);
        expect(r.checks.filter((c) => !c.ok)).toEqual([]);
        const expected = [notice!.position, ...(notice!.subject.position === null ? [] : [notice!.subject.position])].sort((a, b) => a - b);
        expect(proof.events.map((e) => e.position)).toEqual(expected);
        expect(proof.events.some((e) => e.envelope.type === 'NoticePublished')).toBe(true);
        const missing = await app.inject({ method: 'GET', url: '/notices/NO-SUCH-NOTICE/proof' });
        expect([400, 404]).toContain(missing.statusCode);
      } finally {
        await app.close();
        log.close();
      }
    } finally {
      await api.close();
    }
  });
});
