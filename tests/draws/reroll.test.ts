/**
 * Issue 7 §1 (V3): a draw must not be re-rollable by abandoning it once its outcome is known.
 * Real SQLite ledger, real HTTP through fastify inject, the real drand quicknet vectors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { Actor } from '../../src/domain/actor.js';
import { drawSlotStreamId } from '../../src/domain/draws/index.js';
import { verifyDrawRecord } from '../../src/verify/index.js';
import { AFTER, DEADLINE, NOW, SECRETS, actors, issueToken, meta, rejected, withTask, witnessPlan, type Harness, openSeededHarness } from './harness.js';

interface Vectors {
  chain: { chainHash: string; genesisTime: number; periodSeconds: number };
  rounds: { round: number; signature: string }[];
}
const vectors = JSON.parse(readFileSync(resolve(import.meta.dirname, '../vectors/lottery/drand-quicknet.json'), 'utf8')) as Vectors;
const roundTime = (round: number) => new Date((vectors.chain.genesisTime + (round - 1) * vectors.chain.periodSeconds) * 1000);
const at = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000).toISOString();
const R = 1000;
const FALLBACK = 1009;

const ceremony = { label: '现场摇号机 / public lottery machine', alphabet: '0123456789', length: 6 };
const body = (over: Record<string, unknown> = {}) => ({
  task: 'T-REROLL',
  item: 'ITEM-G1',
  classes: [{ name: 'all', filter: {}, quota: { count: 3 } }],
  entropy: { ...witnessPlan(), ceremony },
  revealDeadline: DEADLINE,
  ...over,
});

describe('issue 7 §1: a determined draw can only complete (V3)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let clock = new Date(NOW);
  const tokens: Record<string, string> = {};

  const issue = (actor: Actor): Promise<string> => issueToken(h.store, actor);

  beforeEach(async () => {
    clock = new Date(NOW);
    h = await openSeededHarness(8);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await issue(actor);
    await h.projections.catchUp();
    app = await buildApp({ store: h.store, projections: h.projections }, { draws: { clock: () => clock } });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  const post = (url: string, payload: object, who = 'opA') => app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${tokens[who]}` } });
  const get = (url: string) => app.inject({ method: 'GET', url });
  /** T3 (issue 9): the body on a real ad-hoc task (created once per label), as a client would send it. */
  const task = (over: Record<string, unknown> = {}) => withTask(h, body(over));
  const commit = async (over: Record<string, unknown> = {}): Promise<string> => {
    const r = await post('/draws/targets', await task(over));
    expect(r.statusCode).toBe(201);
    return r.json<{ drawId: string }>().drawId;
  };

  it('V3 regression (re-roll by abandon): commit → ceremony → every witness reveals → abandon is refused; the last reveal completed the draw and the task cannot be drawn again', async () => {
    const drawId = await commit();
    expect((await post(`/draws/${drawId}/ceremony`, { value: '402917' })).statusCode).toBe(200);
    expect((await post(`/draws/${drawId}/witness-reveals`, { witness: 'w1', secret: SECRETS.w1 })).json()).toMatchObject({ status: 'committed', determination: 'open' });
    const last = await post(`/draws/${drawId}/witness-reveals`, { witness: 'w2', secret: SECRETS.w2 });
    expect(last.statusCode).toBe(200);
    expect(last.json()).toMatchObject({ status: 'completed', determination: null, revealed: { ceremony: { value: '402917' } } });
    expect(last.json<{ seed: string | null }>().seed).toMatch(/^[0-9a-f]{64}$/);
    const abandon = await post(`/draws/${drawId}/abandon`, { reason: '重新摇号 / draw again' });
    expect(abandon.statusCode).toBe(422);
    expect(abandon.json()).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'V3', reason: 'DRAW_NOT_OPEN' } });
    const req = await task();
    const again = await post('/draws/targets', req);
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ details: { rule: 'V3', reason: 'DRAW_ALREADY_COMPLETED' } });
    // Atomic: the last reveal and the completion are one command, next to each other in the ledger.
    const stream = await h.store.readStream(drawSlotStreamId(req.task, 'targets'));
    const [reveal, completed] = stream.slice(-2);
    expect([reveal!.type, completed!.type]).toEqual(['WitnessSecretRevealed', 'DrawCompleted']);
    expect(completed!.correlationId).toBe(reveal!.correlationId);
    expect(completed!.position).toBe(reveal!.position + 1);
    // Completing again (anyone authorised) answers the same record and writes nothing.
    const size = (await h.store.head()).size;
    const redo = await post(`/draws/${drawId}/complete`, {}, 'principalA');
    expect(redo.statusCode).toBe(200);
    expect(redo.json()).toEqual((await get(`/draws/${drawId}/export`)).json());
    expect((await h.store.head()).size).toBe(size);
  });

  it('V3: once any entropy is revealed, abandon is refused while the plan is still open (ENTROPY_REVEALED), and nothing is written', async () => {
    const drawId = await commit();
    await post(`/draws/${drawId}/ceremony`, { value: '402917' });
    const before = await h.store.head();
    const r = await post(`/draws/${drawId}/abandon`, { reason: '不喜欢这个值 / dislike the value' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'V3', reason: 'ENTROPY_REVEALED', awaiting: 'AWAITING_WITNESSES' } });
    expect(await h.store.head()).toEqual(before);
  });

  it('V3: before any entropy is revealed, abandon is allowed, with a reason; a missing or empty reason is refused (400)', async () => {
    const drawId = await commit();
    expect((await post(`/draws/${drawId}/abandon`, {})).statusCode).toBe(400);
    expect((await post(`/draws/${drawId}/abandon`, { reason: '' })).statusCode).toBe(400);
    const r = await post(`/draws/${drawId}/abandon`, { reason: '承诺参数有误 / wrong parameters' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'abandoned', abandonGrounds: 'noEntropyRevealed', abandonedAt: NOW, wouldHaveBeen: null });
  });

  it('V3: a draw fixed by its fallback rule (a missing witness under proceed, past the deadline) shows as determined, refuses abandon (DRAW_DETERMINED) and any authorised user completes it', async () => {
    const drawId = await commit({ entropy: { ...witnessPlan('proceed', 1), ceremony } });
    await post(`/draws/${drawId}/ceremony`, { value: '402917' });
    await post(`/draws/${drawId}/witness-reveals`, { witness: 'w1', secret: SECRETS.w1 });
    expect((await get(`/draws/${drawId}`)).json()).toMatchObject({ determination: 'open', awaiting: 'AWAITING_WITNESSES', overdue: false });
    clock = new Date(AFTER);
    expect((await get(`/draws/${drawId}`)).json()).toMatchObject({ status: 'committed', determination: 'determined', overdue: true });
    const r = await post(`/draws/${drawId}/abandon`, { reason: '见证人缺席 / witness absent' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ details: { rule: 'V3', reason: 'DRAW_DETERMINED' } });
    // Not the operator who committed: the department's principal completes it.
    const done = await post(`/draws/${drawId}/complete`, {}, 'principalA');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ revealed: { witnesses: [{ id: 'w1', secret: SECRETS.w1 }, { id: 'w2', secret: null }] } });
  });

  it("V3: a missing witness under onMissing 'abandon' allows abandon past the deadline; the abandoned draw publishes what was revealed, and its export and verdict answer (not 404)", async () => {
    const drawId = await commit();
    await post(`/draws/${drawId}/ceremony`, { value: '402917' });
    await post(`/draws/${drawId}/witness-reveals`, { witness: 'w1', secret: SECRETS.w1 });
    clock = new Date(AFTER);
    expect((await get(`/draws/${drawId}`)).json()).toMatchObject({ determination: 'mustAbandon', overdue: true });
    const r = await post(`/draws/${drawId}/abandon`, { reason: '见证人乙未揭示 / witness w2 did not reveal' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'abandoned', abandonGrounds: 'planRequiresAbandon', seed: null, wouldHaveBeen: null, overdue: false,
      revealed: { witnesses: [{ id: 'w1', secret: SECRETS.w1 }, { id: 'w2', secret: null }], ceremony: { value: '402917' } },
    });
    const exported = await get(`/draws/${drawId}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.json()).toMatchObject({ format: 'suiji-abandoned-draw/1', taken: false, drawId, revealed: { ceremony: { value: '402917' } }, wouldHaveBeen: null });
    const verdict = await get(`/draws/${drawId}/verify`);
    expect(verdict.statusCode).toBe(200);
    expect(verdict.json()).toMatchObject({ ok: false, verdict: 'ledger', taken: false, consistent: true });
    // The slot is free: the task is drawn again, publicly, as draw 2.
    const again = await task({ revealDeadline: '2026-03-02T05:00:00.000Z' });
    expect((await post('/draws/targets', again)).json()).toEqual({ drawId: `${again.task}.targets.2` });
  });

  it('issue 7 §1: a committed draw past its due time is overdue in GET /draws and GET /draws/:id; completed and abandoned ones are not', async () => {
    const open = await commit();
    // Another item: one department holds one pending list per item (V3).
    const gone = await commit({ task: 'T-GONE', item: 'ITEM-K1' });
    await post(`/draws/${gone}/abandon`, { reason: '演练 / rehearsal' });
    await h.projections.catchUp();
    const overdueOf = async () => (await get('/draws')).json<{ drawId: string; overdue: boolean; dueAt: string }[]>();
    expect((await overdueOf()).map((d) => [d.drawId, d.overdue, d.dueAt])).toEqual([[gone, false, DEADLINE], [open, false, DEADLINE]]);
    clock = new Date(AFTER);
    expect((await overdueOf()).map((d) => [d.drawId, d.overdue])).toEqual([[gone, false], [open, true]]);
    expect((await get('/draws?overdue=true')).json<{ drawId: string }[]>().map((d) => d.drawId)).toEqual([open]);
    expect((await get(`/draws/${open}`)).json()).toMatchObject({ overdue: true, dueAt: DEADLINE });
  });

  it('G3 (issue 7 §3): authorisation is decided before state — an auditor on /complete of a draw that is not ready gets 403, not a 422 describing it', async () => {
    const drawId = await commit();
    const auditor = await post(`/draws/${drawId}/complete`, {}, 'auditor');
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json()).toMatchObject({ error: 'FORBIDDEN', details: { rule: 'G3' } });
    expect(auditor.body).not.toContain('AWAITING');
    // Same for another department, and for every write on a closed draw.
    expect((await post(`/draws/${drawId}/complete`, {}, 'opB')).statusCode).toBe(403);
    await post(`/draws/${drawId}/abandon`, { reason: '演练 / rehearsal' });
    for (const [url, payload] of [[`/draws/${drawId}/abandon`, { reason: 'x' }], [`/draws/${drawId}/ceremony`, { value: '111111' }], [`/draws/${drawId}/complete`, {}]] as const) {
      const r = await post(url, payload, 'auditor');
      expect(r.statusCode).toBe(403);
      expect(r.body).not.toContain('DRAW_NOT_OPEN');
    }
    expect((await post(`/draws/${drawId}/abandon`, { reason: 'x' }, 'opB')).statusCode).toBe(403);
  });
});

describe('issue 7 §1: drand-driven fallback rules decide when abandon is allowed (V3)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openSeededHarness(6);
  });
  afterEach(async () => h.close());

  const commitAt = at(roundTime(R), -600);
  /** T2/T3 (issue 9): a real ad-hoc task whose window holds the drand vectors' 2023 dates. */
  const commit = async (drand: { round: number; fallbackRound?: number }, extra: { drandFallbackAfter?: string } = {}) =>
    h.service.commitTargets(meta(actors.opA, commitAt), await withTask(h, {
      task: 'T-DR', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 2 } }],
      entropy: { ...witnessPlan(), drand: { chainHash: vectors.chain.chainHash, ...drand } }, revealDeadline: at(roundTime(R), -60), ...extra,
    }, { window: { from: '2023-01-01', to: '2023-12-31' } }));
  const revealAll = async (drawId: string) => {
    for (const [witness, secret] of Object.entries(SECRETS)) await h.service.revealWitness(meta(actors.opA, at(roundTime(R), -120)), drawId, { witness, secret });
  };

  it('V3: witnesses revealed and the round not yet recorded — abandon refused; without a fallback, once the round is overdue the plan requires abandon and the secrets are published', async () => {
    const drawId = await commit({ round: R });
    await revealAll(drawId);
    const waiting = await rejected(h.service.abandon(meta(actors.opA, at(roundTime(R), 5)), drawId, { reason: 'x' }));
    expect(waiting.details).toMatchObject({ rule: 'V3', reason: 'ENTROPY_REVEALED', awaiting: 'AWAITING_DRAND' });
    const late = at(roundTime(R), 61);
    expect((await h.service.get(drawId, { now: late })).determination).toBe('mustAbandon');
    await h.service.abandon(meta(actors.opA, late), drawId, { reason: 'drand 不可用 / drand unavailable' });
    const view = await h.service.get(drawId, { now: late });
    expect(view).toMatchObject({ status: 'abandoned', abandonGrounds: 'planRequiresAbandon', wouldHaveBeen: null });
    expect(view.revealed).toEqual({ witnesses: [{ id: 'w1', secret: SECRETS.w1 }, { id: 'w2', secret: SECRETS.w2 }], drand: null });
  });

  it('V3: with a fallback round, abandon stays refused until the fallback round too is past its grace', async () => {
    const fallbackAfter = at(roundTime(R), 6);
    const drawId = await commit({ round: R, fallbackRound: FALLBACK }, { drandFallbackAfter: fallbackAfter });
    await revealAll(drawId);
    const inWindow = at(roundTime(FALLBACK), 30);
    expect((await rejected(h.service.abandon(meta(actors.opA, inWindow), drawId, { reason: 'x' }))).details).toMatchObject({ reason: 'ENTROPY_REVEALED' });
    const past = at(roundTime(FALLBACK), 61);
    await h.service.abandon(meta(actors.opA, past), drawId, { reason: 'drand 与备用轮次均不可用 / neither round obtainable' });
    expect((await h.service.get(drawId, { now: past })).abandonGrounds).toBe('planRequiresAbandon');
  });

  it('V3: recording the last source (the drand round) completes the draw in the same command; the record verifies', async () => {
    const drawId = await commit({ round: R });
    await revealAll(drawId);
    const sig = vectors.rounds.find((r) => r.round === R)!.signature;
    await h.service.recordDrand(meta(actors.opA, at(roundTime(R), 2)), drawId, { round: R, signature: sig });
    const view = await h.service.get(drawId);
    expect(view.status).toBe('completed');
    expect(verifyDrawRecord(JSON.parse(JSON.stringify(await h.service.exportRecord(drawId))))).toEqual({ ok: true });
  });
});
