import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseCsv } from '../../helpers/parse-csv.js';
import { inspectorBody } from '../registers/harness.js';
import { closeRecord, okResults, openResultsWorld, setToday, unchanged, type ResultsWorld } from '../results/fixtures.js';

describe('after the visit: not inspected, transfers, follow-ups, the upward report (E8, E9, A1)', () => {
  let w: ResultsWorld;
  let bLeader: string;
  let bMember: string;
  beforeAll(async () => {
    w = await openResultsWorld();
    for (const id of ['in-b1', 'in-b2']) await w.h.seed({ type: 'RegisterInspector', data: inspectorBody(id, 'dept-b') });
    for (const id of ['in-b1', 'in-b2']) await w.h.seed({ type: 'RegisterUser', data: { userId: id, name: `乙区检查员 ${id}`, role: 'inspector', department: 'dept-b' } });
    bLeader = await w.h.issue({ userId: 'in-b1', role: 'inspector', department: 'dept-b' });
    bMember = await w.h.issue({ userId: 'in-b2', role: 'inspector', department: 'dept-b' });
    setToday('2026-09-21');
  });
  afterAll(async () => {
    await w.h.close();
  });
  const outcome = (v: string, body: unknown, as = w.leader) => w.h.callWith(as, 'POST', `/visits/${v}/outcome`, body);
  const approve = (v: string) => w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'approve' });

  it('the new routes are in the OpenAPI document', async () => {
    const doc = (await w.h.call('anonymous', 'GET', '/docs/json')).json() as { paths: Record<string, unknown> };
    for (const p of ['/visits/{visitId}/outcome', '/visits/{visitId}/transfer', '/visits/{visitId}/transfer/accept', '/followups', '/followups/{followUpId}/updates', '/followups/{followUpId}/close', '/reports/inspections']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });

  it('E8: an unreachable target is recorded by the leader without an on-site record, published as 无法联系, and counts as completed', async () => {
    const v = w.visits[0]!;
    // Only the leader records it (E1/A3); nothing is written otherwise.
    expect((await unchanged(w.h, outcome(v, { outcome: 'unreachable', basis: '登记住所无此企业 / no such business at the address' }, w.h.bearer('opA')), 403)).json().details.rule).toBe('E1');
    expect((await unchanged(w.h, outcome(v, { outcome: 'moved', basis: 'x' }), 400)).json().details.field).toContain('outcome');
    expect((await unchanged(w.h, outcome(v, { outcome: 'unreachable', basis: 'x', evidence: 'a'.repeat(64) }), 404)).json().details.field).toBe('/evidence');
    const r = await outcome(v, { outcome: 'unreachable', basis: '两次上门及电话均无法联系 / unreachable twice on site and by phone' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().events).toEqual(['VisitOutcomeRecorded']);
    // A second outcome while the first awaits review is refused.
    expect((await unchanged(w.h, outcome(v, { outcome: 'deregistered', basis: 'x' }), 422)).json().details.reason).toBe('RESULTS_SUBMITTED');
    const a = await approve(v);
    expect(a.statusCode, a.body).toBe(201);
    const view = (await w.h.call('opA', 'GET', `/visits/${v}/results`)).json();
    expect(view.status).toBe('published');
    expect(view.results[0]).toMatchObject({ category: 'problemFound', kind: { code: 'unreachableAtAddress', label: '通过登记的住所（经营场所）无法联系' } });
  });

  it('E9: a follow-up on a result that shows no problem is refused; nothing is written', async () => {
    const v = w.visits[1]!;
    await closeRecord(w.h, v);
    expect((await w.h.callWith(w.leader, 'POST', `/visits/${v}/results`, { results: okResults })).statusCode).toBe(201);
    expect((await approve(v)).statusCode).toBe(201);
    const r = await unchanged(w.h, w.h.call('opA', 'POST', '/followups', { visitId: v, itemId: 'SW-02', kind: 'handover', handledBy: '日常监管科' }), 422);
    expect(r.json().details).toMatchObject({ rule: 'E9', reason: 'NO_PROBLEM' });
  });

  it('E9: a follow-up of a result with a problem is opened, updated and closed by the unit\'s staff, and listed with its status', async () => {
    const v = w.visits[0]!; // 无法联系: 发现问题待后续处理
    expect((await unchanged(w.h, w.h.call('opA', 'POST', '/followups', { visitId: v, itemId: 'SW-02', kind: 'caseFiling' }), 400)).json().details.field).toBe('/caseNumber');
    expect((await unchanged(w.h, w.h.callWith(w.prB, 'POST', '/followups', { visitId: v, itemId: 'SW-02', kind: 'caseFiling', caseNumber: '(2026)1号' }), 403)).json().details.rule).toBe('E9');
    const o = await w.h.call('opA', 'POST', '/followups', { visitId: v, itemId: 'SW-02', kind: 'caseFiling', caseNumber: '南市监立〔2026〕1号' });
    expect(o.statusCode, o.body).toBe(201);
    const id = o.json().followUpId as string;
    expect((await unchanged(w.h, w.h.call('opA', 'POST', '/followups', { visitId: v, itemId: 'SW-02', kind: 'caseFiling', caseNumber: 'x' }), 422)).json().details.reason).toBe('FOLLOW_UP_EXISTS');
    expect((await w.h.call('opA', 'POST', `/followups/${encodeURIComponent(id)}/updates`, { status: '调查中', note: '已调取登记材料' })).statusCode).toBe(201);
    expect((await w.h.call('opA', 'POST', '/followups', { visitId: v, itemId: 'SW-02', kind: 'handover', handledBy: '日常监管科' })).statusCode).toBe(201);
    let list = (await w.h.call('auditor', 'GET', `/followups?visitId=${v}`)).json().items as { kind: string; status: string }[];
    expect(list.map((f) => [f.kind, f.status])).toEqual([['caseFiling', '调查中'], ['handover', 'open']]);
    expect((await w.h.call('principalA', 'POST', `/followups/${encodeURIComponent(id)}/close`, { outcome: '列入经营异常名录' })).statusCode).toBe(201);
    await unchanged(w.h, w.h.call('opA', 'POST', `/followups/${encodeURIComponent(id)}/close`, { outcome: 'again' }), 422);
    list = (await w.h.call('auditor', 'GET', `/followups?visitId=${v}&status=closed`)).json().items;
    expect(list.map((f) => f.kind)).toEqual(['caseFiling']);
  });

  it('E8: a transfer is accepted only by a principal of the new unit, once, and the visit then joins that unit\'s work queue', async () => {
    const v = w.visits[2]!;
    expect((await unchanged(w.h, w.h.callWith(w.prB, 'POST', `/visits/${v}/transfer`, { toUnit: 'dept-b', reason: '已迁出' }), 403)).json().details.rule).toBe('E8');
    expect((await unchanged(w.h, w.h.call('opA', 'POST', `/visits/${v}/transfer`, { toUnit: 'dept-zz', reason: '已迁出' }), 404)).json().details.field).toBe('/toUnit');
    expect((await w.h.call('opA', 'POST', `/visits/${v}/transfer`, { toUnit: 'dept-b', reason: '已迁出至乙区 / moved to district B' })).statusCode).toBe(201);
    const accept = (as: string, body: unknown = { leader: 'in-b1', members: ['in-b1', 'in-b2'] }) => w.h.callWith(as, 'POST', `/visits/${v}/transfer/accept`, body);
    // The proposing unit's principal, an operator of the new unit, an admin: refused.
    expect((await unchanged(w.h, accept(w.h.bearer('principalA')), 403)).json().details.rule).toBe('E8');
    expect((await unchanged(w.h, accept(w.h.bearer('admin')), 403)).json().details.rule).toBe('E8');
    expect((await unchanged(w.h, accept(w.prB, { leader: 'in-a', members: ['in-a', 'in-b1'] }), 400)).json().details.field).toBe('/members/0');
    expect((await accept(w.prB)).statusCode).toBe(201);
    expect((await unchanged(w.h, accept(w.prB), 422)).json().details.reason).toBe('TRANSFER_ACCEPTED');
    const queueB = (await w.h.callWith(w.prB, 'GET', '/visits?unit=dept-b')).json().items as { visitId: string; executingUnit: string }[];
    expect(queueB.map((x) => x.visitId)).toContain(v);
    const queueA = (await w.h.call('opA', 'GET', '/visits?unit=dept-a')).json().items as { visitId: string }[];
    expect(queueA.map((x) => x.visitId)).not.toContain(v);
    // The old group can no longer act; the new unit's group records the visit and its leader submits.
    await closeRecord(w.h, v, { leader: { id: 'in-b1', auth: bLeader }, member: { id: 'in-b2', auth: bMember } });
    expect((await unchanged(w.h, w.h.callWith(w.leader, 'POST', `/visits/${v}/results`, { results: okResults }), 403)).json().details.rule).toBe('E1');
    expect((await w.h.callWith(bLeader, 'POST', `/visits/${v}/results`, { results: okResults })).statusCode).toBe(201);
  });

  it('E8: a visit whose record is closed cannot be transferred', async () => {
    const v = w.visits[1]!;
    expect((await unchanged(w.h, w.h.call('opA', 'POST', `/visits/${v}/transfer`, { toUnit: 'dept-b', reason: '已迁出' }), 422)).json().details.reason).toBe('RECORD_CLOSED');
  });

  it('E8/A1: the upward report lists the unreachable target as not inspected (completed), the transfer, and follow-ups; CSV and XLSX agree row for row', async () => {
    const q = '/reports/inspections?department=dept-a&from=2026-09-01&to=2026-09-30';
    const csv = await w.h.call('auditor', 'GET', q);
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = parseCsv(csv.body);
    expect(rows[0]!.slice(0, 6)).toEqual(['任务编号', '检查编号', '执行单位', '统一社会信用代码', '任务截止日', '检查情况']);
    const byVisit = new Map(rows.slice(1).map((r) => [r[1]!, r]));
    expect(byVisit.get(w.visits[0]!)!.slice(5, 7)).toEqual(['未检查（视为完成）', '通过登记的住所（经营场所）无法联系']);
    expect(byVisit.get(w.visits[0]!)!.slice(11)).toEqual(['1', '1']);
    expect(byVisit.get(w.visits[1]!)![5]).toBe('已检查');
    expect(byVisit.get(w.visits[1]!)![10]).toBe('按时公示');
    expect(byVisit.get(w.visits[2]!)![7]).toBe('移交至 dept-b');
    const x = await w.h.call('auditor', 'GET', `${q}&format=xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const sheet: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => sheet.push((row.values as unknown[]).slice(1).map((c) => String(c ?? ''))));
    expect(sheet).toEqual(rows.map((r) => r.map((c) => c)));
    // A period with no task window end: headers only.
    expect(parseCsv((await w.h.call('auditor', 'GET', '/reports/inspections?department=dept-a&from=2027-01-01&to=2027-12-31')).body)).toHaveLength(1);
    await unchanged(w.h, w.h.call('auditor', 'GET', '/reports/inspections?department=dept-a&from=2026-10-01&to=2026-09-01'), 400);
  });
});
