import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageCalendarYears } from '../../../src/app/calendar/index.js';
import { workingCalendar } from '../../../src/domain/calendar/index.js';
import { defaultResultPeriods, publicationDeadline } from '../../../src/domain/results/index.js';
import { post, preCheck, signed, storedPhoto } from '../inspections/fixtures.js';
import { closeRecord, memberA2, okResults, openResultsWorld, setToday, unchanged, type ResultsWorld } from './fixtures.js';

/** The real statutory calendar as the package ships it (chinese-days: data up to 2026). */
const calendar = workingCalendar({ years: packageCalendarYears() });
const within = (to: string) => publicationDeadline([{ window: { from: '2026-01-01', to } }], calendar, defaultResultPeriods);

describe('E5 deadlines on the statutory calendar', () => {
  it('E5: the deadline counts working days across 国庆 2026', () => {
    // From 2026-09-18: Sun 09-20 is an adjusted working day, 中秋 09-25…27 and 国庆 10-01…07 are
    // not, Sat 10-10 is: the 20th working day is 10-22 (Monday to Friday would give 10-16).
    expect(within('2026-09-18')).toEqual({ from: '2026-09-18', date: '2026-10-22', provisional: false, missingYears: [] });
  });

  it('E5: a deadline into a year without calendar data is provisional and flagged', () => {
    const d = within('2026-12-20');
    expect(d.provisional).toBe(true);
    expect(d.missingYears).toEqual([2027]);
    expect(d.date > '2027-01-01').toBe(true);
  });
});

describe('results, review and publication (E5, P2)', () => {
  let w: ResultsWorld;
  beforeAll(async () => {
    w = await openResultsWorld();
  });
  afterAll(async () => {
    await w.h.close();
  });
  const submit = (v: string, results: unknown = okResults, as = w.leader) => w.h.callWith(as, 'POST', `/visits/${v}/results`, { results });

  it('the results routes are in the OpenAPI document, the public objection route without security', async () => {
    const doc = (await w.h.call('anonymous', 'GET', '/docs/json')).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const p of ['/visits/{visitId}/results', '/visits/{visitId}/results/review', '/visits/{visitId}/results/corrections', '/visits/{visitId}/objections', '/results', '/objections']) expect(doc.paths, p).toHaveProperty([p]);
    expect(doc.paths['/objections']!.post!.security).toEqual([]);
  });

  it('E4/E5: results are refused while the on-site record is open, and from anyone but the leader; nothing is written', async () => {
    const v = w.visits[0]!;
    const open = await unchanged(w.h, submit(v), 422);
    expect(open.json().details).toMatchObject({ rule: 'E4', reason: 'RECORD_OPEN' });
    await closeRecord(w.h, v);
    expect((await unchanged(w.h, submit(v, okResults, w.h.bearer('opA')), 403)).json().details.rule).toBe('E1');
    expect((await unchanged(w.h, submit(v, okResults, w.h.bearer('principalA')), 403)).json().details.rule).toBe('E1');
    await unchanged(w.h, w.h.call('auditor', 'POST', `/visits/${v}/results`, { results: okResults }), 403);
  });

  it('E4: a result signed by one inspector only cannot be submitted', async () => {
    // visits[3] is left unsubmitted on purpose (the overdue checks below count on it).
    const v = w.visits[3]!;
    const member = await w.h.issue(memberA2);
    const photo = await storedPhoto(w.h, w.leader, v, `现场照片 ${v}`);
    const onSite = {
      present: ['in-a', 'in-a2'], credentialsShown: true, noticeNumber: '沂市监告〔2026〕104号',
      findings: [{ itemId: 'SW-02', answer: 'conforms', evidence: [photo] }], measures: ['onSiteRecord', 'evidenceTaken'], rectification: { status: 'notNeeded' }, evidence: [photo],
    };
    for (const [auth, step, body] of [[member, 'pre-check', preCheck], [w.leader, 'on-site', onSite], [w.leader, 'target-signature', signed], [w.leader, 'signatures', undefined]] as const) {
      const r = await post(w.h, auth, v, step, body);
      expect(r.statusCode, `${step}: ${r.body}`).toBe(201);
    }
    // Two were present, only the leader signed: the leader cannot close the record...
    const close = await unchanged(w.h, post(w.h, w.leader, v, 'closure'), 422);
    expect(close.json()).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'E4', field: '/signatures', reason: 'SIGNATURES_MISSING' } });
    expect(close.json().messageZh).toMatch(/签字/);
    expect(close.json().messageEn).toMatch(/sign/);
    // ...so the leader's submission is refused (the record is open), coded, naming the rule; nothing is written.
    const submitted = await unchanged(w.h, submit(v), 422);
    expect(submitted.json()).toMatchObject({ error: 'RULE_VIOLATION', details: { rule: 'E4', field: '/visitId', reason: 'RECORD_OPEN' } });
    expect(submitted.json().messageZh).toMatch(/^E4：/);
    expect(submitted.json().messageEn).toMatch(/^E4: /);
    expect((await w.h.call('opA', 'GET', `/visits/${v}/results`)).json()).toMatchObject({ status: 'notSubmitted' });
    expect((await w.h.call('opA', 'GET', `/visits/${v}/inspection`)).json().state).toMatchObject({ signatures: ['in-a'], closedBy: null });
  });

  it('E5/A4: one result per item, each in a category of the catalogue; a wrong one names the field', async () => {
    const v = w.visits[0]!;
    const field = async (results: unknown) => (await unchanged(w.h, submit(v, results), 400)).json().details.field as string;
    expect(await field([{ itemId: 'SW-02', category: 'fine' }])).toBe('/results/0/category');
    expect(await field([{ itemId: 'SW-01', category: 'noProblem' }])).toBe('/results/0/itemId');
    expect(await field([{ itemId: 'SW-02', category: 'noProblem' }, { itemId: 'SW-02', category: 'noProblem' }])).toBe('/results/1/itemId');
    expect(await field([{ itemId: 'SW-02', category: 'problemFound' }])).toBe('/results/0/kind');
    expect(await field([{ itemId: 'SW-02', category: 'problemFound', kind: 'otherViolation' }])).toBe('/results/0/detail');
    expect(await field([{ itemId: 'SW-02', category: 'noProblem', kind: 'falseDisclosure' }])).toBe('/results/0/kind');
  });

  it('P2: an approved result is published once', async () => {
    const v = w.visits[0]!;
    const s = await submit(v, [{ itemId: 'SW-02', category: 'problemFound', kind: 'otherViolation', detail: '成品油质量' }]);
    expect(s.statusCode, s.body).toBe(201);
    await unchanged(w.h, submit(v), 422);
    // P2: only a principal of the executing unit signs, with their own token.
    await unchanged(w.h, w.h.call('opA', 'POST', `/visits/${v}/results/review`, { decision: 'approve' }), 403);
    await unchanged(w.h, w.h.callWith(w.prB, 'POST', `/visits/${v}/results/review`, { decision: 'approve' }), 403);
    await unchanged(w.h, w.h.call('admin', 'POST', `/visits/${v}/results/review`, { decision: 'approve' }), 403);
    setToday('2026-10-20');
    const a = await w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'approve' });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ events: ['ResultsApproved', 'NoticePublished'], noticeId: `resultNotice-${v}` });
    await unchanged(w.h, w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'approve' }), 422);
    const notices = (await w.h.call('anonymous', 'GET', '/notices?kind=resultNotice')).json().items as { noticeId: string; title: string; body: Record<string, unknown>; subject: { eventType: string } }[];
    const mine = notices.filter((n) => n.noticeId === `resultNotice-${v}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.title).toContain('双随机抽查结果公示');
    expect(mine[0]!.subject.eventType).toBe('ResultsApproved');
    expect(mine[0]!.body).toMatchObject({
      target: { uscc: v.slice(-18), name: '沂源县示范加油站有限公司' },
      results: [{ itemId: 'SW-02', category: '发现问题待后续处理', kind: '其他违法行为', detail: '成品油质量' }],
      approvedOn: '2026-10-20',
    });
    // No inspector is named in the public notice.
    expect(JSON.stringify(mine[0])).not.toMatch(/in-a/);
    const view = (await w.h.call('opA', 'GET', `/visits/${v}/results`)).json();
    expect(view).toMatchObject({ status: 'published', publishedOn: '2026-10-20', late: false, overdue: false, deadline: { date: '2026-10-22', provisional: false } });
  });

  it('P2: a returned result names the reason and may be resubmitted', async () => {
    const v = w.visits[1]!;
    await closeRecord(w.h, v);
    expect((await submit(v)).statusCode).toBe(201);
    const bad = await unchanged(w.h, w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'return' }), 400);
    expect(bad.json().details.field).toBe('/reason');
    expect((await w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'return', reason: '类别有误 / wrong category' })).json().events).toEqual(['ResultsReturned']);
    await unchanged(w.h, w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'approve' }), 422);
    expect((await submit(v, [{ itemId: 'SW-02', category: 'rectified' }])).statusCode).toBe(201);
    const view = (await w.h.call('opA', 'GET', `/visits/${v}/results`)).json();
    expect(view).toMatchObject({ status: 'submitted', round: 2, results: [{ category: 'rectified', categoryLabel: '发现问题经责令已改正' }] });
    expect(view.history.map((x: { event: string }) => x.event)).toEqual(['submitted', 'returned', 'submitted']);
  });

  it('E5: a legally exempt result is not published and not late', async () => {
    const v = w.visits[2]!;
    await closeRecord(w.h, v);
    expect((await submit(v)).statusCode).toBe(201);
    setToday('2026-11-30');
    const before = (await w.h.call('anonymous', 'GET', '/notices?kind=resultNotice')).json().items.length;
    const r = await w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'approve', exemption: { reason: '涉及国家秘密', basis: '《政府信息公开条例》第十四条' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ events: ['ResultsApproved'], noticeId: null });
    expect((await w.h.call('anonymous', 'GET', '/notices?kind=resultNotice')).json().items.length).toBe(before);
    expect((await w.h.call('opA', 'GET', `/visits/${v}/results`)).json()).toMatchObject({ status: 'exempt', overdue: false, late: false, publishedOn: null, exemption: { basis: '《政府信息公开条例》第十四条' } });
    // Against it: the visit with nothing submitted is overdue on the same day, and so listed.
    const overdue = (await w.h.call('opA', 'GET', '/results?unit=dept-a&overdue=true')).json().items.map((x: { visitId: string }) => x.visitId);
    expect(overdue).toContain(w.visits[3]!);
    expect(overdue).not.toContain(v);
    expect(overdue).not.toContain(w.visits[0]!);
    expect((await w.h.call('opA', 'GET', '/results?unit=dept-a&status=exempt')).json().items.map((x: { visitId: string }) => x.visitId)).toEqual([v]);
  });

  it('E5: a result published after the deadline shows as late', async () => {
    const v = w.visits[1]!;
    setToday('2026-11-30');
    expect((await w.h.call('principalA', 'POST', `/visits/${v}/results/review`, { decision: 'approve' })).statusCode).toBe(201);
    expect((await w.h.call('opA', 'GET', `/visits/${v}/results`)).json()).toMatchObject({ status: 'published', late: true, overdue: false });
  });

  describe('after publication (E6, E7)', () => {
    const v = () => w.visits[0]!;
    const uscc = () => w.visits[0]!.slice(-18);
    const correction = { reason: '复核发现类别有误 / wrong category on re-check', results: [{ itemId: 'SW-02', category: 'rectified' }] };

    it('E6: a correction without the principal\'s token is refused', async () => {
      for (const as of [w.h.bearer('opA'), w.leader, w.prB, w.h.bearer('admin')]) {
        const r = await unchanged(w.h, w.h.callWith(as, 'POST', `/visits/${v()}/results/corrections`, correction), 403);
        expect(r.json().details.rule).toBe('E6');
      }
      // A correction of a result that is not approved is refused too.
      await unchanged(w.h, w.h.call('principalA', 'POST', `/visits/${w.visits[3]!}/results/corrections`, correction), 422);
    });

    it('E6: the published result never changes; the correction references it', async () => {
      const original = await w.h.rt.store.readStream(`notice-resultNotice-${v()}`);
      const r = await w.h.call('principalA', 'POST', `/visits/${v()}/results/corrections`, correction);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ events: ['ResultCorrected', 'NoticePublished'], noticeId: `resultCorrection-${v()}-1` });
      expect(await w.h.rt.store.readStream(`notice-resultNotice-${v()}`)).toEqual(original);
      const notices = (await w.h.call('anonymous', 'GET', '/notices')).json().items as { noticeId: string; kind: string; title: string; body: { correction: unknown; results: unknown[] } }[];
      const pub = notices.find((n) => n.noticeId === `resultNotice-${v()}`)!;
      const cor = notices.find((n) => n.noticeId === `resultCorrection-${v()}-1`)!;
      expect(pub.body.results).toEqual([expect.objectContaining({ category: '发现问题待后续处理' })]);
      expect(cor.kind).toBe('resultCorrectionNotice');
      expect(cor.title).toContain('更正');
      expect(cor.body).toMatchObject({ correction: { number: 1, corrects: `resultNotice-${v()}` }, results: [{ category: '发现问题经责令已改正' }] });
      const view = (await w.h.call('opA', 'GET', `/visits/${v()}/results`)).json();
      expect(view.results).toEqual([expect.objectContaining({ category: 'problemFound' })]);
      expect(view.corrections).toEqual([expect.objectContaining({ correction: 1, correctedBy: 'pr-a', results: [expect.objectContaining({ category: 'rectified' })] })]);
    });

    it('E7: an objection\'s two deadlines', async () => {
      setToday('2026-09-21');
      // Filed on the public site by the business: its own credit code, a contact; no token.
      const wrong = await unchanged(w.h, w.h.call('anonymous', 'POST', '/objections', { visitId: v(), uscc: w.visits[1]!.slice(-18), contact: '王经理 13800000000', statement: '结果有误' }), 400);
      expect(wrong.json().details).toMatchObject({ field: '/uscc', rule: 'E7' });
      // Before the approval day: refused (it names the day of receipt).
      await unchanged(w.h, w.h.call('anonymous', 'POST', '/objections', { visitId: v(), uscc: uscc(), contact: '王经理 13800000000', statement: '结果有误' }), 400);
      setToday('2026-10-26');
      const f = await w.h.call('anonymous', 'POST', '/objections', { visitId: v(), uscc: uscc(), contact: '王经理 13800000000', statement: '我公司已整改，结果有误' });
      expect(f.statusCode, f.body).toBe(201);
      expect(f.json().events).toEqual(['ObjectionReceived']);
      await unchanged(w.h, w.h.call('anonymous', 'POST', '/objections', { visitId: v(), uscc: uscc(), contact: '王经理', statement: '再次提出' }), 422);
      // Received 2026-10-26 (Mon): the re-check decision is due 20 working days later, 2026-11-23.
      let o = (await w.h.call('opA', 'GET', `/visits/${v()}/results`)).json().objections[0];
      expect(o).toMatchObject({ objection: 1, channel: 'public', receivedOn: '2026-10-26', receivedBy: null, decisionDue: { date: '2026-11-23', provisional: false }, decisionLate: false, feedbackDue: null });
      // Decided late (2026-11-24); feedback then due 15 working days later: 2026-12-15.
      setToday('2026-11-24');
      await unchanged(w.h, w.h.call('opA', 'POST', `/visits/${v()}/objections/1/decision`, { outcome: 'resultWrong', reason: '复核属实' }), 403);
      expect((await w.h.call('principalA', 'POST', `/visits/${v()}/objections/1/decision`, { outcome: 'resultWrong', reason: '复核属实' })).statusCode).toBe(201);
      o = (await w.h.call('opA', 'GET', `/visits/${v()}/results`)).json().objections[0];
      expect(o).toMatchObject({ decisionLate: true, decision: { outcome: 'resultWrong', on: '2026-11-24' }, feedbackDue: { from: '2026-11-24', date: '2026-12-15' }, feedbackLate: false });
      // The result was wrong: feedback waits for the correction that answers the objection.
      expect((await unchanged(w.h, w.h.call('opA', 'POST', `/visits/${v()}/objections/1/feedback`, { feedback: '已更正' }), 422)).json().details.reason).toBe('CORRECTION_PENDING');
      const c = await w.h.call('principalA', 'POST', `/visits/${v()}/results/corrections`, { ...correction, reason: '异议复核属实', objection: 1 });
      expect(c.statusCode, c.body).toBe(201);
      setToday('2026-12-16');
      expect((await w.h.call('opA', 'POST', `/visits/${v()}/objections/1/feedback`, { feedback: '经复核，已更正公示结果' })).statusCode).toBe(201);
      o = (await w.h.call('opA', 'GET', `/visits/${v()}/results`)).json().objections[0];
      expect(o).toMatchObject({ correction: 2, feedback: { on: '2026-12-16' }, feedbackLate: true });
      // Staff record one received by post, dated the day it arrived (not in the future).
      await unchanged(w.h, w.h.call('opA', 'POST', `/visits/${v()}/objections`, { uscc: uscc(), contact: '来信', statement: '书面异议', receivedOn: '2026-12-17' }), 400);
      const s = await w.h.call('opA', 'POST', `/visits/${v()}/objections`, { uscc: uscc(), contact: '来信', statement: '书面异议', receivedOn: '2026-12-14' });
      expect(s.statusCode, s.body).toBe(201);
      expect((await w.h.call('opA', 'GET', `/visits/${v()}/results`)).json().objections[1]).toMatchObject({ channel: 'staff', receivedBy: 'op-a', receivedOn: '2026-12-14' });
    });
  });
});
