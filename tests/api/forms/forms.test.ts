import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTaskHarness } from '../tasks/fixtures.js';
import type { Harness } from '../registers/harness.js';
import { formBody, seedVisitOfTwoItems } from './fixtures.js';

describe('check forms and methods over HTTP (E2, E3)', () => {
  let h: Harness;
  let visitId: string;
  beforeEach(async () => {
    h = await openTaskHarness();
    ({ visitId } = await seedVisitOfTwoItems(h));
  });
  afterEach(async () => h.close());

  const publish = (itemId: string, body: unknown = formBody(), who: 'opA' | 'principalA' | 'opB' | 'inspectorA' = 'opA') => h.call(who, 'POST', `/forms/${itemId}/versions`, body);
  const refusedUnchanged = async (p: () => ReturnType<Harness['call']>, status: number) => {
    const before = await h.head();
    const r = await p();
    expect(r.statusCode, r.body).toBe(status);
    expect(r.json().messageZh).toBeTruthy();
    expect(r.json().messageEn).toBeTruthy();
    expect(await h.head()).toEqual(before);
    return r.json() as { error: string; details: Record<string, unknown> };
  };

  it('E2: a published template is versioned; the same content again is a no-op; a change is the next version', async () => {
    const v1 = await publish('SW-01');
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ streamId: 'form-SW-01', version: 1, events: ['FormVersionPublished'] });
    const again = await publish('SW-01');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ events: [], position: null });
    const v2 = await publish('SW-01', formBody({ methods: [{ kind: 'written' }], reason: '改为书面检查' }));
    expect(v2.json()).toMatchObject({ version: 2 });
    const form = (await h.call('auditor', 'GET', '/forms/SW-01')).json();
    expect(form).toMatchObject({ currentVersion: 2, versions: [{ version: 1, reason: '首版' }, { version: 2, reason: '改为书面检查' }] });
    const old = await h.call('auditor', 'GET', '/forms/SW-01/versions/1');
    expect(old.json().methods).toEqual(formBody().methods);
    expect((await h.call('auditor', 'GET', '/forms/SW-01/versions/3')).statusCode).toBe(404);
    // P1: attributed to the publisher's own token.
    const events = (await h.rt.store.readStream('form-SW-01')).map((e) => [e.type, e.actor.userId]);
    expect(events).toEqual([['FormVersionPublished', 'op-a'], ['FormVersionPublished', 'op-a']]);
  });

  it('E2: a visit of two items gets one combined form with both items\' questions (automatic match)', async () => {
    await publish('SW-01');
    await publish('SW-02', formBody({ questions: [{ questionId: 'q1', text: '是否建立进货查验记录', legalBasis: '第二十条', answer: 'text', photoRequired: false }] }));
    const r = await h.call('inspectorA', 'GET', `/visits/${visitId}/form`);
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json();
    expect(f).toMatchObject({ visitId, source: 'automatic', reason: null, itemsWithoutForm: [] });
    expect(f.forms).toEqual([{ itemId: 'SW-01', version: 1 }, { itemId: 'SW-02', version: 1 }]);
    expect(f.questions.map((q: { questionId: string }) => q.questionId)).toEqual(['SW-01/q1', 'SW-01/q2', 'SW-02/q1']);
  });

  it('E2: an item without a template is named in itemsWithoutForm', async () => {
    await publish('SW-02');
    const f = (await h.call('auditor', 'GET', `/visits/${visitId}/form`)).json();
    expect(f.forms).toEqual([{ itemId: 'SW-02', version: 1 }]);
    expect(f.itemsWithoutForm).toEqual(['SW-01']);
  });

  it('E2: a manual choice of versions needs a reason, and GET then returns the chosen versions', async () => {
    await publish('SW-01');
    await publish('SW-01', formBody({ reason: '第二版', methods: [{ kind: 'written' }] }));
    await publish('SW-02');
    const forms = [{ itemId: 'SW-01', version: 1 }, { itemId: 'SW-02', version: 1 }];
    const noReason = await refusedUnchanged(() => h.call('opA', 'POST', `/visits/${visitId}/form`, { forms }), 400);
    expect(noReason.error).toBe('VALIDATION_FAILED');
    const blank = await refusedUnchanged(() => h.call('opA', 'POST', `/visits/${visitId}/form`, { forms, reason: '   ' }), 400);
    expect(blank.details).toMatchObject({ field: '/reason', rule: 'E2' });
    const chosen = await h.call('opA', 'POST', `/visits/${visitId}/form`, { forms, reason: '本次沿用旧版检查表' });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json()).toMatchObject({ streamId: `visit-form-${visitId}`, events: ['VisitFormChosen'] });
    const f = (await h.call('auditor', 'GET', `/visits/${visitId}/form`)).json();
    expect(f).toMatchObject({ source: 'manual', reason: '本次沿用旧版检查表', forms });
  });

  it('E2: a manual choice must cover every item of the visit with an existing version; another unit may not choose', async () => {
    await publish('SW-01');
    await publish('SW-02');
    const url = `/visits/${visitId}/form`;
    const partial = await refusedUnchanged(() => h.call('opA', 'POST', url, { forms: [{ itemId: 'SW-01', version: 1 }], reason: '手动' }), 400);
    expect(partial.details).toMatchObject({ field: '/forms', rule: 'E2' });
    const noVersion = await refusedUnchanged(() => h.call('opA', 'POST', url, { forms: [{ itemId: 'SW-01', version: 9 }, { itemId: 'SW-02', version: 1 }], reason: '手动' }), 400);
    expect(noVersion.details).toMatchObject({ field: '/forms/0/version' });
    const foreign = await refusedUnchanged(() => h.call('opA', 'POST', url, { forms: [{ itemId: 'SW-03', version: 1 }], reason: '手动' }), 400);
    expect(foreign.details).toMatchObject({ field: '/forms/0/itemId' });
    await refusedUnchanged(() => h.call('opB', 'POST', url, { forms: [{ itemId: 'SW-01', version: 1 }, { itemId: 'SW-02', version: 1 }], reason: '手动' }), 403);
    await refusedUnchanged(() => h.call('opA', 'POST', '/visits/no-such-visit/form', { forms: [{ itemId: 'SW-01', version: 1 }], reason: '手动' }), 404);
  });

  it('E3: a method missing its required field is refused, naming the field; nothing is written', async () => {
    const cases: [unknown, string][] = [
      [{ kind: 'samplingTest' }, '/methods/0/needs'],
      [{ kind: 'reuse' }, '/methods/0/citedDocument'],
      [{ kind: 'thirdParty', commissioningUnit: 'dept-a' }, '/methods/0/agency'],
      [{ kind: 'thirdParty', agency: '某检测有限公司' }, '/methods/0/commissioningUnit'],
      [{ kind: 'onSite', agency: '某检测有限公司' }, '/methods/0/agency'],
    ];
    for (const [method, field] of cases) {
      const e = await refusedUnchanged(() => publish('SW-01', formBody({ methods: [method] })), 400);
      expect(e.details, JSON.stringify(method)).toMatchObject({ field, rule: 'E3' });
    }
    const ok = await publish('SW-01', formBody({ methods: [{ kind: 'reuse', citedDocument: '县应急局〔2026〕12号检查结论' }, { kind: 'thirdParty', agency: '某检测有限公司', commissioningUnit: 'dept-a' }] }));
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('E2: duplicate question ids and an unknown item are refused; nothing is written', async () => {
    const q = formBody().questions[0]!;
    const dup = await refusedUnchanged(() => publish('SW-01', formBody({ questions: [q, { ...q, text: '另一问' }] })), 400);
    expect(dup.details).toMatchObject({ field: '/questions/1/questionId', rule: 'E2' });
    const unknown = await refusedUnchanged(() => publish('NO-SUCH-ITEM'), 404);
    expect(unknown.details).toMatchObject({ field: '/itemId', rule: 'E2' });
    expect((await h.call('auditor', 'GET', '/forms/NO-SUCH-ITEM')).statusCode).toBe(404);
  });

  it('E2/L4: only the item\'s inspecting body or the list\'s keeper publishes; an inspector never does', async () => {
    await refusedUnchanged(() => publish('SW-01', formBody(), 'opB'), 403);
    await refusedUnchanged(() => publish('SW-01', formBody(), 'inspectorA'), 403);
    // The bureau keeps the unified list: its principal may publish.
    const { bureau } = await (async () => ({ bureau: (await h.issue({ userId: 'pr-bureau', role: 'principal', department: 'bureau' })) }))();
    const r = await h.callWith(bureau, 'POST', '/forms/SW-03/versions', formBody());
    expect(r.statusCode, r.body).toBe(201);
  });
});
