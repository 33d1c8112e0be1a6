/**
 * One visit's on-site record taken from pre-check to closure by its group (E1, E4, A3, E10), as the
 * demo year's states use it (./inspections-states.ts): the leader records, each present inspector
 * signs with their own account, the leader closes.
 */
import type { Actor } from '../../../domain/actor.js';
import type { VisitView } from '../../../projections/visits/index.js';
import { at, operatorOf, type YearContext } from './context.js';
import { storeEvidence } from './inspections-setup.js';

export interface RecordPlan {
  /** The target refuses to sign before a witness (E4). */
  readonly refused?: boolean;
  /** An item found not to conform (its conformity questions answer 不符合), with an order to rectify. */
  readonly problemItem?: string;
}

/** The visit's leader (the first member when the group names none) and the two inspectors present. */
export function leaderOf(v: VisitView): { leader: string; present: string[] } {
  const leader = v.group!.leader ?? v.group!.members[0]!;
  return { leader, present: [leader, ...v.group!.members.filter((m) => m !== leader)].slice(0, 2) };
}

/** Pre-check only (E4): what the leader consulted before going. */
export async function preCheck(ctx: YearContext, actorOf: (id: string) => Actor, v: VisitView, day: string): Promise<void> {
  await ctx.records.preCheck(ctx.meta(actorOf(leaderOf(v).leader), at(day, '08:30')), v.visitId, {
    consulted: ['市场主体登记信息', '以往抽查结果', '投诉举报记录'],
    found: '登记信息与经营场所一致，近一年无相关投诉举报',
    method: 'onSite',
  });
}

/** On-site with evidence, the target's answer, two signatures, closure; returns the evidence files stored. */
export async function closeRecord(
  ctx: YearContext, actorOf: (id: string) => Actor, unitOfInspector: (id: string) => string | undefined, v: VisitView, n: number, day: string, plan: RecordPlan = {},
): Promise<number> {
  const { leader, present } = leaderOf(v);
  // E10: the unit's own staff file the evidence — the leader when the leader is the unit's, else its operator.
  const uploader = unitOfInspector(leader) === v.executingUnit ? actorOf(leader) : operatorOf(v.executingUnit);
  const evidence = await storeEvidence(ctx, uploader, v.visitId, day);
  const photo = evidence[0]!;
  const form = await ctx.forms.visitForm(v.visitId);
  const findings = form.questions.map((q) => {
    const problem = q.itemId === plan.problemItem;
    const answer = q.answer === 'conformity' ? (problem ? 'doesNotConform' : 'conforms') : q.answer === 'number' ? 0 : problem ? '现场核查发现未按规定办理相关手续' : '现场核查未发现异常';
    // E4: a photo-required question carries the photo in the finding's own evidence.
    return { itemId: q.itemId, questionId: q.questionId, answer, ...(q.photoRequired ? { evidence: [photo] } : {}) };
  });
  const ordered = plan.problemItem !== undefined;
  await ctx.records.onSite(ctx.meta(actorOf(leader), at(day, '10:30')), v.visitId, {
    present,
    credentialsShown: true,
    noticeNumber: `沂商检告〔2026〕${String(100 + n)}号`,
    findings: findings.length > 0 ? findings : v.items.map((itemId) => ({ itemId, answer: 'conforms' })),
    measures: ordered ? ['onSiteRecord', 'evidenceTaken', 'orderToRectify'] : ['onSiteRecord', 'evidenceTaken'],
    rectification: ordered ? { status: 'ordered', dueDate: '2026-07-31' } : { status: 'notNeeded' },
    evidence,
  });
  await ctx.records.targetAnswer(
    ctx.meta(actorOf(leader), at(day, '11:30')),
    v.visitId,
    plan.refused ? { refused: { witness: { name: '所在社区网格员', idNote: '社区网格员证号尾号0421' } } } : { signed: { name: '现场负责人', role: '店长' } },
  );
  // A3: each present inspector signs with their own account; the leader closes (E1).
  for (const m of present) await ctx.records.sign(ctx.meta(actorOf(m), at(day, '11:45')), v.visitId);
  await ctx.records.close(ctx.meta(actorOf(leader), at(day, '12:00')), v.visitId);
  return evidence.length;
}
