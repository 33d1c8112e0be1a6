import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshUscc, openHarness, type Harness } from '../registers/harness.js';
import { URL, complaintBody, seedTwoTargets } from './fixtures.js';

describe('non-random inspections over HTTP (G2, G3, P1)', () => {
  let h: Harness;
  let A = '';
  let B = '';
  beforeEach(async () => {
    h = await openHarness();
    [A, B] = await seedTwoTargets(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('G2/P1: an operator records a complaint inspection for the own department; it is read back with its kind and source document, attributed', async () => {
    const res = await h.call('opA', 'POST', URL, complaintBody('NR-1', [B, A]));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ inspectionId: 'NR-1', streamId: 'nonRandomInspection-NR-1', replayed: false });

    const one = await h.call('auditor', 'GET', `${URL}/NR-1`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({
      inspectionId: 'NR-1', kind: 'complaintOrReport', random: false, department: 'dept-a', recordedBy: 'op-a',
      sourceDocument: { number: '12315-NR-1', issuingBody: '全国12315平台', date: '2026-03-01' },
      targets: [A, B].sort(), items: ['加油机计量准确性'],
    });
    const [event] = (await h.rt.store.readStream('nonRandomInspection-NR-1'));
    expect([event!.type, event!.actor.userId, event!.actor.department]).toEqual(['NonRandomInspectionRecorded', 'op-a', 'dept-a']);
  });

  it('G2: lists tell the kinds apart — the new list shows each kind and filters by it; GET /draws stays random-only; statistics count per kind', async () => {
    await h.call('opA', 'POST', URL, complaintBody('NR-1', [A]));
    await h.call('principalA', 'POST', URL, complaintBody('NR-2', [A, B], { kind: 'bigDataAlert' }));
    await h.call('admin', 'POST', URL, complaintBody('NR-3', [B], { kind: 'emergency', department: 'dept-b' }));

    const all = (await h.call('inspectorA', 'GET', URL)).json().items as { inspectionId: string; kind: string }[];
    expect(all.map((v) => [v.inspectionId, v.kind])).toEqual([['NR-1', 'complaintOrReport'], ['NR-2', 'bigDataAlert'], ['NR-3', 'emergency']]);
    expect((await h.call('auditor', 'GET', `${URL}?kind=bigDataAlert`)).json().items.map((v: { inspectionId: string }) => v.inspectionId)).toEqual(['NR-2']);
    expect((await h.call('auditor', 'GET', `${URL}?target=${B}`)).json().items.map((v: { inspectionId: string }) => v.inspectionId)).toEqual(['NR-2', 'NR-3']);
    expect((await h.call('auditor', 'GET', `${URL}?department=dept-b`)).json().items.map((v: { inspectionId: string }) => v.inspectionId)).toEqual(['NR-3']);
    const first = all[0] as unknown as { position: number };
    expect((await h.call('auditor', 'GET', `${URL}?after=${first.position}&limit=1`)).json().items.map((v: { inspectionId: string }) => v.inspectionId)).toEqual(['NR-2']);

    const draws = await h.call('anonymous', 'GET', '/draws');
    expect(draws.statusCode).toBe(200);
    expect(draws.json()).toEqual([]);

    const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
    const stats = (await h.call('auditor', 'GET', `${URL}/statistics/${year}`)).json();
    expect(stats.byKind).toEqual([
      { kind: 'complaintOrReport', inspections: 1, targets: 1 },
      { kind: 'bigDataAlert', inspections: 1, targets: 2 },
      { kind: 'higherLevelOrder', inspections: 0, targets: 0 },
      { kind: 'transferredCase', inspections: 0, targets: 0 },
      { kind: 'emergency', inspections: 1, targets: 1 },
      { kind: 'violationFoundInDuty', inspections: 0, targets: 0 },
    ]);
    expect(stats.byDepartment).toEqual([
      { department: 'dept-a', kind: 'bigDataAlert', inspections: 1, targets: 2 },
      { department: 'dept-a', kind: 'complaintOrReport', inspections: 1, targets: 1 },
      { department: 'dept-b', kind: 'emergency', inspections: 1, targets: 1 },
    ]);
  });

  describe('refusals are coded, bilingual, name the field and rule, and write nothing', () => {
    const refusedWith = async (who: Parameters<Harness['call']>[0], body: unknown, status: number) => {
      const before = await h.head();
      const res = await h.call(who, 'POST', URL, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(await h.head()).toEqual(before);
      const json = res.json();
      expect(json.messageZh).toBeTruthy();
      expect(json.messageEn).toBeTruthy();
      return json;
    };

    it('G3/L4: an operator of another department is refused (403) naming /department', async () => {
      expect((await refusedWith('opB', complaintBody('NR-1', [A]), 403)).details).toMatchObject({ rule: 'L4', field: '/department' });
    });
    it('G3: admin recording for an unregistered department is refused (404) naming /department', async () => {
      expect((await refusedWith('admin', complaintBody('NR-1', [A], { department: 'dept-z' }), 404)).details).toMatchObject({ rule: 'G3', field: '/department' });
    });
    it('G2: an auditor and an inspector cannot record (403); anonymous is 401', async () => {
      await refusedWith('auditor', complaintBody('NR-1', [A]), 403);
      await refusedWith('inspectorA', complaintBody('NR-1', [A]), 403);
      await refusedWith('anonymous', complaintBody('NR-1', [A]), 401);
    });
    it('G2: a target not in the register is refused (422) and named', async () => {
      const stranger = freshUscc();
      const json = await refusedWith('opA', complaintBody('NR-1', [A, stranger]), 422);
      expect(json.details).toMatchObject({ rule: 'G2', field: '/targets', reason: 'TARGET_NOT_REGISTERED', targets: [stranger] });
      expect(json.messageZh).toContain(stranger);
    });
    it('L6: a credit code with a wrong check character is refused (400) naming its index', async () => {
      const bad = `${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'}`;
      expect((await refusedWith('opA', complaintBody('NR-1', [A, bad]), 400)).details).toMatchObject({ rule: 'L6', field: '/targets/1' });
    });
    it('G2: a kind outside the six is refused (400) naming /kind', async () => {
      expect((await refusedWith('opA', complaintBody('NR-1', [A], { kind: 'random' }), 400)).details.field).toContain('kind');
    });
    it('G2: a record without its source document is refused (400)', async () => {
      const { sourceDocument: _s, ...body } = complaintBody('NR-1', [A]);
      expect((await refusedWith('opA', body, 400)).error).toBe('VALIDATION_FAILED');
    });
    it('G2: an inspection id is recorded once (409 ALREADY_EXISTS)', async () => {
      await h.call('opA', 'POST', URL, complaintBody('NR-1', [A]));
      expect((await refusedWith('principalA', complaintBody('NR-1', [B]), 409)).details).toMatchObject({ field: '/inspectionId' });
    });
  });

  it('G2: a retried Idempotency-Key answers the first record (200, replayed) and writes nothing', async () => {
    const headers = { 'idempotency-key': 'nr-key-0001' };
    const first = await h.call('opA', 'POST', URL, complaintBody('NR-1', [A]), headers);
    expect(first.statusCode).toBe(201);
    const head = await h.head();
    const again = await h.call('opA', 'POST', URL, complaintBody('NR-1', [A]), headers);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, position: first.json().position });
    expect(await h.head()).toEqual(head);
  });

  it('G2: reads need a token (401), an unknown id is 404 naming the rule', async () => {
    expect((await h.call('anonymous', 'GET', URL)).statusCode).toBe(401);
    expect((await h.call('anonymous', 'GET', `${URL}/NR-1`)).statusCode).toBe(401);
    const missing = await h.call('auditor', 'GET', `${URL}/NR-404`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().details).toMatchObject({ rule: 'G2', field: '/inspectionId' });
  });
});
