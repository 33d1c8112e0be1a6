/**
 * Issue 9: the demo year, seeded into a real data directory (SQLite ledger, read models) with a
 * 2,000-target county, and read back over HTTP (fastify inject) as the API serves it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { mintToken } from '../../src/api/tokens.js';
import { seedDemo } from '../../src/cli/commands/demo.js';
import { yiyuan, type YearSummary } from '../../src/cli/demo/index.js';
import { COMPLAINT_ID, inspectingDepartments, inspectionStates, jointTaskSpec, taskSpecs } from '../../src/cli/demo/year/index.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { systemActor } from '../../src/domain/actor.js';
import { drawSlotStreamId } from '../../src/domain/draws/index.js';
import { tokenDecider, tokenStreamId } from '../../src/domain/tokens/index.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { parseCsv } from '../helpers/parse-csv.js';
import { tempDir } from '../helpers/temp-dir.js';

const { BUREAU, ENFORCEMENT, OFFICE_CIRCULATION, OFFICE_MARKET } = yiyuan;
const SEED = 370323;
const TARGETS = 2000;
/** A fixed store clock: recordedAt is in every leaf, so equal roots need equal clocks. */
const clock = () => new Date('2026-01-05T01:00:00.000Z');

const dirs: { remove: () => void }[] = [];
async function seeded(): Promise<{ rt: Runtime; year: YearSummary }> {
  const d = tempDir('suiji-demo-year-');
  dirs.push(d);
  const rt = await openRuntime(d.path, { clock, warn: () => undefined });
  const year = await seedDemo(rt, { seed: SEED, targets: TARGETS }, () => undefined);
  if (year === null) throw new Error('the demo year was not seeded');
  return { rt, year };
}

let rt: Runtime;
let year: YearSummary;
let root: string;
let app: Awaited<ReturnType<typeof buildApp>>;
let auth: string;

beforeAll(async () => {
  ({ rt, year } = await seeded());
  root = (await rt.store.head()).root;
  app = await buildApp({ store: rt.store, projections: rt.projections, evidence: rt.evidence }, { publicRateLimit: false, results: { calendar: rt.calendar } });
  // The demo's auditor reads everything internal; the token is issued after the root was taken.
  const t = mintToken();
  await handleCommand(rt.store, {
    streamId: tokenStreamId(t.tokenId),
    decider: tokenDecider,
    command: { type: 'IssueToken', data: { tokenId: t.tokenId, userId: 'yy-audit', role: 'auditor', department: BUREAU, secretHash: t.secretHash }, metadata: { actor: systemActor, now: new Date().toISOString(), commandId: randomUUID() } },
  });
  auth = `Bearer ${t.token}`;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await rt?.close();
  dirs.splice(0).forEach((d) => d.remove());
});

const get = async <T>(url: string): Promise<T> => {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: auth } });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
};
const taskOf = (key: string) => {
  const t = year.tasks.find((x) => x.key === key);
  if (!t) throw new Error(`no demo task ${key}`);
  return t;
};

interface PlanView {
  inForceVersion: number | null;
  versions: { version: number; status: string; filing: { filedWith: string | null } | null }[];
}
interface TaskView {
  taskId: string;
  departmentId: string;
  status: string;
  adHoc?: boolean;
  planVersion: number | null;
  executingDepartment: string;
  delegation: { delegate: string; accepted: boolean } | null;
  locked: { drawId: string; targets: string[] } | null;
  assignments: { executingUnit: string; targets: string[] }[] | null;
}
interface GroupView {
  via: 'draw' | 'direct';
  matchingDraw: string | null;
  leader: string | null;
  members: string[];
  reason: string | null;
}
interface VisitView {
  visitId: string;
  executingUnit: string;
  uscc: string;
  items: string[];
  tasks: { taskId: string; items: string[] }[];
  participants: string[];
  status: 'matched' | 'unmatched';
  group: { leader: string | null; members: string[] } | null;
  contributions: { department: string; group: GroupView | null; unmatched: { drawId: string; need: string } | null }[];
  requests: { request: number; department: string; member: string; reason: string; requestedBy: string; approvedBy: string | null; drawId: string | null }[];
}
interface InspectorView {
  inspectorId: string;
  department: string;
}

const allVisits = async (query = ''): Promise<VisitView[]> => {
  const visits: VisitView[] = [];
  for (let after = ''; ; ) {
    const page = await get<{ items: VisitView[] }>(`/visits?limit=1000${query}${after ? `&after=${after}` : ''}`);
    visits.push(...page.items);
    if (page.items.length < 1000) return visits;
    after = page.items[page.items.length - 1]!.visitId;
  }
};
/** Who an inspector belongs to, as the register says. */
const departmentOf = async (inspectorId: string): Promise<string> => (await get<InspectorView>(`/inspectors/${inspectorId}`)).department;

describe('demo year 2026 (issue 9), read back over HTTP', () => {
  it('PL1: every department that inspects items has a filed 2026 plan; the root files with nobody, the others are acknowledged by the bureau', async () => {
    const planners = inspectingDepartments();
    expect(planners).toEqual([BUREAU, OFFICE_MARKET, OFFICE_CIRCULATION]);
    for (const d of planners) {
      const plan = await get<PlanView>(`/departments/${d}/plans/2026`);
      expect(plan.inForceVersion, d).not.toBeNull();
      const v1 = plan.versions[0]!;
      if (d === BUREAU) expect(v1).toMatchObject({ status: 'filed', filing: { filedWith: null } });
      else expect(v1).toMatchObject({ status: 'acknowledged', filing: { filedWith: BUREAU } });
    }
    const coverage = await get<{ items: { itemId: string; inForceVersion?: number | null; coveredBy?: unknown }[] }>('/plans/2026/coverage');
    expect(JSON.stringify(coverage)).toContain('SW-13');
  });

  it('PL3: the market office filed an adjustment (version 2), acknowledged and in force; its diff shows the changed catering item', async () => {
    const plan = await get<PlanView>(`/departments/${OFFICE_MARKET}/plans/2026`);
    expect(plan.versions.map((v) => v.status)).toEqual(['acknowledged', 'acknowledged']);
    expect(plan.inForceVersion).toBe(2);
    const diff = await get<{ changed: { itemId: string }[] }>(`/departments/${OFFICE_MARKET}/plans/2026/diff?from=1&to=2`);
    expect(diff.changed.map((c) => c.itemId)).toEqual(['SW-12']);
    expect(year.planAdjustments).toBe(1);
  });

  it('T1: the delegated task was accepted by the enforcement unit, which drew it and received every target', async () => {
    const t = taskOf('safety-delegated');
    const task = await get<TaskView>(`/tasks/${t.taskId}`);
    expect(task.departmentId).toBe(BUREAU);
    expect(task.delegation).toMatchObject({ delegate: ENFORCEMENT, accepted: true });
    expect(task.executingDepartment).toBe(ENFORCEMENT);
    expect(task.status).toBe('dispatched');
    expect(task.assignments!.map((a) => a.executingUnit)).toEqual([ENFORCEMENT]);
    expect(task.assignments![0]!.targets.length).toBe(task.locked!.targets.length);
    const commit = (await rt.store.readStream(drawSlotStreamId(t.taskId, 'targets')))[0]!;
    expect(commit.type).toBe('DrawCommitted');
    expect(commit.actor.department).toBe(ENFORCEMENT);
  });

  it('PL6: the ad-hoc task stands outside the plan (no plan version) and was still drawn and dispatched', async () => {
    const task = await get<TaskView>(`/tasks/${taskOf('festival-catering').taskId}`);
    expect(task).toMatchObject({ adHoc: true, planVersion: null, status: 'dispatched' });
  });

  it('T4: every locked and dispatched task has exactly one task notice, naming it; the undispatched ones have none', async () => {
    const notices = (await app.inject({ method: 'GET', url: '/notices?kind=taskNotice&limit=1000' })).json() as { items: { noticeId: string; subject: { streamId: string } }[] };
    const dispatched = year.tasks.filter((t) => t.stage === 'dispatched');
    expect(dispatched.length).toBeGreaterThanOrEqual(3);
    for (const t of year.tasks) {
      const mine = notices.items.filter((n) => n.subject.streamId === `task-${t.taskId}`);
      expect(mine, t.key).toHaveLength(t.stage === 'dispatched' ? 1 : 0);
      if (t.stage === 'dispatched') expect((await get<TaskView>(`/tasks/${t.taskId}`)).status).toBe('dispatched');
    }
  });

  it('T2/T4: the API shows every state — a task created but not drawn, one drawn (draw completed) but not locked', async () => {
    const created = taskOf('vehicle-recycling');
    expect(created.drawId).toBeNull();
    expect(await get<TaskView>(`/tasks/${created.taskId}`)).toMatchObject({ status: 'created', locked: null });
    expect(await rt.store.readStream(drawSlotStreamId(created.taskId, 'targets'))).toEqual([]);
    const drawn = taskOf('used-cars');
    expect(await get<TaskView>(`/tasks/${drawn.taskId}`)).toMatchObject({ status: 'created', locked: null });
    const draw = (await app.inject({ method: 'GET', url: `/draws/${drawn.drawId}` })).json() as { status: string };
    expect(draw.status).toBe('completed');
  });

  it('T5: some visit merges the fuel-coverage and prepaid-card tasks at the circulation office, with all their items', async () => {
    const visits = await allVisits();
    const merged = visits.filter((v) => v.tasks.length >= 2);
    expect(merged.length).toBeGreaterThan(0);
    expect(merged.length).toBe(year.mergedVisits);
    const fuel = taskOf('fuel-coverage').taskId;
    const cards = taskOf('fuel-prepaid-cards').taskId;
    for (const v of merged) {
      expect(v.items).toEqual([...new Set(v.tasks.flatMap((t) => t.items))].sort());
      expect(v.tasks.map((t) => t.taskId).sort()).toEqual([fuel, cards].sort());
      expect(v.items).toEqual(['SW-01', 'SW-04']);
      expect(v.executingUnit).toBe(OFFICE_CIRCULATION);
    }
    // Every station the card task drew shares its visit with the full-coverage task.
    const drawnCards = (await get<TaskView>(`/tasks/${cards}`)).locked!.targets;
    expect(merged.map((v) => v.uscc).sort()).toEqual([...drawnCards].sort());
  });

  it('G2: the complaint inspection is recorded with its source document, is not random, and is no draw', async () => {
    const rec = await get<{ kind: string; random: boolean; sourceDocument: { number: string; issuingBody: string; date: string }; targets: string[] }>(`/non-random-inspections/${COMPLAINT_ID}`);
    expect(rec).toMatchObject({ kind: 'complaintOrReport', random: false, sourceDocument: { issuingBody: '淄博市12345政务服务便民热线', date: '2026-04-13' } });
    expect(rec.targets).toHaveLength(1);
    const draws = (await app.inject({ method: 'GET', url: '/draws?limit=1000' })).json() as { drawId: string }[];
    expect(draws.map((d) => d.drawId).sort()).toEqual([...year.tasks.flatMap((t) => (t.drawId ? [t.drawId] : [])), ...year.matchingDraws].sort());
  });

  it('T6: some visits are matched by lottery and some are not; a merged visit is among the matched', async () => {
    const visits = await allVisits();
    const matched = visits.filter((v) => v.status === 'matched');
    const unmatched = visits.filter((v) => v.status === 'unmatched');
    expect(matched.length).toBe(year.matchedVisits);
    expect(unmatched.length).toBeGreaterThan(0);
    expect(matched.length + unmatched.length).toBe(year.visits);
    // The work queue filters by state too.
    expect((await allVisits(`&unit=${OFFICE_CIRCULATION}&status=unmatched`)).every((v) => v.status === 'unmatched')).toBe(true);
    const drawn = matched.filter((v) => v.contributions.every((c) => c.group?.via === 'draw'));
    expect(drawn.some((v) => v.tasks.length >= 2)).toBe(true);
    for (const v of drawn) {
      for (const c of v.contributions) {
        // The group is the one the matching draw's record gives its target (T6), and that draw verifies from the ledger.
        const root = c.group!.matchingDraw!;
        expect(year.matchingDraws).toContain(root);
        const record = (await app.inject({ method: 'GET', url: `/draws/${root}/export` })).json() as { commitment: { source: { filter: { matching: { department: string; visits: { visitId: string }[] } } } } };
        expect(record.commitment.source.filter.matching.department).toBe(c.department);
        expect(record.commitment.source.filter.matching.visits.map((x) => x.visitId)).toContain(v.visitId);
      }
    }
    for (const d of year.matchingDraws) expect((await app.inject({ method: 'GET', url: `/draws/${d}/verify` })).json(), d).toMatchObject({ verdict: 'ledger' });
    // The draw that could not cover every visit left one, recorded why (T8).
    expect(visits.some((v) => v.contributions.some((c) => c.unmatched !== null))).toBe(true);
  });

  it('T1/joint: the joint task\'s visit group has inspectors of each participant', async () => {
    const joint = taskOf(jointTaskSpec.key);
    const task = await get<TaskView>(`/tasks/${joint.taskId}`);
    // The task view, its row in the task list and its creation in the ledger all name the participant.
    expect(task).toMatchObject({ status: 'dispatched', departmentId: OFFICE_CIRCULATION, participants: [ENFORCEMENT] });
    const listed = await get<{ items: { taskId: string; participants: string[] }[] }>(`/tasks?department=${OFFICE_CIRCULATION}&limit=1000`);
    expect(listed.items.find((t) => t.taskId === joint.taskId)?.participants).toEqual([ENFORCEMENT]);
    expect(listed.items.filter((t) => t.taskId !== joint.taskId).every((t) => t.participants.length === 0)).toBe(true);
    expect((await rt.store.readStream(`task-${joint.taskId}`))[0]!.payload).toMatchObject({ participants: [ENFORCEMENT] });
    const visits = (await allVisits()).filter((v) => v.tasks.some((t) => t.taskId === joint.taskId));
    expect(visits.length).toBe(task.locked!.targets.length);
    expect(visits.length).toBeGreaterThan(0);
    // The participant sees the joint visits in its work queue.
    expect((await allVisits(`&unit=${ENFORCEMENT}`)).map((v) => v.visitId)).toEqual(expect.arrayContaining(visits.map((v) => v.visitId)));
    for (const v of visits) {
      expect(v.participants).toEqual([ENFORCEMENT]);
      expect(v.status).toBe('matched');
      expect(v.contributions.map((c) => c.department)).toEqual([OFFICE_CIRCULATION, ENFORCEMENT]);
      for (const c of v.contributions) {
        expect(c.group!.via).toBe('draw');
        expect(c.group!.members.length).toBeGreaterThanOrEqual(2);
        // Each contributor drew from its own inspectors.
        for (const m of c.group!.members) expect(await departmentOf(m), m).toBe(c.department);
      }
      expect(v.group!.members).toEqual(v.contributions.flatMap((c) => c.group!.members));
      expect(v.group!.leader).toBe(v.contributions[0]!.group!.leader);
    }
  });

  it('T8: a visit assigned directly carries its reason', async () => {
    const v = await get<VisitView>(`/visits/${year.assignedVisit}`);
    expect(v.status).toBe('matched');
    const c = v.contributions.find((x) => x.department === OFFICE_CIRCULATION)!;
    expect(c.group).toMatchObject({ via: 'direct', matchingDraw: null });
    expect(c.group!.reason).toMatch(/借调/);
    expect(c.group!.members).toHaveLength(2);
    expect(c.group!.members).toContain(c.group!.leader);
    // Seconded: the named inspectors are the enforcement unit's, qualified, none conflicted with the target.
    for (const m of c.group!.members) expect(await departmentOf(m)).toBe(ENFORCEMENT);
    const stream = await rt.store.readStream(`visit-${v.visitId}`);
    const assigned = stream.find((e) => e.type === 'VisitAssigned')!;
    expect(assigned.actor).toMatchObject({ role: 'principal', department: OFFICE_CIRCULATION });
  });

  it('T10: the approved replacement names its reason and its approving principal', async () => {
    const v = await get<VisitView>(`/visits/${year.replacedVisit}`);
    expect(v.requests).toHaveLength(1);
    const r = v.requests[0]!;
    const replacementDraw = year.matchingDraws[year.matchingDraws.length - 1]!;
    expect(r).toMatchObject({ department: OFFICE_CIRCULATION, reason: 'health', requestedBy: `${OFFICE_CIRCULATION}-op`, approvedBy: `${OFFICE_CIRCULATION}-pr`, drawId: replacementDraw });
    expect(v.status).toBe('matched');
    expect(v.group!.members).not.toContain(r.member);
    expect(v.group!.members).toHaveLength(2);
    const view = (await app.inject({ method: 'GET', url: `/draws/${replacementDraw}` })).json() as { status: string; commitment: { replacements: { member: string; approver: string; reason: string }[] } };
    expect(view.status).toBe('completed');
    expect(view.commitment.replacements[0]).toMatchObject({ member: r.member, approver: `${OFFICE_CIRCULATION}-pr`, reason: 'health' });
  });

  describe('issue 10: inspections and results in every state', () => {
    interface RecordView {
      state: { status: string; target: { signed?: { name: string }; refused?: { witness: { name: string } } } | null; signatures: string[]; closedBy: string | null; onSite: { evidence: string[]; present: string[] } | null };
      events: { type: string; actor: string }[];
    }
    interface ResultView {
      status: string;
      leader: string | null;
      noticeId: string | null;
      exemption: { reason: string; basis: string } | null;
      overdue: boolean;
      corrections: { correction: number; reason: string; correctedBy: string; noticeId: string | null }[];
      objections: { objection: number; decision: { outcome: string } | null; feedback: unknown; decisionLate: boolean; feedbackLate: boolean }[];
      history: { event: string; by: string }[];
    }
    const visitOf = (state: (typeof inspectionStates)[number]): string => {
      const v = year.inspections.states[state];
      if (v === null) throw new Error(`the demo year has no visit in state ${state}`);
      return v;
    };
    const record = (state: (typeof inspectionStates)[number]) => get<RecordView>(`/visits/${visitOf(state)}/inspection`);
    const result = (state: (typeof inspectionStates)[number]) => get<ResultView>(`/visits/${visitOf(state)}/results`);

    it('the summary names every state of the inspections, E8/E9 included', () => {
      expect(Object.keys(year.inspections.states)).toEqual([...inspectionStates]);
      expect(Object.values(year.inspections.states).every((v) => v !== null)).toBe(true);
      const { unreachable, transferred, followUps } = year.inspections;
      const all = [...Object.values(year.inspections.states), unreachable, transferred?.accepted, transferred?.pending, followUps?.visitId];
      // One visit per state: none is reused.
      expect(all.every((v) => typeof v === 'string')).toBe(true);
      expect(new Set(all).size).toBe(all.length);
    });

    it('E4: a visit in progress holds its pre-check only, by a member of its group (A3)', async () => {
      const r = await record('inProgress');
      expect(r.state.status).toBe('preChecked');
      expect(r.events.map((e) => e.type)).toEqual(['PreCheckRecorded']);
      const v = await get<VisitView>(`/visits/${visitOf('inProgress')}`);
      expect(v.group!.members).toContain(r.events[0]!.actor);
      expect((await result('inProgress')).status).toBe('notSubmitted');
    });

    it('E4/A3/E10: a signed record — the target signed, each present inspector signed with their own account, the leader closed it; its evidence is downloadable', async () => {
      const r = await record('signed');
      expect(r.state.status).toBe('closed');
      expect(r.state.target?.signed?.name).toBeTruthy();
      expect(r.state.signatures).toEqual(r.state.onSite!.present);
      expect(r.events.filter((e) => e.type === 'InspectorSigned').map((e) => e.actor)).toEqual(r.state.onSite!.present);
      const v = await get<VisitView>(`/visits/${visitOf('signed')}`);
      expect(r.state.closedBy).toBe(v.group!.leader);
      const users = await get<{ userId: string; role: string }[] | { items: { userId: string; role: string }[] }>('/users');
      const list = Array.isArray(users) ? users : users.items;
      for (const m of r.state.signatures) expect(list.find((u) => u.userId === m), m).toMatchObject({ role: 'inspector' });
      expect(r.state.onSite!.evidence).toHaveLength(2);
      const mimes: string[] = [];
      for (const h of r.state.onSite!.evidence) {
        const res = await app.inject({ method: 'GET', url: `/evidence/${h}`, headers: { authorization: auth } });
        expect(res.statusCode).toBe(200);
        mimes.push(String(res.headers['content-type']));
      }
      expect(mimes.sort()).toEqual(['application/pdf', 'image/png']);
    });

    it('E4: a refused signature is recorded with its witness, and the record still closes', async () => {
      const r = await record('refused');
      expect(r.state.status).toBe('closed');
      expect(r.state.target?.refused?.witness.name).toBeTruthy();
      expect(r.events.map((e) => e.type)).toContain('TargetSignatureRefused');
    });

    it('E5: results under review were submitted by the group leader and are not published', async () => {
      const res = await result('underReview');
      expect(res.status).toBe('submitted');
      expect(res.noticeId).toBeNull();
      expect(res.history[0]).toMatchObject({ event: 'submitted', by: res.leader });
    });

    it('P2: approved results are published as a result notice by the principal, on time', async () => {
      const res = await result('published');
      expect(res).toMatchObject({ status: 'published', overdue: false });
      expect(res.noticeId).not.toBeNull();
      const notices = (await app.inject({ method: 'GET', url: '/notices?kind=resultNotice&limit=1000' })).json() as { items: { noticeId: string }[] };
      expect(notices.items.map((n) => n.noticeId)).toContain(res.noticeId);
    });

    it('E6: a corrected result keeps its original notice and adds a correction by the principal', async () => {
      const res = await result('corrected');
      expect(res.status).toBe('published');
      expect(res.corrections).toHaveLength(1);
      expect(res.corrections[0]).toMatchObject({ correction: 1, correctedBy: `${OFFICE_CIRCULATION}-pr` });
      expect(res.corrections[0]!.noticeId).not.toBe(res.noticeId);
      const notices = (await app.inject({ method: 'GET', url: '/notices?kind=resultCorrectionNotice&limit=1000' })).json() as { items: { noticeId: string }[] };
      expect(notices.items.map((n) => n.noticeId)).toContain(res.corrections[0]!.noticeId);
    });

    it('E7: an objection was received, re-checked (the result stands) and answered, neither step late', async () => {
      const res = await result('objected');
      expect(res.objections).toHaveLength(1);
      expect(res.objections[0]).toMatchObject({ objection: 1, decision: { outcome: 'resultStands' }, decisionLate: false, feedbackLate: false });
      expect(res.objections[0]!.feedback).not.toBeNull();
    });

    it('E5: an exempt result records its reason and basis, publishes nothing and is not overdue', async () => {
      const res = await result('exempt');
      expect(res).toMatchObject({ status: 'exempt', noticeId: null, overdue: false });
      expect(res.exemption!.basis).toMatch(/政府信息公开条例/);
    });

    it('E2: the visits carry one combined form per target, from templates published for their items', async () => {
      const form = await get<{ source: string; forms: { itemId: string }[]; itemsWithoutForm: string[] }>(`/visits/${visitOf('signed')}/form`);
      expect(form.source).toBe('automatic');
      expect(form.itemsWithoutForm).toEqual([]);
      expect(form.forms.length).toBeGreaterThan(0);
    });

    interface FollowUpView { followUpId: string; itemId: string; kind: string; resultCategory: string; caseNumber: string | null; handledBy: string | null; openedBy: string; status: string; updates: { status: string; by: string }[]; closed: { outcome: string; by: string } | null }
    const reportRows = async (department: string): Promise<string[][]> => {
      const res = await app.inject({ method: 'GET', url: `/reports/inspections?department=${department}&from=2026-01-01&to=2026-12-31`, headers: { authorization: auth } });
      expect(res.statusCode, res.body).toBe(200);
      return parseCsv(res.body).slice(1);
    };

    it('E8: the demo holds an unreachable target, published, counted as completed', async () => {
      const visitId = year.inspections.unreachable;
      expect(visitId).not.toBeNull();
      const v = await get<VisitView>(`/visits/${visitId}`);
      // Not inspected: no on-site record beyond the pre-check, so no closure and no signatures.
      const r = await get<RecordView>(`/visits/${visitId}/inspection`);
      expect(r.events.map((e) => e.type)).toEqual(['PreCheckRecorded']);
      const stream = await rt.store.readStream(`result-${visitId}`);
      const outcome = stream.find((e) => e.type === 'VisitOutcomeRecorded')!;
      // A3: recorded by the group leader with their own account, with its basis and a stored evidence file.
      expect(outcome.actor).toMatchObject({ userId: v.group!.leader, role: 'inspector' });
      const p = outcome.payload as { outcome: string; basis: string; evidence: string | null; results: { category: string; kind: { code: string } | null }[] };
      expect(p.outcome).toBe('unreachable');
      expect(p.basis).toMatch(/无法联系/);
      expect(p.evidence).toMatch(/^[0-9a-f]{64}$/);
      expect((await rt.store.readStream(`evidence-${p.evidence}`))[0]!.type).toBe('EvidenceStored');
      expect(p.results.every((x) => x.category === 'problemFound' && x.kind?.code === 'unreachableAtAddress')).toBe(true);
      const res = await get<ResultView>(`/visits/${visitId}/results`);
      expect(res).toMatchObject({ status: 'published', overdue: false });
      expect(res.noticeId).not.toBeNull();
      const notices = (await app.inject({ method: 'GET', url: '/notices?kind=resultNotice&limit=1000' })).json() as { items: { noticeId: string }[] };
      expect(notices.items.map((n) => n.noticeId)).toContain(res.noticeId);
      // Counted as completed in the upward report (E8), published on time.
      const rows = (await reportRows(OFFICE_CIRCULATION)).filter((row) => row[1] === visitId);
      expect(rows.length).toBe(v.tasks.length);
      for (const row of rows) expect([row[5], row[6], row[9], row[10]]).toEqual(['未检查（视为完成）', '通过登记的住所（经营场所）无法联系', '已公示', '按时公示']);
    });

    it('E8: a transfer accepted by the new unit\'s principal, and one pending', async () => {
      const t = year.inspections.transferred!;
      expect(t).not.toBeNull();
      expect(t.toUnit).toBe(OFFICE_MARKET);
      const accepted = await get<VisitView & { transferredFrom?: string | null }>(`/visits/${t.accepted}`);
      expect(accepted.executingUnit).toBe(OFFICE_MARKET);
      expect(accepted.transferredFrom).toBe(OFFICE_CIRCULATION);
      // The receiving principal named a group of its own unit's inspectors.
      expect(accepted.group!.members).toHaveLength(2);
      expect(accepted.group!.members).toContain(accepted.group!.leader);
      for (const m of accepted.group!.members) expect(await departmentOf(m), m).toBe(OFFICE_MARKET);
      const events = await rt.store.readStream(`transfer-${t.accepted}`);
      expect(events.map((e) => [e.type, e.actor.userId, e.actor.role])).toEqual([
        ['VisitTransferProposed', `${OFFICE_CIRCULATION}-op`, 'operator'],
        ['VisitTransferAccepted', `${OFFICE_MARKET}-pr`, 'principal'],
      ]);
      // It left the old unit's work queue and joined the new one's.
      expect((await allVisits(`&unit=${OFFICE_MARKET}`)).map((v) => v.visitId)).toContain(t.accepted);
      expect((await allVisits(`&unit=${OFFICE_CIRCULATION}`)).map((v) => v.visitId)).not.toContain(t.accepted);
      // The pending one: proposed only, still the circulation office's and not in the market office's queue.
      expect(t.pending).not.toBeNull();
      expect((await rt.store.readStream(`transfer-${t.pending}`)).map((e) => [e.type, e.actor.userId])).toEqual([['VisitTransferProposed', `${OFFICE_CIRCULATION}-op`]]);
      expect((await get<VisitView & { transferredFrom?: string | null }>(`/visits/${t.pending}`))).toMatchObject({ executingUnit: OFFICE_CIRCULATION });
      expect((await get<VisitView & { transferredFrom?: string | null }>(`/visits/${t.pending}`)).transferredFrom ?? null).toBeNull();
      expect((await allVisits(`&unit=${OFFICE_MARKET}`)).map((v) => v.visitId)).not.toContain(t.pending);
    });

    it('E9: follow-ups open and closed', async () => {
      const f = year.inspections.followUps!;
      expect(f).not.toBeNull();
      const res = await get<ResultView & { results: { itemId: string; category: string }[] }>(`/visits/${f.visitId}/results`);
      expect(res.status).toBe('published');
      expect(res.results.find((x) => x.itemId === f.itemId)!.category).toBe('problemFound');
      // The record behind it found the problem: a non-conforming answer and an order to rectify.
      const rec = await get<RecordView & { state: { onSite: { measures: string[]; findings: { itemId: string; answer: unknown }[] } } }>(`/visits/${f.visitId}/inspection`);
      expect(rec.state.status).toBe('closed');
      expect(rec.state.onSite!.measures).toContain('orderToRectify');
      expect(rec.state.onSite!.findings.some((x) => x.itemId === f.itemId && x.answer === 'doesNotConform')).toBe(true);
      const list = await get<{ items: FollowUpView[] }>(`/followups?visitId=${f.visitId}`);
      const byId = new Map(list.items.map((x) => [x.followUpId, x]));
      expect([...byId.keys()].sort()).toEqual([f.open, f.closed].sort());
      const open = byId.get(f.open)!;
      expect(open).toMatchObject({ kind: 'caseFiling', itemId: f.itemId, resultCategory: 'problemFound', status: 'open', closed: null, openedBy: `${OFFICE_CIRCULATION}-op` });
      expect(open.caseNumber).toMatch(/立字/);
      const closed = byId.get(f.closed)!;
      expect(closed).toMatchObject({ kind: 'handover', itemId: f.itemId, resultCategory: 'problemFound' });
      expect(closed.handledBy).toBeTruthy();
      expect(closed.updates).toHaveLength(1);
      expect(closed.closed).toMatchObject({ by: `${OFFICE_CIRCULATION}-op` });
      expect((await get<{ items: FollowUpView[] }>(`/followups?unit=${OFFICE_CIRCULATION}&status=open`)).items.map((x) => x.followUpId)).toContain(f.open);
      // The upward report counts them: one open, one closed.
      const rows = (await reportRows(OFFICE_CIRCULATION)).filter((row) => row[1] === f.visitId);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.slice(11)).toEqual(['1', '1']);
    });

    it('E8/A1: the upward report over the demo year lists the unreachable and the transferred visits, for both units', async () => {
      const t = year.inspections.transferred!;
      const ours = await reportRows(OFFICE_CIRCULATION);
      const visitsListed = new Set(ours.map((r) => r[1]));
      expect(visitsListed.has(year.inspections.unreachable!)).toBe(true);
      const away = ours.filter((r) => r[1] === t.accepted);
      expect(away.length).toBeGreaterThan(0);
      for (const r of away) expect([r[2], r[5], r[7]]).toEqual([OFFICE_MARKET, '已移交', `移交至 ${OFFICE_MARKET}`]);
      const theirs = (await reportRows(OFFICE_MARKET)).filter((r) => r[1] === t.accepted);
      expect(theirs.length).toBe(away.length);
      for (const r of theirs) expect([r[5], r[7]]).toEqual(['未完成', `由 ${OFFICE_CIRCULATION} 移交接收`]);
    });
  });

  it('is deterministic: a second seed with the same seed number (and store clock) gives the same ledger root, year included', async () => {
    const again = await seeded();
    try {
      expect(year.tasks.length).toBe(taskSpecs.length + 1);
      expect((await again.rt.store.head()).root).toBe(root);
      expect(again.year).toEqual(year);
    } finally {
      await again.rt.close();
    }
  }, 120_000);
});
