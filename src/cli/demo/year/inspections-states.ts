/**
 * The demo year's inspections (issue 10): after matching, the circulation office's matched visits
 * are taken, in visit-id order, one per state, through the services the routes run — the
 * on-site record by the group's inspectors with their own user accounts (A3), the results by the
 * group leader, review and corrections by the unit's principal, objections by its staff:
 *
 *   inProgress      pre-check only (E4)
 *   signed          on-site with evidence (E10), the target signs, two inspectors sign, the leader closes
 *   refused         as signed, but the target refuses before a witness (E4)
 *   underReview     closed and the results submitted by the leader (E5)
 *   published       approved by the principal and published at once (P2)
 *   corrected       published, then corrected by the principal with the reason (E6)
 *   objected        published; an objection received, re-checked (result stands), feedback given (E7)
 *   exempt          approved with a legal exemption from disclosure (不予公开, E5)
 *
 * Still to come from issue 10's E8/E9 work, named here so the summary shows them as not seeded:
 * `unreachable`, `transferred`, `followUps`.
 *
 * A county too small to have a visit for every state seeds the states it can, in this order.
 */
import type { Actor } from '../../../domain/actor.js';
import { listVisits, type VisitView } from '../../../projections/visits/index.js';
import { OFFICE_CIRCULATION } from '../yiyuan.js';
import { at, operatorOf, principalOf, type YearContext } from './context.js';
import { inspectorActor, inspectorsById, publishForms, registerInspectorUsers, storeEvidence } from './inspections-setup.js';

export const inspectionStates = ['inProgress', 'signed', 'refused', 'underReview', 'published', 'corrected', 'objected', 'exempt'] as const;
export type InspectionDemoState = (typeof inspectionStates)[number];

export interface InspectionsSummary {
  /** The visit put in each state (null: the county had no matched visit left for it). */
  readonly states: Readonly<Record<InspectionDemoState, string | null>>;
  /** E8/E9 are built in parallel: these placeholders stay null until that work adds its step. */
  readonly unreachable: null;
  readonly transferred: null;
  readonly followUps: null;
  readonly formsPublished: number;
  readonly inspectorUsers: number;
  readonly evidenceFiles: number;
}

/** How far each state goes along the record → results path. */
const REACH: Record<InspectionDemoState, number> = { inProgress: 0, signed: 1, refused: 1, underReview: 2, published: 3, corrected: 3, objected: 3, exempt: 3 };

function matchedVisits(ctx: YearContext, unit: string): VisitView[] {
  const all: VisitView[] = [];
  for (let after = ''; ; ) {
    const page = listVisits(ctx.db, { unit, after, limit: 1000 });
    all.push(...page.filter((v) => v.executingUnit === unit && v.status === 'matched' && v.group !== null));
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.visitId;
  }
}

export async function seedInspections(ctx: YearContext): Promise<InspectionsSummary> {
  await ctx.projections.catchUp();
  const unit = OFFICE_CIRCULATION;
  const visits = matchedVisits(ctx, unit).slice(0, inspectionStates.length);
  const states = Object.fromEntries(inspectionStates.map((s) => [s, null])) as Record<InspectionDemoState, string | null>;
  const inspectorUsers = await registerInspectorUsers(ctx, visits.flatMap((v) => v.group!.members), '2026-06-15');
  const formsPublished = await publishForms(ctx, visits.flatMap((v) => v.items), '2026-06-15');
  const register = inspectorsById(ctx);
  const actorOf = (id: string): Actor => inspectorActor(id, register.get(id)!.department);
  let evidenceFiles = 0;

  for (const [i, v] of visits.entries()) {
    const state = inspectionStates[i]!;
    const leader = v.group!.leader ?? v.group!.members[0]!;
    const present = [leader, ...v.group!.members.filter((m) => m !== leader)].slice(0, 2);
    const day = `2026-06-${String(16 + i).padStart(2, '0')}`;
    await ctx.records.preCheck(ctx.meta(actorOf(leader), at(day, '08:30')), v.visitId, {
      consulted: ['市场主体登记信息', '以往抽查结果', '投诉举报记录'],
      found: '登记信息与经营场所一致，近一年无相关投诉举报',
      method: 'onSite',
    });
    states[state] = v.visitId;
    if (REACH[state] < 1) continue;

    // E10: the unit's own staff file the evidence — the leader when the leader is the unit's, else its operator.
    const uploader = register.get(leader)?.department === unit ? actorOf(leader) : operatorOf(unit);
    const evidence = await storeEvidence(ctx, uploader, v.visitId, day);
    evidenceFiles += evidence.length;
    const form = await ctx.forms.visitForm(v.visitId);
    const findings = form.questions.map((q) => ({ itemId: q.itemId, questionId: q.questionId, answer: q.answer === 'conformity' ? 'conforms' : q.answer === 'number' ? 0 : '现场核查未发现异常' }));
    await ctx.records.onSite(ctx.meta(actorOf(leader), at(day, '10:30')), v.visitId, {
      present,
      credentialsShown: true,
      noticeNumber: `沂商检告〔2026〕${String(100 + i)}号`,
      findings: findings.length > 0 ? findings : v.items.map((itemId) => ({ itemId, answer: 'conforms' })),
      measures: ['onSiteRecord', 'evidenceTaken'],
      rectification: { status: 'notNeeded' },
      evidence,
    });
    await ctx.records.targetAnswer(
      ctx.meta(actorOf(leader), at(day, '11:30')),
      v.visitId,
      state === 'refused'
        ? { refused: { witness: { name: '所在社区网格员', idNote: '社区网格员证号尾号0421' } } }
        : { signed: { name: '现场负责人', role: '店长' } },
    );
    // A3: each present inspector signs with their own account; the leader closes (E1).
    for (const m of present) await ctx.records.sign(ctx.meta(actorOf(m), at(day, '11:45')), v.visitId);
    await ctx.records.close(ctx.meta(actorOf(leader), at(day, '12:00')), v.visitId);
    if (REACH[state] < 2) continue;

    const submitted = at(`2026-07-0${1 + (i % 5)}`, '09:00');
    await ctx.resultsAt(submitted).submit(ctx.meta(actorOf(leader), submitted), v.visitId, v.items.map((itemId) => ({ itemId, category: 'noProblem' })));
    if (REACH[state] < 3) continue;

    const reviewed = at('2026-07-08', '15:00');
    await ctx.resultsAt(reviewed).review(
      ctx.meta(principalOf(unit), reviewed),
      v.visitId,
      state === 'exempt'
        ? { decision: 'approve', exemption: { reason: '检查结果涉及正在侦办案件的线索，公开可能影响调查', basis: '《中华人民共和国政府信息公开条例》第十四条' } }
        : { decision: 'approve' },
    );
    if (state === 'corrected') {
      const corrected = at('2026-07-15', '10:00');
      await ctx.resultsAt(corrected).correct(ctx.meta(principalOf(unit), corrected), v.visitId, {
        reason: '复查台账发现录入有误：经营者已于检查当日按要求改正',
        results: v.items.map((itemId) => ({ itemId, category: 'rectified' })),
      });
    }
    if (state === 'objected') {
      const received = at('2026-07-14', '09:00');
      await ctx.resultsAt(received).receiveObjection(ctx.meta(operatorOf(unit), received), v.visitId, {
        channel: 'staff',
        uscc: v.uscc,
        contact: '经营者联系人 0533-3221234',
        statement: '对公示的抽查结果有异议，认为检查事项的认定不准确，请求复核',
        receivedOn: '2026-07-13',
      });
      const decided = at('2026-07-20', '16:00');
      await ctx.resultsAt(decided).decideObjection(ctx.meta(principalOf(unit), decided), v.visitId, { objection: 1, outcome: 'resultStands', reason: '经复核，现场检查记录与证据完整，原结果认定无误' });
      const answered = at('2026-07-22', '10:00');
      await ctx.resultsAt(answered).giveFeedback(ctx.meta(operatorOf(unit), answered), v.visitId, { objection: 1, feedback: '经复核，维持原抽查结果，已书面告知经营者' });
    }
  }
  return { states, unreachable: null, transferred: null, followUps: null, formsPublished, inspectorUsers, evidenceFiles };
}
