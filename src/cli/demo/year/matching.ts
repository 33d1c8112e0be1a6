/**
 * Inspector matching per visit (T6–T8, T10) in the demo year, through VisitService (the code of
 * `POST /visits/matchings`, `…/application`, `/assignment`, `/replacements`), by the circulation
 * office, whose visits include the merged fuel visits (T5) and the joint task's (T1):
 *
 * - the joint visits: one matching draw by the circulation office, one by the enforcement unit,
 *   each over the same visits and from its own inspectors, so every group holds both;
 * - draw A over the merged visits (and plain ones up to four), room to spare (maxLoad 2): all
 *   matched; one member then replaced for health, approved by the office's principal (T10);
 * - draw B over ⌊pool/2⌋+1 further visits with maxLoad 1: the pool cannot cover them all, so at
 *   least one is left unmatched (VisitLeftUnmatched) and the principal assigns it directly,
 *   seconding two inspectors of the enforcement unit, with the reason (T8);
 * - every other visit (catering, safety, the rest of the fuel register) stays unmatched, so the
 *   work queue shows both states.
 */
import type { Actor } from '../../../domain/actor.js';
import { queryInspectors } from '../../../projections/registers/index.js';
import { listVisits, type VisitView } from '../../../projections/visits/index.js';
import { ENFORCEMENT, OFFICE_CIRCULATION } from '../yiyuan.js';
import { at, later, operatorOf, principalOf, type YearContext } from './context.js';
import { demoEntropy, revealAndComplete } from './draws.js';

export interface MatchingSummary {
  /** Matching draws in the order written, the T10 replacement draw last. */
  readonly draws: string[];
  /** T8: the visit assigned directly. */
  readonly assigned: string;
  /** T10: the visit whose member was replaced. */
  readonly replaced: string;
}

const DRAW_A_SIZE = 4;

function visitsOf(ctx: YearContext, unit: string): VisitView[] {
  const all: VisitView[] = [];
  for (let after = ''; ; ) {
    const page = listVisits(ctx.db, { unit, after, limit: 1000 });
    all.push(...page);
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.visitId;
  }
}

const qualified = (ctx: YearContext, department: string, day: string, notConflictedWith?: string) =>
  queryInspectors(ctx.db, { department: [department], qualifiedOn: day, ...(notConflictedWith && { notConflictedWith: [notConflictedWith] }) });

/** T6: commit over `visits` from `actor`'s department's own inspectors, reveal, complete, apply; returns the draw id. */
async function matchVisits(ctx: YearContext, actor: Actor, visits: readonly string[], maxLoad: number, committedAt: string): Promise<string> {
  // The witnesses' demo secrets are keyed by the department and first visit: one matching, one key.
  const key = `${actor.department}:${[...visits].sort()[0]!}`;
  const { drawId } = await ctx.visits.commitMatching(ctx.meta(actor, committedAt), {
    visits: [...visits],
    inspectors: { department: [actor.department] },
    groupSize: 2,
    maxLoad,
    entropy: demoEntropy(key),
    revealDeadline: later(committedAt, 120),
  });
  await revealAndComplete(ctx, actor, drawId!, key, committedAt);
  await ctx.visits.applyMatching(ctx.meta(actor, later(committedAt, 50)), drawId!);
  return drawId!;
}

export async function matchInspectors(ctx: YearContext): Promise<MatchingSummary> {
  await ctx.projections.catchUp();
  const unit = OFFICE_CIRCULATION;
  const own = visitsOf(ctx, unit).filter((v) => v.executingUnit === unit);
  const joint = own.filter((v) => v.participants.length > 0).map((v) => v.visitId);
  const merged = own.filter((v) => v.participants.length === 0 && v.tasks.length >= 2).map((v) => v.visitId);
  const plain = own.filter((v) => v.participants.length === 0 && v.tasks.length === 1).map((v) => v.visitId);
  const draws: string[] = [];

  // T1/joint: each contributor's own draw over the joint visits.
  if (joint.length > 0) {
    draws.push(await matchVisits(ctx, operatorOf(unit), joint, 2, at('2026-06-09', '09:30')));
    draws.push(await matchVisits(ctx, operatorOf(ENFORCEMENT), joint, 2, at('2026-06-09', '14:30')));
  }

  // Draw A: the merged visits first (T5), then plain ones.
  const a = [...merged.slice(0, DRAW_A_SIZE), ...plain.slice(0, Math.max(0, DRAW_A_SIZE - merged.length))];
  draws.push(await matchVisits(ctx, operatorOf(unit), a, 2, at('2026-06-10', '09:30')));

  // Draw B: one visit more than the office's pool can cover at one visit per inspector (T8).
  const dayB = '2026-06-11';
  const rest = plain.filter((id) => !a.includes(id));
  const b = rest.slice(0, Math.floor(qualified(ctx, unit, dayB).length / 2) + 1);
  if (b.length > 0) draws.push(await matchVisits(ctx, operatorOf(unit), b, 1, at(dayB, '09:30')));

  // T8: the first visit draw B left unmatched (else, a county too small for that, a visit never drawn over).
  await ctx.projections.catchUp();
  const left = b.find((id) => visitsOf(ctx, unit).find((v) => v.visitId === id)?.status === 'unmatched') ?? rest.find((id) => !b.includes(id));
  if (left === undefined) throw new Error('demo year: the circulation office has no visit left to assign directly');
  const dayDirect = '2026-06-12';
  const target = own.find((v) => v.visitId === left)!.uscc;
  const seconded = qualified(ctx, ENFORCEMENT, dayDirect, target).slice(0, 2).map((p) => p.inspectorId);
  await ctx.visits.assign(ctx.meta(principalOf(unit), at(dayDirect, '10:00')), left, {
    leader: seconded[0]!,
    members: seconded,
    reason: '本科室持证执法人员已全部编入本轮匹配，经商务局同意由商务综合行政执法大队借调两名执法人员组成检查组',
  });

  // T10: a member of draw A's first group falls ill; the operator asks, the principal approves.
  const replaced = [...a].sort()[0]!;
  const { state } = await ctx.visits.state(replaced);
  const group = state.exists ? state.contributions[unit]?.group : undefined;
  const member = group?.members.find((m) => m !== group.leader);
  if (member === undefined) throw new Error(`demo year: visit ${replaced} has no drawn group to replace a member of`);
  await ctx.visits.requestReplacement(ctx.meta(operatorOf(unit), at(dayDirect, '15:00')), replaced, { member, reason: 'health' });
  const approved = await ctx.visits.approveReplacement(ctx.meta(principalOf(unit), at(dayDirect, '16:00')), replaced, 1);
  draws.push(approved.drawId!);
  return { draws, assigned: left, replaced };
}
