/** Issue 8 §3 over real HTTP (fastify inject): extension and replacement routes, their refusals and Idempotency-Key. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { Actor } from '../../src/domain/actor.js';
import { DEADLINE, NOW, SECRETS, actors, issueToken, witnessPlan, withTask, write, type Harness, openSeededHarness } from './harness.js';

const request = { task: 'T-HTTP-F', item: 'ITEM-G1', classes: [{ name: 'all', filter: {}, quota: { count: 3 } }], entropy: witnessPlan(), revealDeadline: DEADLINE };

describe('follow-up routes (issue 8 §3)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let op: string;
  let pr: string;
  /** The target draw request, naming the task created for it (T3: every draw serves a task). */
  let body: typeof request;
  const issue = (actor: Actor): Promise<string> => issueToken(h.store, actor);
  beforeEach(async () => {
    h = await openSeededHarness(10);
    body = await withTask(h, request);
    op = await issue(actors.opA);
    pr = await issue(actors.principalA);
    await h.projections.catchUp();
    app = await buildApp({ store: h.store, projections: h.projections }, { draws: { clock: () => new Date(NOW) } });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });
  const post = (url: string, payload: object, token: string, key?: string) =>
    app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}`, ...(key && { 'idempotency-key': key }) } });

  const completed = async (): Promise<string> => {
    const { drawId } = (await post('/draws/targets', body, op)).json<{ drawId: string }>();
    for (const [witness, secret] of Object.entries(SECRETS)) expect((await post(`/draws/${drawId}/witness-reveals`, { witness, secret }, op)).statusCode).toBe(200);
    return drawId;
  };

  it('spec §7.3: a principal extends a draw over HTTP (201); the same Idempotency-Key replays it and writes nothing', async () => {
    const root = await completed();
    const ext = { additional: [{ class: 'all', count: 1 }], reason: '一户已停业，追加一户 / one closed, draw one more' };
    const first = await post(`/draws/${root}/extensions`, ext, pr, 'ext-key-0001');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ drawId: `${body.task}.targets.2` });
    const head = (await h.store.head()).size;
    const again = await post(`/draws/${root}/extensions`, ext, pr, 'ext-key-0001');
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect((await h.store.head()).size).toBe(head);
    const done = await post(`/draws/${body.task}.targets.2/complete`, {}, op);
    expect(done.statusCode).toBe(200);
    const view = await app.inject({ method: 'GET', url: `/draws/${body.task}.targets.2` });
    expect(view.json()).toMatchObject({ status: 'completed', approval: { approvedBy: 'pr-a' } });
  });

  it('G3: an operator\'s extension is refused (403), a bad count is a 400 naming the field, an unknown draw is 404', async () => {
    const root = await completed();
    const forbidden = await post(`/draws/${root}/extensions`, { additional: [{ class: 'all', count: 1 }], reason: '追加' }, op);
    expect(forbidden.statusCode).toBe(403);
    const zero = await post(`/draws/${root}/extensions`, { additional: [{ class: 'all', count: 0 }], reason: '追加' }, pr);
    expect(zero.statusCode).toBe(400);
    expect(JSON.stringify(zero.json())).toContain('/additional/0/count');
    const missing = await post('/draws/T-NONE.targets.1/extensions', { additional: [{ class: 'all', count: 1 }], reason: '追加' }, pr);
    expect(missing.statusCode).toBe(404);
  });

  it('E8: POST /draws/:drawId/replacements replaces a drawn target the register records deregistered (201); before that, 422', async () => {
    const root = await completed();
    const exported = (await app.inject({ method: 'GET', url: `/draws/${root}/export` })).json<{ result: { merged: string[] } }>();
    const gone = exported.result.merged[0]!;
    const req = { replacements: [{ class: 'all', member: gone, reason: 'deregistered' }] };
    const early = await post(`/draws/${root}/replacements`, req, pr);
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'E8', field: '/replacements/0/reason' } });
    await write(h.store, `target-${gone}`, 'TargetStatusChanged', { uscc: gone, from: 'active', status: 'deregistered', reason: '已注销' });
    const ok = await post(`/draws/${root}/replacements`, req, pr);
    expect(ok.statusCode).toBe(201);
    const done = await post(`/draws/${ok.json<{ drawId: string }>().drawId}/complete`, {}, op);
    expect(done.json<{ result: { merged: string[] } }>().result.merged).not.toContain(gone);
  });
});
