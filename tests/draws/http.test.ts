import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { verifyFile } from '../../src/cli/commands/draw.js';
import { runProgram } from '../../src/cli/program.js';
import type { Actor } from '../../src/domain/actor.js';
import { DEADLINE, NOW, SECRETS, actors, issueToken, target, withTask, witnessPlan, type Harness, openSeededHarness } from './harness.js';

const bodyOf = {
  task: 'T-HTTP-1',
  item: 'ITEM-G1',
  classes: [{ name: 'all', filter: {}, quota: { count: 3 } }],
  entropy: witnessPlan(),
  revealDeadline: DEADLINE,
};

describe('draw HTTP routes and the CLI', () => {
  let h: Harness;
  let app: FastifyInstance;
  let opA: string;
  let opB: string;
  /** The draw body on a real ad-hoc task (T3, issue 9), created for each test. */
  let body: typeof bodyOf;
  const lines: string[] = [];
  const out = (l: string): void => void lines.push(l);
  const cli = (argv: string[]) => runProgram(argv, { out, write: out, err: () => undefined, openDraw: async () => ({ store: h.store, projections: h.projections, close: async () => {} }) });

  const issue = (actor: Actor): Promise<string> => issueToken(h.store, actor);

  beforeEach(async () => {
    lines.length = 0;
    h = await openSeededHarness(8);
    opA = await issue(actors.opA);
    opB = await issue(actors.opB);
    body = await withTask(h, bodyOf);
    await h.projections.catchUp();
    app = await buildApp({ store: h.store, projections: h.projections }, { draws: { clock: () => new Date(NOW) } });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const post = (url: string, payload: object, token = opA) => app.inject({ method: 'POST', url, payload, headers: auth(token) });

  const completedDraw = async (): Promise<string> => {
    const c = await post('/draws/targets', body);
    expect(c.statusCode).toBe(201);
    const { drawId } = c.json<{ drawId: string }>();
    for (const [witness, secret] of Object.entries(SECRETS)) {
      expect((await post(`/draws/${drawId}/witness-reveals`, { witness, secret })).statusCode).toBe(200);
    }
    const done = await post(`/draws/${drawId}/complete`, {});
    expect(done.statusCode).toBe(200);
    return drawId;
  };

  it('V4: POST /verify and `suiji draw verify FILE` give the same verdict, for an intact and a tampered export', async () => {
    const drawId = await completedDraw();
    const file = join(h.dataDir, 'record.json');
    expect(await cli(['draw', 'export', drawId, '--out', file])).toBe(0);
    const record = JSON.parse(readFileSync(file, 'utf8')) as { result: { classes: { picked: string[] }[] } };
    // The public export over HTTP is the same record as the CLI's file.
    expect((await app.inject({ method: 'GET', url: `/draws/${drawId}/export` })).json()).toEqual(record);

    const intact = await app.inject({ method: 'POST', url: '/verify', payload: record });
    expect(intact.json()).toMatchObject({ ok: true, verdict: 'ledger', consistent: true });
    // Offline, the file alone can only be found consistent, not the ledger's (issue 7 §2).
    expect(verifyFile(file)).toEqual({ ok: false, verdict: 'unanchored', consistent: true });
    expect(await cli(['draw', 'verify', file])).toBe(0);
    expect(await cli(['draw', 'verify', file, '--offline'])).toBe(0);
    expect(await cli(['draw', 'verify', '--draw', drawId])).toBe(0);

    const picked = record.result.classes[0]!.picked;
    [picked[0], picked[1]] = [picked[1]!, picked[0]!];
    const bad = join(h.dataDir, 'tampered.json');
    writeFileSync(bad, JSON.stringify(record));
    const tampered = await app.inject({ method: 'POST', url: '/verify', payload: record });
    expect(tampered.statusCode).toBe(200);
    expect(tampered.json()).toMatchObject({ ok: false, verdict: 'inconsistent', consistent: false, code: 'RESULT_MISMATCH' });
    expect(verifyFile(bad)).toEqual(tampered.json());
    lines.length = 0;
    expect(await cli(['draw', 'verify', bad])).toBe(1);
    expect(lines[0]).toContain(`RESULT_MISMATCH at ${tampered.json<{ path: string }>().path}`);
  });

  it('V3: a second open commitment is refused with 422 RULE_VIOLATION; the draw is public, writes need a token', async () => {
    const first = (await post('/draws/targets', body)).json<{ drawId: string }>().drawId;
    const second = await post('/draws/targets', body);
    expect(second.statusCode).toBe(422);
    expect(second.json()).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'V3', reason: 'DRAW_ALREADY_OPEN', openDrawId: first } });
    const anonymous = await app.inject({ method: 'POST', url: '/draws/targets', payload: body });
    expect(anonymous.statusCode).toBe(401);
    const view = await app.inject({ method: 'GET', url: `/draws/${first}` });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ drawId: first, status: 'committed', task: body.task, purpose: 'targets' });
    expect((await app.inject({ method: 'GET', url: `/draws?task=${encodeURIComponent(body.task)}` })).json()).toHaveLength(1);
  });

  it('V3: revealed witness secrets stay hidden in the public view until the draw completes', async () => {
    const drawId = (await post('/draws/targets', body)).json<{ drawId: string }>().drawId;
    const r = await post(`/draws/${drawId}/witness-reveals`, { witness: 'w1', secret: SECRETS.w1 });
    expect(r.json()).toMatchObject({ reveals: { witnesses: ['w1'], drandRound: null, ceremony: false } });
    expect(r.body).not.toContain(SECRETS.w1);
    const wrong = await post(`/draws/${drawId}/witness-reveals`, { witness: 'w2', secret: 'nope' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ details: { lotteryCode: 'WITNESS_REVEAL_MISMATCH' } });
  });

  it('V3: abandoning over HTTP is public and frees the slot; another department may not abandon', async () => {
    const drawId = (await post('/draws/targets', body)).json<{ drawId: string }>().drawId;
    expect((await post(`/draws/${drawId}/abandon`, { reason: 'x' }, opB)).statusCode).toBe(403);
    const a = await post(`/draws/${drawId}/abandon`, { reason: '现场停电 / power cut' });
    expect(a.json()).toMatchObject({ status: 'abandoned', abandonReason: '现场停电 / power cut' });
    expect((await post('/draws/targets', body)).json()).toEqual({ drawId: `${body.task}.targets.2` });
  });

  it('refuses a body with an unknown member with 400 naming the field; an unknown draw is 404', async () => {
    const r = await post('/draws/targets', { ...body, extra: 1 });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'VALIDATION_FAILED' });
    expect((await app.inject({ method: 'GET', url: '/draws/nope.targets.1' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/draws/garbage' })).statusCode).toBe(404);
  });

  it('a retried write with the same Idempotency-Key answers like the original and writes nothing; a new key is a new command', async () => {
    const key = 'draw-commit-0001';
    const first = await app.inject({ method: 'POST', url: '/draws/targets', payload: body, headers: { ...auth(opA), 'idempotency-key': key } });
    const size = (await h.store.head()).size;
    const retry = await app.inject({ method: 'POST', url: '/draws/targets', payload: body, headers: { ...auth(opA), 'idempotency-key': key } });
    expect(retry.json()).toEqual(first.json());
    expect((await h.store.head()).size).toBe(size);
    const { drawId } = first.json<{ drawId: string }>();
    const reveal = (k: string, witness: string, secret: string) =>
      app.inject({ method: 'POST', url: `/draws/${drawId}/witness-reveals`, payload: { witness, secret }, headers: { ...auth(opA), 'idempotency-key': k } });
    expect((await reveal('reveal-w1-0001', 'w1', SECRETS.w1)).statusCode).toBe(200);
    expect((await reveal('reveal-w1-0001', 'w1', SECRETS.w1)).statusCode).toBe(200);
    const again = await reveal('reveal-w1-0002', 'w1', SECRETS.w1);
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ details: { rule: 'V3', reason: 'ALREADY_REVEALED' } });
    await reveal('reveal-w2-0001', 'w2', SECRETS.w2);
    const complete = () => app.inject({ method: 'POST', url: `/draws/${drawId}/complete`, headers: { ...auth(opA), 'idempotency-key': 'complete-0001' } });
    const done = await complete();
    expect(done.statusCode).toBe(200);
    const after = (await h.store.head()).size;
    const redo = await complete();
    expect(redo.statusCode).toBe(200);
    expect(redo.json()).toEqual(done.json());
    expect((await h.store.head()).size).toBe(after);
    const badKey = await app.inject({ method: 'POST', url: `/draws/${drawId}/abandon`, payload: { reason: 'x' }, headers: { ...auth(opA), 'idempotency-key': 'no spaces allowed' } });
    expect(badKey.statusCode).toBe(400);
  });
  it('issue 7 §6 regression: a request body with a duplicate key is refused (400, naming the key), nothing written', async () => {
    const before = (await h.store.head()).size;
    const text = JSON.stringify(body).replace(`"task":"${body.task}"`, `"task":"${body.task}","task":"T-HTTP-2"`);
    expect(text).toContain('"task":"T-HTTP-2"');
    const r = await app.inject({ method: 'POST', url: '/draws/targets', payload: text, headers: { ...auth(opA), 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: '/task', reason: 'DUPLICATE_KEY', key: 'task' } });
    expect(r.json<{ messageZh: string }>().messageZh).toMatch(/重复的键名/);
    expect((await h.store.head()).size).toBe(before);
    // POST /verify is a request body too.
    const v = await app.inject({ method: 'POST', url: '/verify', payload: '{"commitment":{},"commitment":{}}', headers: { 'content-type': 'application/json' } });
    expect(v.statusCode).toBe(400);
    expect(v.json()).toMatchObject({ details: { field: '/commitment', reason: 'DUPLICATE_KEY' } });
  });

  it('PL5 regression (issue 7 §5b): `directedSpecial: true` in a draw request is refused (400); a draw cites an approved order instead', async () => {
    const r = await post('/draws/targets', { ...body, directedSpecial: true });
    expect(r.statusCode).toBe(400);
    const order = { orderId: 'ORD-H1', documentNumber: '鲁市监函〔2026〕12号', issuingAuthority: '省局', issuedOn: '2026-02-20', scope: [target(1).uscc], reason: '专项整治' };
    const recorded = await post('/directed-orders', order);
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toMatchObject({ orderId: 'ORD-H1', department: 'dept-a', recordedBy: 'op-a', approvedBy: null, approvedAt: null });
    expect((await post('/directed-orders/ORD-H1/approval', {})).statusCode).toBe(403); // an operator does not approve
    const pr = await issue(actors.principalA);
    await h.projections.catchUp();
    const ok = await post('/directed-orders/ORD-H1/approval', {}, pr);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ approvedBy: 'pr-a', approvedAt: expect.stringMatching(/^\d+$/) });
    expect((await app.inject({ method: 'GET', url: '/directed-orders/ORD-H1' })).statusCode).toBe(401);
    await h.projections.catchUp();
    const c = await post('/draws/targets', { ...body, directedOrder: 'ORD-H1' });
    expect(c.statusCode).toBe(201);
    const counting = (await app.inject({ method: 'GET', url: `/draws/${c.json<{ drawId: string }>().drawId}` })).json<{ counting: { exempt: unknown[] } }>().counting;
    expect(counting.exempt).toEqual([{ id: target(1).uscc, reasons: ['directedSpecial'], facts: [{ reason: 'directedSpecial', position: ok.json<{ approvedAt: string }>().approvedAt, order: 'ORD-H1' }] }]);
  });

  it('PL5: the public view publishes repeated complaints only under a neutral code; staff see the reason', async () => {
    await h.store.append(`target-${target(2).uscc}`, [{
      eventId: randomUUID(), type: 'TargetUpdated', actor: { userId: 'seed', role: 'system', department: 'system' }, correlationId: 'seed',
      payload: { uscc: target(2).uscc, changes: { flags: { dishonest: false, abnormalOperation: false, keyIndustry: false, complaintCount: 9 } } },
    }], 'any');
    await h.projections.catchUp();
    const c = await post('/draws/targets', body);
    const url = `/draws/${c.json<{ drawId: string }>().drawId}`;
    const pub = (await app.inject({ method: 'GET', url })).json<{ counting: { exempt: unknown[] } }>();
    expect(pub.counting.exempt).toEqual([{ id: target(2).uscc, reasons: ['otherStatutoryGround'], facts: [] }]);
    expect(JSON.stringify(pub)).not.toContain('Complaints');
    const staff = (await app.inject({ method: 'GET', url, headers: auth(opB) })).json<{ counting: { exempt: { reasons: string[] }[] } }>();
    expect(staff.counting.exempt[0]!.reasons).toEqual(['repeatedComplaints']);
  });
});
