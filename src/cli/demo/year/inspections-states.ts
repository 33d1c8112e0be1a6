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
 * Then, on the next matched visits, E8/E9 (./inspections-after.ts): `unreachable`, `followUps`,
 * `transferred` (one accepted, one pending).
 *
 * A county too small to have a visit for every state seeds the states it can, in this order.
 */
import type { Actor } from '../../../domain/actor.js';
import { listVisits, type VisitView } from '../../../projections/visits/index.js';
import { OFFICE_CIRCULATION } from '../yiyuan.js';
import { at, operatorOf, principalOf, type YearContext } from './context.js';
import { seedFollowUps, seedTransfers, seedUnreachable, type FollowUpsSummary, type TransferredSummary } from './inspections-after.js';
import { closeRecord, leaderOf, preCheck } from './inspections-record.js';
import { inspectorActor, inspectorsById, publishForms, registerInspectorUsers } from './inspections-setup.js';

export const inspectionStates = ['inProgress', 'signed', 'refused', 'underReview', 'published', 'corrected', 'objected', 'exempt'] as const;
export type InspectionDemoState = (typeof inspectionStates)[number];

export interface InspectionsSummary {
  /** The visit put in each state (null: the county had no matched visit left for it). */
  readonly states: Readonly<Record<InspectionDemoState, string | null>>;
  /** E8: the visit not inspected, its target unreachable at its registered address, published. */
  readonly unreachable: string | null;
  /** E8: a transfer accepted by the receiving unit's principal, and one pending. */
  readonly transferred: TransferredSummary | null;
  /** E9: the published result with a problem and its follow-ups, one open and one closed. */
  readonly followUps: FollowUpsSummary | null;
  readonly formsPublished: number;
  readonly inspectorUsers: number;
  readonly evidenceFiles: number;
}

/** How far each state goes along the record → results path. */
const REACH: Record<InspectionDemoState, number> = { inProgress: 0, signed: 1, refused: 1, underReview: 2, published: 3, corrected: 3, objected: 3, exempt: 3 };

/** The unit's own visits (not those it joins as a participant), in visit-id order. */
function unitVisits(ctx: YearContext, unit: string): VisitView[] {
  const all: VisitView[] = [];
  for (let after = ''; ; ) {
    const page = listVisits(ctx.db, { unit, after, limit: 1000 });
    all.push(...page.filter((v) => v.executingUnit === unit));
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.visitId;
  }
}

export async function seedInspections(ctx: YearContext): Promise<InspectionsSummary> {
  await ctx.projections.catchUp();
  const unit = OFFICE_CIRCULATION;
  const own = unitVisits(ctx, unit);
  const matched = own.filter((v) => v.status === 'matched' && v.group !== null);
  const visits = matched.slice(0, inspectionStates.length);
  // E8/E9 after the eight states, in this order: the inspectors of the first two act on them.
  const [unreachable, followUp] = matched.slice(inspectionStates.length, inspectionStates.length + 2);
  // E8 transfers take visits of the unit alone (a joint visit's participant would lose its share
  // with no say), matched or not — a target can move before its group is drawn.
  const used = new Set([...visits, unreachable, followUp].map((v) => v?.visitId));
  const movable = own.filter((v) => !used.has(v.visitId) && v.participants.length === 0);
  // Matched ones first; the receiving principal names the group anyway, so an unmatched one serves too.
  const [transferAccepted, transferPending] = [...movable.filter((v) => v.status === 'matched'), ...movable.filter((v) => v.status !== 'matched')];
  const acting = [...visits, ...(unreachable ? [unreachable] : []), ...(followUp ? [followUp] : [])];
  const states = Object.fromEntries(inspectionStates.map((s) => [s, null])) as Record<InspectionDemoState, string | null>;
  const inspectorUsers = await registerInspectorUsers(ctx, acting.flatMap((v) => v.group!.members), '2026-06-15');
  const formsPublished = await publishForms(ctx, [...visits, ...(followUp ? [followUp] : [])].flatMap((v) => v.items), '2026-06-15');
  const register = inspectorsById(ctx);
  const actorOf = (id: string): Actor => inspectorActor(id, register.get(id)!.department);
  const unitOf = (id: string): string | undefined => register.get(id)?.department;
  let evidenceFiles = 0;

  for (const [i, v] of visits.entries()) {
    const state = inspectionStates[i]!;
    const { leader } = leaderOf(v);
    const day = `2026-06-${String(16 + i).padStart(2, '0')}`;
    await preCheck(ctx, actorOf, v, day);
    states[state] = v.visitId;
    if (REACH[state] < 1) continue;
    evidenceFiles += await closeRecord(ctx, actorOf, unitOf, v, i, day, { refused: state === 'refused' });
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

  if (unreachable) evidenceFiles += await seedUnreachable(ctx, actorOf, unitOf, unreachable);
  let followUps: FollowUpsSummary | null = null;
  if (followUp) {
    const seeded = await seedFollowUps(ctx, actorOf, unitOf, followUp, inspectionStates.length + 1);
    evidenceFiles += seeded.evidenceFiles;
    followUps = seeded.summary;
  }
  const transferred = transferAccepted ? await seedTransfers(ctx, transferAccepted, transferPending) : null;
  return { states, unreachable: unreachable?.visitId ?? null, transferred, followUps, formsPublished, inspectorUsers, evidenceFiles };
}
