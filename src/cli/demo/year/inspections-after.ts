/**
 * The demo year's E8/E9 states, after the eight of ./inspections-states.ts, on the circulation
 * office's next visits (matched ones; a transfer may take an unmatched one, never a joint visit),
 * through the services the routes run:
 *
 *   unreachable   the leader records 通过登记的住所（经营场所）无法联系 with its basis and a photo
 *                 of the address as evidence; the principal approves it and it is published (E8)
 *   followUps     a full record finding a problem on one item (发现问题待后续处理, ordered to rectify),
 *                 published; the unit opens a case filing (立案, case number) left open, and a
 *                 handover to daily supervision that is updated and closed (E9)
 *   transferred   the target moved: the unit proposes the visit to the market office, whose
 *                 principal accepts it naming a group of its own inspectors; a second proposal
 *                 to the same office is left pending (E8)
 */
import type { Actor } from '../../../domain/actor.js';
import { queryInspectors } from '../../../projections/registers/index.js';
import type { VisitView } from '../../../projections/visits/index.js';
import { OFFICE_MARKET } from '../yiyuan.js';
import { at, later, operatorOf, principalOf, type YearContext } from './context.js';
import { storeEvidence } from './inspections-setup.js';
import { closeRecord, leaderOf, preCheck } from './inspections-record.js';

/** The receiving unit of the demo's transfers: an office with a jurisdiction and inspectors of its own. */
export const TRANSFER_TO = OFFICE_MARKET;

export interface TransferredSummary {
  readonly toUnit: string;
  /** Accepted by the receiving unit's principal, with the group it named. */
  readonly accepted: string;
  /** Proposed, not accepted (null: the county had no visit left for it). */
  readonly pending: string | null;
}

export interface FollowUpsSummary {
  readonly visitId: string;
  readonly itemId: string;
  /** The case filing (立案), still open. */
  readonly open: string;
  /** The handover to daily supervision, updated and closed. */
  readonly closed: string;
}

type ActorOf = (id: string) => Actor;

/** E8: not inspected — unreachable at the registered address, reviewed and published; returns the evidence files stored. */
export async function seedUnreachable(ctx: YearContext, actorOf: ActorOf, unitOf: (id: string) => string | undefined, v: VisitView): Promise<number> {
  const { leader } = leaderOf(v);
  const day = '2026-06-24';
  await preCheck(ctx, actorOf, v, day);
  const uploader = unitOf(leader) === v.executingUnit ? actorOf(leader) : operatorOf(v.executingUnit);
  const [photo, ...rest] = await storeEvidence(ctx, uploader, v.visitId, day);
  const recorded = at('2026-06-25', '09:00');
  await ctx.resultsAt(recorded).recordOutcome(ctx.meta(actorOf(leader), recorded), v.visitId, {
    outcome: 'unreachable',
    basis: '2026年6月24日两次按登记住所实地核查，门店已关闭无人经营；登记电话无人接听，经社区确认已搬离，通过登记的住所（经营场所）无法联系',
    evidence: photo!,
  });
  const reviewed = at('2026-07-08', '15:30');
  await ctx.resultsAt(reviewed).review(ctx.meta(principalOf(v.executingUnit), reviewed), v.visitId, { decision: 'approve' });
  return 1 + rest.length;
}

/** E9: a published result with a problem, and its two follow-ups; returns the evidence files stored and the summary. */
export async function seedFollowUps(ctx: YearContext, actorOf: ActorOf, unitOf: (id: string) => string | undefined, v: VisitView, n: number): Promise<{ evidenceFiles: number; summary: FollowUpsSummary }> {
  const unit = v.executingUnit;
  const itemId = v.items[0]!;
  const day = '2026-06-26';
  await preCheck(ctx, actorOf, v, day);
  const evidenceFiles = await closeRecord(ctx, actorOf, unitOf, v, n, day, { problemItem: itemId });
  const submitted = at('2026-07-02', '09:30');
  await ctx.resultsAt(submitted).submit(ctx.meta(actorOf(leaderOf(v).leader), submitted), v.visitId, v.items.map((it) => (
    it === itemId ? { itemId: it, category: 'problemFound', kind: 'otherViolation', detail: '单用途商业预付卡：发卡企业未按规定办理备案' } : { itemId: it, category: 'noProblem' }
  )));
  const reviewed = at('2026-07-08', '16:00');
  await ctx.resultsAt(reviewed).review(ctx.meta(principalOf(unit), reviewed), v.visitId, { decision: 'approve' });

  const opened = at('2026-07-10', '10:00');
  const open = await ctx.followUps.open(ctx.meta(operatorOf(unit), opened), {
    visitId: v.visitId, itemId, kind: 'caseFiling', caseNumber: '沂商务立字〔2026〕第018号', handledBy: '沂源县商务综合行政执法大队', note: '抽查发现未按规定办理预付卡备案，经负责人批准立案调查',
  });
  const handover = await ctx.followUps.open(ctx.meta(operatorOf(unit), later(opened, 30)), {
    visitId: v.visitId, itemId, kind: 'handover', handledBy: '沂源县商务局市场运行和消费促进科（日常监管）', note: '移交日常监管单位督促整改并跟踪复查',
  });
  await ctx.followUps.update(ctx.meta(operatorOf(unit), at('2026-07-20', '10:00')), handover.followUpId, { status: '督促整改中', note: '日常监管单位已接收，约谈经营者并督促限期办理备案' });
  await ctx.followUps.close(ctx.meta(operatorOf(unit), at('2026-07-31', '16:00')), handover.followUpId, { outcome: '经营者已于2026年7月28日办理备案，日常监管单位复查确认整改到位' });
  return { evidenceFiles, summary: { visitId: v.visitId, itemId, open: open.followUpId, closed: handover.followUpId } };
}

/**
 * E8: the first visit transferred and accepted, the second (if any) left pending. The group the
 * receiving principal names is the office's first two inspectors (by id) active, qualified on the
 * day and not conflicted with the target.
 */
export async function seedTransfers(ctx: YearContext, accepted: VisitView, pending: VisitView | undefined): Promise<TransferredSummary | null> {
  const proposed = at('2026-06-24', '14:00');
  const reason = '经营者已迁移经营场所（已迁出），新住所属市场运行和消费促进科监管范围，申请移交属地单位检查';
  const day = '2026-06-29';
  await ctx.projections.catchUp();
  const group = queryInspectors(ctx.db, { department: [TRANSFER_TO], status: ['active'] })
    .filter((i) => i.qualification.validFrom <= day && day <= i.qualification.validTo && !i.conflicts.includes(accepted.uscc))
    .slice(0, 2)
    .map((i) => i.inspectorId);
  if (group.length < 2) return null;
  await ctx.transfers.propose(ctx.meta(operatorOf(accepted.executingUnit), proposed), accepted.visitId, { toUnit: TRANSFER_TO, reason });
  await ctx.transfers.accept(ctx.meta(principalOf(TRANSFER_TO), at(day, '10:00')), accepted.visitId, { leader: group[0]!, members: group });
  if (pending !== undefined) await ctx.transfers.propose(ctx.meta(operatorOf(pending.executingUnit), later(proposed, 30)), pending.visitId, { toUnit: TRANSFER_TO, reason });
  return { toUnit: TRANSFER_TO, accepted: accepted.visitId, pending: pending?.visitId ?? null };
}
