import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '../registers/harness.js';
import { planItem, planUrl, r, seedUnifiedList } from './fixtures.js';

const url = planUrl('dept-a');
const draft = (items = [planItem('SW-01'), planItem('SW-02')], reason = '2026年度计划') => ({ items, reason });

describe('annual plans over HTTP (PL1–PL4, P1, P2)', () => {
  let h: Harness;
  let auth: { bureau: string; principalB: string };
  beforeEach(async () => {
    h = await openHarness();
    auth = await seedUnifiedList(h);
  });
  afterEach(async () => {
    await h.close();
  });

  const file = (version: number, who: 'principalA' | 'opA' = 'principalA', headers: Record<string, string> = {}) => h.call(who, 'POST', `${url}/versions/${version}/filing`, undefined, headers);
  const ledger = async () => h.rt.store.readAll();

  it('PL1/P1: an operator drafts, a principal files with the parent, the parent\'s principal acknowledges; every step is an attributed event', async () => {
    const saved = await h.call('opA', 'PUT', `${url}/draft`, draft());
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ streamId: 'plan-dept-a-2026', version: 1, events: ['PlanDraftSaved'], replayed: false });

    const filed = await file(1);
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ version: 1, events: ['PlanVersionFiled', 'NoticePublished'], noticeId: 'planNotice-dept-a-2026-v1' });

    const ack = await h.callWith(auth.bureau, 'POST', `${url}/versions/1/acknowledgement`);
    expect(ack.statusCode, ack.body).toBe(200);

    const plan = (await h.call('auditor', 'GET', url)).json();
    expect(plan).toMatchObject({ inForceVersion: 1, draftVersion: null, uncoveredItems: [], itemsNoLongerListed: [] });
    const v1 = plan.versions[0];
    expect(v1).toMatchObject({ status: 'acknowledged', drafted: { by: 'op-a' }, filing: { filedWith: 'bureau', by: 'pr-a', coveredItems: ['SW-01', 'SW-02'] }, answer: { by: 'pr-bureau', department: 'bureau', returnReason: null } });
    expect(v1.filing.listBasis).toEqual([{ departmentId: 'bureau', version: 1 }]);

    // P1: who, which department, when, why — on every recorded step.
    const steps = (await ledger()).filter((e) => e.streamId === 'plan-dept-a-2026');
    expect(steps.map((e) => [e.type, e.actor.userId, e.actor.department])).toEqual([
      ['PlanDraftSaved', 'op-a', 'dept-a'],
      ['PlanVersionFiled', 'pr-a', 'dept-a'],
      ['PlanVersionAcknowledged', 'pr-bureau', 'bureau'],
    ]);
    expect(steps[0]!.payload).toMatchObject({ reason: '2026年度计划' });
  });

  it('PL2: filing is refused while an item is uncovered, and the error names the items; nothing is written', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-01')]));
    const before = await h.head();
    const res = await file(1);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'PL2', field: '/items', uncoveredItems: ['SW-02'] } });
    expect(res.json().messageZh).toContain('SW-02');
    expect(res.json().messageEn).toContain('SW-02');
    expect(await h.head()).toEqual(before);
  });

  it('P2: filing publishes exactly one plan notice (抽查计划公示), public without a token, citing the filing\'s ledger position', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft());
    await file(1);
    const list = await h.call('anonymous', 'GET', '/notices?kind=planNotice');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const notice = (await h.call('anonymous', 'GET', '/notices/planNotice-dept-a-2026-v1')).json();
    const filing = (await ledger()).find((e) => e.type === 'PlanVersionFiled')!;
    expect(notice).toMatchObject({
      kind: 'planNotice',
      title: '市场科2026年度双随机抽查工作计划',
      department: 'dept-a',
      subject: { streamId: 'plan-dept-a-2026', revision: filing.revision, eventType: 'PlanVersionFiled', position: filing.position },
      body: { year: 2026, version: 1, filedWith: 'bureau', changes: { added: ['SW-01', 'SW-02'], changed: [], removed: [] } },
    });
    expect(notice.body.items.map((i: { itemId: string; name: string }) => [i.itemId, i.name])).toEqual([
      ['SW-01', '检查事项 SW-01'],
      ['SW-02', '检查事项 SW-02'],
    ]);
    // The notice and the filing are one append: consecutive positions.
    expect(notice.position).toBe(filing.position + 1);
  });

  it('PL1: a plan adjustment filed and acknowledged: a new version, filed again, with the diff visible', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft());
    await file(1);
    await h.callWith(auth.bureau, 'POST', `${url}/versions/1/acknowledgement`);
    const adjusted = await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-01', { estimatedCount: 60 }), planItem('SW-02')], '年中调整：新增企业'));
    expect(adjusted.json()).toMatchObject({ version: 2 });
    // Version 1 stays in force while version 2 is a draft.
    expect((await h.call('opA', 'GET', url)).json()).toMatchObject({ inForceVersion: 1, draftVersion: 2 });
    expect((await file(2)).statusCode).toBe(201);
    expect((await h.callWith(auth.bureau, 'POST', `${url}/versions/2/acknowledgement`)).statusCode).toBe(200);

    const plan = (await h.call('opA', 'GET', url)).json();
    expect(plan.inForceVersion).toBe(2);
    expect(plan.versions.map((v: { status: string }) => v.status)).toEqual(['acknowledged', 'acknowledged']);
    expect(plan.versions[1].filing.changes).toEqual({ added: [], changed: ['SW-01'], removed: [] });
    const diff = (await h.call('opA', 'GET', `${url}/diff?from=1&to=2`)).json();
    expect(diff.changed).toEqual([{ itemId: 'SW-01', before: planItem('SW-01'), after: planItem('SW-01', { estimatedCount: 60 }), fields: ['estimatedCount'] }]);
    const notice = (await h.call('anonymous', 'GET', '/notices/planNotice-dept-a-2026-v2')).json();
    expect(notice.title).toContain('第2版');
    expect(notice.body.changes.changed).toEqual(['SW-01']);
  });

  it('PL1: a returned filing records the reason and never applies; the next version is drafted and filed again', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft());
    await file(1);
    // While the filing awaits the parent, no adjustment can be drafted.
    const early = await h.call('opA', 'PUT', `${url}/draft`, draft());
    expect(early.json().details).toMatchObject({ rule: 'PL1', field: '/version' });
    const returned = await h.callWith(auth.bureau, 'POST', `${url}/versions/1/return`, { reason: '比例偏低' });
    expect(returned.statusCode, returned.body).toBe(200);
    const plan = (await h.call('opA', 'GET', url)).json();
    expect(plan.inForceVersion).toBeNull();
    expect(plan.versions[0]).toMatchObject({ status: 'returned', answer: { by: 'pr-bureau', returnReason: '比例偏低' } });
    expect((await h.call('opA', 'PUT', `${url}/draft`, draft())).json().version).toBe(2);
    expect((await file(2)).statusCode).toBe(201);
    // Acknowledging the returned version is refused.
    expect((await h.callWith(auth.bureau, 'POST', `${url}/versions/1/acknowledgement`)).json().details).toMatchObject({ rule: 'PL1', status: 'returned' });
  });

  it('PL1: the root department files with nobody — recorded as such, nothing to acknowledge', async () => {
    await h.seed({ type: 'PublishItemList', data: { departmentId: 'bureau', items: [], reason: '清空' } });
    await h.callWith(auth.bureau, 'PUT', `${planUrl('bureau')}/draft`, draft([]));
    const filed = await h.callWith(auth.bureau, 'POST', `${planUrl('bureau')}/versions/1/filing`);
    expect(filed.statusCode, filed.body).toBe(201);
    const plan = (await h.call('auditor', 'GET', planUrl('bureau'))).json();
    expect(plan).toMatchObject({ inForceVersion: 1 });
    expect(plan.versions[0].filing.filedWith).toBeNull();
    const ack = await h.call('admin', 'POST', `${planUrl('bureau')}/versions/1/acknowledgement`);
    expect(ack.statusCode).toBe(422);
    expect(ack.json().details).toMatchObject({ rule: 'PL1', filedWith: null });
    expect((await h.call('anonymous', 'GET', '/notices/planNotice-bureau-2026-v1')).json().body.filedWith).toBeNull();
  });

  it('PL1/G3: an operator cannot file; only a principal of the parent acknowledges — not another unit\'s, not the filer\'s own; nothing written', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft());
    const before = await h.head();
    expect((await file(1, 'opA')).statusCode).toBe(403);
    expect(await h.head()).toEqual(before);
    await file(1);
    const after = await h.head();
    expect((await h.callWith(auth.principalB, 'POST', `${url}/versions/1/acknowledgement`)).statusCode).toBe(403);
    expect((await h.call('principalA', 'POST', `${url}/versions/1/acknowledgement`)).statusCode).toBe(403);
    expect((await h.call('opA', 'POST', `${url}/versions/1/return`, { reason: 'x' })).statusCode).toBe(403);
    expect((await h.call('opB', 'PUT', `${url}/draft`, draft())).statusCode).toBe(403);
    expect((await h.call('anonymous', 'GET', url)).statusCode).toBe(401);
    expect(await h.head()).toEqual(after);
  });

  it('PL2: when the list changes after filing, the plan shows the items it no longer covers; the bureau-wide coverage shows every unit', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft());
    await file(1);
    await h.seed({
      type: 'PublishItemList',
      data: {
        departmentId: 'bureau',
        items: [
          ...(await h.call('anonymous', 'GET', '/departments/bureau/item-list')).json().items.filter((i: { itemId: string }) => i.itemId !== 'SW-02'),
          { itemId: 'SW-09', name: '洗染业经营者检查', targetType: '洗染经营者', category: 'general', method: ['onSite'], inspectingBody: 'dept-a', legalBasis: '《洗染业管理办法》', maxRatioBp: 300 },
        ],
        reason: '清单调整',
      },
    });
    const plan = (await h.call('opA', 'GET', url)).json();
    expect(plan).toMatchObject({ inForceVersion: 1, uncoveredItems: ['SW-09'], itemsNoLongerListed: ['SW-02'] });
    const cov = (await h.call('auditor', 'GET', '/plans/2026/coverage')).json();
    expect(cov.uncovered).toEqual(['SW-03', 'SW-09']);
    expect(cov.items.find((i: { itemId: string }) => i.itemId === 'SW-01')).toMatchObject({ inspectingBody: 'dept-a', coveredBy: { departmentId: 'dept-a', version: 1 } });
    expect(cov.items.find((i: { itemId: string }) => i.itemId === 'SW-03')).toMatchObject({ inspectingBody: 'dept-b', coveredBy: null });
    // Filing the next version is refused until SW-09 is covered.
    await h.callWith(auth.bureau, 'POST', `${url}/versions/1/acknowledgement`);
    await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-01')], '清单调整后'));
    expect((await file(2)).json().details).toMatchObject({ rule: 'PL2', uncoveredItems: ['SW-09'] });
  });

  it('PL4: a higher risk class with a lower ratio, or dishonest below credit D, is refused naming the field and PL4; nothing written', async () => {
    const before = await h.head();
    const risk = await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-01', { riskRatios: { A: r(2, 100), B: r(1, 100), C: r(3, 100), D: r(5, 100) } })]));
    expect(risk.statusCode).toBe(422);
    expect(risk.json().details).toMatchObject({ rule: 'PL4', field: '/items/0/riskRatios/B' });
    const dishonest = await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-02', { creditRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(1, 10), dishonest: r(9, 100) } })]));
    expect(dishonest.json().details).toMatchObject({ rule: 'PL4', field: '/items/0/creditRatios/dishonest' });
    expect(dishonest.json().messageZh).toMatch(/^PL4：/);
    expect(await h.head()).toEqual(before);
  });

  it('L2/A4: a general item\'s plan ratio above the item\'s cap is refused; the cap is the list\'s configuration, so raising it there admits the same plan; key items have no cap', async () => {
    const high = planItem('SW-01', { riskRatios: { A: r(1, 100), B: r(2, 100), C: r(3, 100), D: r(8, 100) } });
    const refused = await h.call('opA', 'PUT', `${url}/draft`, draft([high, planItem('SW-02', { ratio: r(1, 2), riskRatios: { A: r(1, 2), B: r(1, 2), C: r(1, 2), D: r(1, 1) } })]));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details).toMatchObject({ rule: 'L2', field: '/items/0/riskRatios/D', maxRatio: { numerator: 500, denominator: 10000 } });
    const list = (await h.call('anonymous', 'GET', '/departments/bureau/item-list')).json();
    await h.seed({
      type: 'PublishItemList',
      data: { departmentId: 'bureau', items: list.items.map((i: { itemId: string }) => (i.itemId === 'SW-01' ? { ...i, maxRatioBp: 1000 } : i)), reason: '上级调整比例上限' },
    });
    const admitted = await h.call('opA', 'PUT', `${url}/draft`, draft([high, planItem('SW-02', { ratio: r(1, 2), riskRatios: { A: r(1, 2), B: r(1, 2), C: r(1, 2), D: r(1, 1) } })]));
    expect(admitted.statusCode, admitted.body).toBe(200);
  });

  it('L1: a department cannot plan an item it is not the inspecting body of', async () => {
    const res = await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-03')]));
    expect(res.statusCode).toBe(422);
    expect(res.json().details).toMatchObject({ rule: 'L1', field: '/items/0/itemId' });
  });

  it('PL3: a window outside the plan year, a ratio above 1, or regional weights not summing to 10000 are refused naming the field', async () => {
    const cases: [object, string][] = [
      [{ window: { from: '2025-12-01', to: '2026-03-01' } }, '/items/0/window/from'],
      [{ window: { from: '2026-02-30', to: '2026-03-01' } }, '/items/0/window/from'],
      [{ window: { from: '2026-05-01', to: '2026-03-01' } }, '/items/0/window/to'],
      [{ unifiedShare: r(3, 2) }, '/items/0/unifiedShare'],
      [{ regionalWeights: [{ region: '南麻街道', weightBp: 5000 }] }, '/items/0/regionalWeights'],
    ];
    for (const [over, field] of cases) {
      const res = await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-01', over)]));
      expect(res.statusCode, field).toBe(400);
      expect(res.json().details, field).toMatchObject({ rule: 'PL3', field });
    }
    const dup = await h.call('opA', 'PUT', `${url}/draft`, draft([planItem('SW-01'), planItem('SW-01')]));
    expect(dup.json().details).toMatchObject({ rule: 'PL3', field: '/items/1/itemId' });
  });

  it('P2: a filing never lands without its notice — when the notice cannot be written, the filing is not written either', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft());
    // Someone got a notice under v1's id into the ledger first: the notice append must fail (noStream), and with it the filing.
    const notice = { noticeId: 'planNotice-dept-a-2026-v1', kind: 'planNotice', title: '伪造的公示', department: 'dept-a', subject: { streamId: 'plan-dept-a-2026', revision: 1, eventType: 'PlanVersionFiled' }, body: { departmentId: 'dept-a', departmentName: '市场科', year: 2026, version: 1, filedWith: 'bureau', changes: { added: [], changed: [], removed: [] }, items: [] } };
    await h.rt.store.append('notice-planNotice-dept-a-2026-v1', [{ eventId: randomUUID(), type: 'NoticePublished', actor: { userId: 'x', role: 'admin', department: 'bureau' }, correlationId: 'x', payload: notice }], 'noStream');
    const before = await h.head();
    const res = await file(1);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('WRONG_EXPECTED_REVISION');
    expect(await h.head()).toEqual(before);
    expect((await h.call('opA', 'GET', url)).json().versions[0].status).toBe('draft');
  });

  it('Idempotency-Key: a retried filing answers the first result and publishes one notice', async () => {
    await h.call('opA', 'PUT', `${url}/draft`, draft());
    const first = await file(1, 'principalA', { 'idempotency-key': 'file-plan-0001' });
    const again = await file(1, 'principalA', { 'idempotency-key': 'file-plan-0001' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect((await ledger()).filter((e) => e.type === 'NoticePublished')).toHaveLength(1);
  });
});

describe('OpenAPI lists the plan and notice routes with their schemas', () => {
  it('P2/PL1: /docs/json documents every plan and notice route', async () => {
    const h = await openHarness();
    try {
      const doc = (await h.call('anonymous', 'GET', '/docs/json')).json();
      const expected: [string, string][] = [
        ['/departments/{departmentId}/plans/{year}/draft', 'put'],
        ['/departments/{departmentId}/plans/{year}/versions/{version}/filing', 'post'],
        ['/departments/{departmentId}/plans/{year}/versions/{version}/acknowledgement', 'post'],
        ['/departments/{departmentId}/plans/{year}/versions/{version}/return', 'post'],
        ['/departments/{departmentId}/plans/{year}', 'get'],
        ['/departments/{departmentId}/plans/{year}/versions/{version}', 'get'],
        ['/departments/{departmentId}/plans/{year}/diff', 'get'],
        ['/plans/{year}/coverage', 'get'],
        ['/notices', 'get'],
        ['/notices/{noticeId}', 'get'],
      ];
      for (const [path, method] of expected) {
        const op = doc.paths[path]?.[method];
        expect(op, `${method} ${path}`).toBeDefined();
        expect(op.responses, `${method} ${path}`).toHaveProperty('200');
      }
      expect(doc.paths['/departments/{departmentId}/plans/{year}/draft'].put.requestBody).toBeDefined();
    } finally {
      await h.close();
    }
  });
});
