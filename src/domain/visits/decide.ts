/**
 * Matching a visit (T6–T8, T10): pure. Register facts (qualification, conflicts) and the state of
 * the matching draw arrive in the command's data, read by src/app/visits; time and actor in the
 * metadata. A refusal writes nothing.
 */
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import {
  contributors, evolveVisit, initialVisitState, type FrozenVisit, type VisitEvent, type VisitReplacementReason, type VisitState,
} from './events.js';

export interface PersonFact {
  readonly id: string;
  /** T9: an inspector of the register, active and qualified on the day (experts: in the register, active). */
  readonly qualified: boolean;
  /** T10 回避: a declared conflict with the visit's target. */
  readonly conflicted: boolean;
}

export type CommitMatching = Command<'CommitMatching', {
  /** The visit as merged now; it freezes with this content unless already frozen. */
  readonly visit: FrozenVisit;
  readonly department: string;
  readonly drawId: string;
  /** The department's pending draw is still open, or completed and not applied. */
  readonly pendingUnresolved: boolean;
}>;
export type ApplyMatching = Command<'ApplyMatching', {
  readonly department: string;
  /** The root matching draw, and the latest completed draw of its lineage whose result is applied. */
  readonly matchingDraw: string;
  readonly drawId: string;
  readonly outcome:
    | { readonly group: { readonly pool: 'local' | 'joint'; readonly leader: string | null; readonly members: readonly string[]; readonly experts: readonly string[] } }
    | { readonly need: 'inspectors' | 'experts' | 'abandoned' };
}>;
export type AssignDirectly = Command<'AssignDirectly', {
  readonly visit: FrozenVisit;
  readonly department: string;
  readonly leader: string;
  readonly members: readonly string[];
  readonly experts: readonly string[];
  readonly reason: string;
  readonly facts: { readonly inspectors: readonly PersonFact[]; readonly experts: readonly PersonFact[] };
  readonly pendingUnresolved: boolean;
}>;
export type RequestReplacement = Command<'RequestReplacement', { readonly member: string; readonly reason: VisitReplacementReason }>;
export type ApproveReplacement = Command<'ApproveReplacement', { readonly request: number; readonly drawId: string }>;
export type VisitCommand = CommitMatching | ApplyMatching | AssignDirectly | RequestReplacement | ApproveReplacement;

const writers = new Set(['operator', 'principal', 'admin', 'system']);
const principals = new Set(['principal', 'admin', 'system']);
const acts = (role: string): boolean => role === 'admin' || role === 'system';

const forbidden = (rule: string, zh: string, en: string): SuijiError => new SuijiError('FORBIDDEN', { rule }, { zh: `${rule}：${zh}`, en: `${rule}: ${en}` });
const invalid = (field: string, rule: string, zh: string, en: string, details: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule, ...details }, { zh: `${rule}：${zh}`, en: `${rule}: ${en}` });

/** T6: the executing unit, or for a joint task a participant, matches its own share — nobody else. */
function contributorCheck(visit: FrozenVisit, department: string, actorDept: string, role: string): SuijiError | null {
  if (!contributors(visit).includes(department)) {
    return forbidden('T6', `部门 ${department} 不是检查 ${visit.visitId} 的执行单位或联合参与部门`, `department ${department} neither executes nor takes part in visit ${visit.visitId}`);
  }
  if (!acts(role) && actorDept !== department) return forbidden('T6', '只能为本部门匹配检查人员', 'a department matches only its own inspectors');
  return null;
}

function decide(command: VisitCommand, state: VisitState): readonly VisitEvent[] | SuijiError {
  const { actor } = command.metadata;
  switch (command.type) {
    case 'CommitMatching': {
      const d = command.data;
      if (!writers.has(actor.role)) return forbidden('T6', '无权发起人员匹配摇号', 'not allowed to commit a matching draw');
      const visit = state.exists ? state.visit : d.visit;
      const denied = contributorCheck(visit, d.department, actor.department, actor.role);
      if (denied) return denied;
      const c = state.exists ? state.contributions[d.department] : undefined;
      if (c?.group) return ruleViolation('T6', `检查 ${visit.visitId} 已匹配检查人员，已冻结`, `visit ${visit.visitId} is already matched and frozen`, { field: '/visits', reason: 'VISIT_MATCHED', visitId: visit.visitId });
      if (c?.pending && d.pendingUnresolved) {
        return ruleViolation('T6', `检查 ${visit.visitId} 已有匹配摇号 ${c.pending}：请先完成并应用或公开废弃`, `visit ${visit.visitId} already has matching draw ${c.pending}: complete and apply it, or abandon it, first`, {
          field: '/visits', reason: 'MATCHING_PENDING', visitId: visit.visitId, drawId: c.pending,
        });
      }
      return [
        ...(state.exists ? [] : [{ type: 'VisitFrozen' as const, payload: d.visit }]),
        { type: 'VisitMatchingCommitted', payload: { visitId: visit.visitId, department: d.department, drawId: d.drawId } },
      ];
    }
    case 'ApplyMatching': {
      const d = command.data;
      if (!writers.has(actor.role)) return forbidden('T6', '无权应用匹配结果', 'not allowed to apply a matching');
      if (!state.exists) return [];
      const c = state.contributions[d.department];
      const visitId = state.visit.visitId;
      if ('need' in d.outcome) {
        // Only the draw this visit waits on can leave it unmatched; a stale draw changes nothing.
        if (c?.pending !== d.matchingDraw) return [];
        return [{ type: 'VisitLeftUnmatched', payload: { visitId, department: d.department, drawId: d.matchingDraw, need: d.outcome.need } }];
      }
      const g = d.outcome.group;
      const ours = c?.pending === d.matchingDraw || (c?.group?.via === 'draw' && c.group.matchingDraw === d.matchingDraw);
      if (!ours) return [];
      const same = c?.group && c.pending === null && c.group.drawId === d.drawId && c.group.leader === g.leader && c.group.members.join('\u0000') === g.members.join('\u0000');
      if (same) return [];
      return [{ type: 'VisitMatched', payload: { visitId, department: d.department, matchingDraw: d.matchingDraw, drawId: d.drawId, pool: g.pool, leader: g.leader, members: [...g.members], experts: [...g.experts] } }];
    }
    case 'AssignDirectly': {
      const d = command.data;
      if (!principals.has(actor.role)) return forbidden('T8', '直接指派须由部门负责人决定', 'a direct assignment is decided by a principal of the department');
      const visit = state.exists ? state.visit : d.visit;
      const denied = contributorCheck(visit, d.department, actor.department, actor.role);
      if (denied) return denied;
      const c = state.exists ? state.contributions[d.department] : undefined;
      if (c?.group) return ruleViolation('T8', `检查 ${visit.visitId} 已匹配检查人员`, `visit ${visit.visitId} is already matched`, { field: '/visitId', reason: 'VISIT_MATCHED' });
      if (c?.pending && d.pendingUnresolved) {
        return ruleViolation('T8', `检查 ${visit.visitId} 的匹配摇号 ${c.pending} 尚未完成或未应用`, `the matching draw ${c.pending} of visit ${visit.visitId} is not completed and applied yet`, { field: '/visitId', reason: 'MATCHING_PENDING', drawId: c.pending });
      }
      if (new Set(d.members).size !== d.members.length) return invalid('/members', 'T7', '检查人员重复', 'an inspector is listed twice');
      if (d.members.length < 2) return invalid('/members', 'T7', '检查组至少须有两名检查人员', 'a group needs at least two inspectors');
      if (!d.members.includes(d.leader)) return invalid('/leader', 'T7', `组长 ${d.leader} 不在检查人员中`, `the leader ${d.leader} is not among the members`);
      for (const [list, field, what] of [[d.facts.inspectors, '/members', '检查人员 inspector'], [d.facts.experts, '/experts', '专家 expert']] as const) {
        for (const [i, f] of list.entries()) {
          if (!f.qualified) return invalid(`${field}/${i}`, 'T9', `${f.id} 不是名录中当日有效的${what}`, `${f.id} is not a qualified ${what.split(' ')[1]} of the register on this day`);
          if (f.conflicted) return invalid(`${field}/${i}`, 'T10', `${f.id} 已申报与检查对象 ${visit.uscc} 存在利害关系，须回避`, `${f.id} declared a conflict with target ${visit.uscc} and must recuse`);
        }
      }
      return [
        ...(state.exists ? [] : [{ type: 'VisitFrozen' as const, payload: d.visit }]),
        { type: 'VisitAssigned', payload: { visitId: visit.visitId, department: d.department, leader: d.leader, members: [...d.members], experts: [...d.experts], reason: d.reason, assignedBy: actor.userId } },
      ];
    }
    case 'RequestReplacement': {
      const d = command.data;
      if (!writers.has(actor.role)) return forbidden('T10', '无权申请更换检查人员', 'not allowed to request a replacement');
      if (!state.exists) return ruleViolation('T10', '检查尚未匹配检查人员', 'the visit is not matched', { field: '/visitId', reason: 'VISIT_NOT_MATCHED' });
      const department = Object.keys(state.contributions).find((k) => state.contributions[k]!.group?.members.includes(d.member) || state.contributions[k]!.group?.experts.includes(d.member));
      const group = department === undefined ? undefined : state.contributions[department]!.group;
      if (department === undefined || !group) return invalid('/member', 'T10', `${d.member} 不在本检查的检查组中`, `${d.member} is not in the visit's group`);
      if (!acts(actor.role) && actor.department !== department) return forbidden('T10', '只能为本部门的检查组申请更换', 'a department requests replacements only in its own group');
      if (group.via !== 'draw') return ruleViolation('T10', '直接指派的检查组不经摇号更换', 'a directly assigned group is not replaced by a draw', { field: '/member', reason: 'DIRECT_GROUP' });
      if (state.requests.some((r) => r.member === d.member && r.department === department && r.approvedBy === null)) {
        return ruleViolation('T10', `已有更换 ${d.member} 的申请待审批`, `a replacement of ${d.member} already awaits approval`, { field: '/member', reason: 'REQUEST_PENDING' });
      }
      return [{ type: 'VisitReplacementRequested', payload: { visitId: state.visit.visitId, request: state.requests.length + 1, department, member: d.member, reason: d.reason, requestedBy: actor.userId } }];
    }
    case 'ApproveReplacement': {
      const d = command.data;
      // T10: the approver is the token's user — a principal of the group's own department.
      if (!principals.has(actor.role)) return forbidden('T10', '更换须由部门负责人以本人身份审批', 'a replacement is approved by a principal of the department, with their own token');
      const r = state.exists ? state.requests.find((x) => x.request === d.request) : undefined;
      if (!state.exists || !r) return new SuijiError('NOT_FOUND', { field: '/request', kind: 'replacementRequest' }, { zh: `未找到更换申请：${d.request}`, en: `replacement request not found: ${d.request}` });
      if (!acts(actor.role) && actor.department !== r.department) return forbidden('T10', '只能审批本部门检查组的更换', 'a principal approves replacements in the own department\'s group only');
      if (r.approvedBy !== null) return [];
      return [{ type: 'VisitReplacementApproved', payload: { visitId: state.visit.visitId, request: r.request, approvedBy: actor.userId, drawId: d.drawId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const visitDecider: Decider<VisitCommand, VisitEvent, VisitState> = { initialState: initialVisitState, decide, evolve: evolveVisit };
