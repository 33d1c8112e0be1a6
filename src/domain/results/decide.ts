/**
 * Results, review, publication, corrections and objections (E5, P2, E6, E7, A3): pure. The
 * visit's facts (its items, target, executing unit, group leader), whether its on-site record is
 * closed, and the category catalogue arrive in the command's data, read by src/app/results; time
 * and actor in the metadata. A refusal writes nothing.
 */
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import { shanghaiDate } from '../calendar/date.js';
import type { ResultCategory } from './categories.js';
import {
  correctionNoticeId, e8OutcomeCategory, evolveResult, type E8Outcome, initialResultState, resultNoticeId,
  type ObjectionChannel, type ObjectionOutcome, type ResultEntry, type ResultEvent, type ResultState,
} from './events.js';

export interface VisitFacts {
  readonly visitId: string;
  readonly uscc: string;
  readonly executingUnit: string;
  readonly items: readonly string[];
  /** The group's leader (E1); null while the visit has no group. */
  readonly leader: string | null;
}

/** One item's result as a request gives it: category and kind by code. */
export interface ResultInput {
  readonly itemId: string;
  readonly category: string;
  readonly kind?: string;
  readonly detail?: string;
}

interface WithVisit {
  readonly visit: VisitFacts;
}
export type SubmitResults = Command<'SubmitResults', WithVisit & { readonly recordClosed: boolean; readonly catalogue: readonly ResultCategory[]; readonly results: readonly ResultInput[] }>;
/** E8: the leader records that the target could not be inspected; `evidenceExists` is read by the app. */
export type RecordOutcome = Command<'RecordOutcome', WithVisit & {
  readonly catalogue: readonly ResultCategory[];
  readonly outcome: E8Outcome;
  readonly basis: string;
  readonly evidence?: string;
  readonly evidenceExists: boolean;
}>;
export type ReviewResults = Command<'ReviewResults', WithVisit & {
  readonly decision: 'approve' | 'return';
  readonly reason?: string;
  readonly exemption?: { readonly reason: string; readonly basis: string };
}>;
export type CorrectResults = Command<'CorrectResults', WithVisit & { readonly catalogue: readonly ResultCategory[]; readonly reason: string; readonly results: readonly ResultInput[]; readonly objection?: number }>;
export type ReceiveObjection = Command<'ReceiveObjection', WithVisit & {
  readonly channel: ObjectionChannel;
  readonly uscc: string;
  readonly contact: string;
  readonly statement: string;
  /** Staff may record the day a written objection arrived (not after today); the public filing is today. */
  readonly receivedOn?: string;
}>;
export type DecideObjection = Command<'DecideObjection', WithVisit & { readonly objection: number; readonly outcome: ObjectionOutcome; readonly reason: string }>;
export type GiveObjectionFeedback = Command<'GiveObjectionFeedback', WithVisit & { readonly objection: number; readonly feedback: string }>;
export type ResultCommand = SubmitResults | RecordOutcome | ReviewResults | CorrectResults | ReceiveObjection | DecideObjection | GiveObjectionFeedback;

const forbidden = (rule: string, zh: string, en: string, field: string): SuijiError =>
  new SuijiError('FORBIDDEN', { rule, field }, { zh: `${rule}：${zh}`, en: `${rule}: ${en}` });
const invalid = (field: string, rule: string, zh: string, en: string): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule }, { zh: `${rule}：${zh}`, en: `${rule}: ${en}` });
const notFound = (field: string, kind: string, zh: string, en: string): SuijiError => new SuijiError('NOT_FOUND', { field, kind }, { zh, en });

/** A sign-off is the unit principal's own (E6, P2): not an operator, not admin, not another unit's principal. */
function principalOf(visit: VisitFacts, actor: { role: string; department: string }, rule: string): SuijiError | null {
  if (actor.role === 'principal' && actor.department === visit.executingUnit) return null;
  return forbidden(rule, `须由执行单位 ${visit.executingUnit} 的负责人以本人身份签署`, `must be signed by a principal of the executing unit ${visit.executingUnit}, with their own token`, 'authorization');
}
/** Staff of the executing unit who record objections and feedback (E7). */
function staffOf(visit: VisitFacts, actor: { role: string; department: string }): SuijiError | null {
  if ((actor.role === 'operator' || actor.role === 'principal') && actor.department === visit.executingUnit) return null;
  return forbidden('E7', `须由执行单位 ${visit.executingUnit} 的工作人员办理`, `must be handled by staff of the executing unit ${visit.executingUnit}`, 'authorization');
}

/** E5/A4: one result for every item of the visit, each in a category of the catalogue. */
export function checkResults(visit: VisitFacts, catalogue: readonly ResultCategory[], inputs: readonly ResultInput[], rule: string): ResultEntry[] | SuijiError {
  const seen = new Set<string>();
  const out: ResultEntry[] = [];
  for (const [i, r] of inputs.entries()) {
    if (!visit.items.includes(r.itemId)) return invalid(`/results/${i}/itemId`, rule, `事项 ${r.itemId} 不属于检查 ${visit.visitId}`, `item ${r.itemId} is not an item of visit ${visit.visitId}`);
    if (seen.has(r.itemId)) return invalid(`/results/${i}/itemId`, rule, `事项 ${r.itemId} 的结果重复`, `item ${r.itemId} has two results`);
    seen.add(r.itemId);
    const c = catalogue.find((x) => x.code === r.category);
    if (!c) return invalid(`/results/${i}/category`, 'A4', `结果类别 ${r.category} 不在结果类别目录中`, `result category ${r.category} is not in the catalogue`);
    if (!c.kinds?.length) {
      if (r.kind !== undefined || r.detail !== undefined) return invalid(`/results/${i}/kind`, rule, `类别“${c.label}”不区分问题类型`, `category ${c.code} has no kinds`);
      out.push({ itemId: r.itemId, category: c.code, categoryLabel: c.label, kind: null });
      continue;
    }
    const k = c.kinds.find((x) => x.code === r.kind);
    if (!k) return invalid(`/results/${i}/kind`, rule, `类别“${c.label}”须注明问题类型（${c.kinds.map((x) => x.code).join('、')}）`, `category ${c.code} needs one of its kinds (${c.kinds.map((x) => x.code).join(', ')})`);
    if (k.detail && (r.detail === undefined || r.detail.trim() === '')) return invalid(`/results/${i}/detail`, rule, `问题类型“${k.label}”须注明领域`, `kind ${k.code} needs the detail (the field of the violation)`);
    if (!k.detail && r.detail !== undefined) return invalid(`/results/${i}/detail`, rule, `问题类型“${k.label}”不填写详情`, `kind ${k.code} takes no detail`);
    out.push({ itemId: r.itemId, category: c.code, categoryLabel: c.label, kind: { code: k.code, label: k.label, detail: k.detail ? r.detail!.trim() : null } });
  }
  const missing = visit.items.find((it) => !seen.has(it));
  if (missing !== undefined) return invalid('/results', rule, `缺少事项 ${missing} 的结果：每个事项须有一条结果`, `no result for item ${missing}: every item of the visit needs one`);
  // Stored in the visit's item order, so the same results read the same however they were sent.
  return visit.items.map((it) => out.find((r) => r.itemId === it)!);
}

function decide(command: ResultCommand, state: ResultState): readonly ResultEvent[] | SuijiError {
  const { actor, now } = command.metadata;
  const today = shanghaiDate(Date.parse(now));
  const visit = command.data.visit;
  switch (command.type) {
    case 'SubmitResults': {
      const d = command.data;
      // E1/A3: the leader submits with their own token; nobody submits for them.
      if (visit.leader === null || actor.userId !== visit.leader || actor.role === 'auditor' || actor.role === 'system') {
        return forbidden('E1', `结果须由检查组组长${visit.leader ? ` ${visit.leader}` : ''}本人提交`, `results are submitted by the group leader${visit.leader ? ` ${visit.leader}` : ''} with their own token`, 'authorization');
      }
      if (!d.recordClosed) return ruleViolation('E4', `检查 ${visit.visitId} 的现场检查记录尚未由组长关闭`, `the on-site record of visit ${visit.visitId} is not closed by the leader yet`, { field: '/visitId', reason: 'RECORD_OPEN' });
      if (state.exists && state.status !== 'returned') {
        return ruleViolation('E5', state.status === 'approved' ? '结果已审核通过，只能更正（E6）' : '结果已提交，等待审核', state.status === 'approved' ? 'the results are approved; only a correction (E6) changes them' : 'the results are submitted and await review', { field: '/visitId', reason: state.status === 'approved' ? 'RESULTS_APPROVED' : 'RESULTS_SUBMITTED' });
      }
      const results = checkResults(visit, d.catalogue, d.results, 'E5');
      if (results instanceof SuijiError) return results;
      return [{ type: 'ResultsSubmitted', payload: { visitId: visit.visitId, uscc: visit.uscc, executingUnit: visit.executingUnit, round: state.exists ? state.round + 1 : 1, results, submittedBy: actor.userId } }];
    }
    case 'RecordOutcome': {
      const d = command.data;
      if (visit.leader === null || actor.userId !== visit.leader || actor.role === 'auditor' || actor.role === 'system') {
        return forbidden('E1', `未检查情形须由检查组组长${visit.leader ? ` ${visit.leader}` : ''}本人记录`, `a not-inspected outcome is recorded by the group leader${visit.leader ? ` ${visit.leader}` : ''} with their own token`, 'authorization');
      }
      if (state.exists && state.status !== 'returned') {
        return ruleViolation('E8', state.status === 'approved' ? '结果已审核通过，只能更正（E6）' : '结果已提交，等待审核', state.status === 'approved' ? 'the results are approved; only a correction (E6) changes them' : 'the results are submitted and await review', { field: '/visitId', reason: state.status === 'approved' ? 'RESULTS_APPROVED' : 'RESULTS_SUBMITTED' });
      }
      if (d.evidence !== undefined && !d.evidenceExists) return notFound('/evidence', 'evidence', `证据库中没有该文件：${d.evidence}`, `no evidence file with this hash: ${d.evidence}`);
      const map = e8OutcomeCategory[d.outcome];
      const results = checkResults(visit, d.catalogue, visit.items.map((itemId) => ({ itemId, ...map })), 'E8');
      if (results instanceof SuijiError) return results;
      return [{
        type: 'VisitOutcomeRecorded',
        payload: { visitId: visit.visitId, uscc: visit.uscc, executingUnit: visit.executingUnit, round: state.exists ? state.round + 1 : 1, outcome: d.outcome, basis: d.basis, evidence: d.evidence ?? null, results, recordedBy: actor.userId },
      }];
    }
    case 'ReviewResults': {
      const d = command.data;
      const denied = principalOf(visit, actor, 'P2');
      if (denied) return denied;
      if (!state.exists || state.status !== 'submitted') {
        return ruleViolation('P2', '没有待审核的结果', 'no results await review', { field: '/visitId', reason: state.exists ? (state.status === 'approved' ? 'RESULTS_APPROVED' : 'RESULTS_RETURNED') : 'NO_RESULTS' });
      }
      if (d.decision === 'return') {
        if (d.reason === undefined) return invalid('/reason', 'P2', '退回须说明理由', 'a return needs the reason');
        if (d.exemption !== undefined) return invalid('/exemption', 'E5', '退回时不得决定不予公开', 'an exemption goes with an approval, not a return');
        return [{ type: 'ResultsReturned', payload: { visitId: visit.visitId, round: state.round, reason: d.reason, returnedBy: actor.userId } }];
      }
      const exemption = d.exemption ? { reason: d.exemption.reason, basis: d.exemption.basis } : null;
      return [{ type: 'ResultsApproved', payload: { visitId: visit.visitId, round: state.round, approvedBy: actor.userId, on: today, exemption, noticeId: exemption ? null : resultNoticeId(visit.visitId) } }];
    }
    case 'CorrectResults': {
      const d = command.data;
      const denied = principalOf(visit, actor, 'E6');
      if (denied) return denied;
      if (!state.exists || !state.approval) return ruleViolation('E6', '结果尚未审核通过，无需更正', 'the results are not approved: there is nothing to correct', { field: '/visitId', reason: 'NOT_APPROVED' });
      if (d.objection !== undefined) {
        const o = state.objections.find((x) => x.objection === d.objection);
        if (!o) return notFound('/objection', 'objection', `未找到异议：${d.objection}`, `objection not found: ${d.objection}`);
        if (o.decision?.outcome !== 'resultWrong') return ruleViolation('E7', `异议 ${d.objection} 的复核未认定结果有误`, `the re-check of objection ${d.objection} did not find the result wrong`, { field: '/objection', reason: 'NOT_FOUND_WRONG' });
        if (o.correction !== null) return ruleViolation('E7', `异议 ${d.objection} 已更正`, `objection ${d.objection} was already answered by a correction`, { field: '/objection', reason: 'ALREADY_CORRECTED' });
      }
      const results = checkResults(visit, d.catalogue, d.results, 'E6');
      if (results instanceof SuijiError) return results;
      const n = state.corrections.length + 1;
      return [{
        type: 'ResultCorrected',
        payload: {
          visitId: visit.visitId, correction: n, corrects: { noticeId: state.approval.noticeId, round: state.round }, objection: d.objection ?? null, reason: d.reason, results,
          correctedBy: actor.userId, on: today, noticeId: state.approval.noticeId ? correctionNoticeId(visit.visitId, n) : null,
        },
      }];
    }
    case 'ReceiveObjection': {
      const d = command.data;
      if (d.channel === 'staff') {
        const denied = staffOf(visit, actor);
        if (denied) return denied;
      }
      if (d.uscc !== visit.uscc) return invalid('/uscc', 'E7', '统一社会信用代码与检查对象不符', 'the credit code is not the visit target\'s');
      if (!state.exists || !state.approval) return ruleViolation('E7', '该检查尚无已公示的结果', 'the visit has no approved result yet', { field: '/visitId', reason: 'NOT_APPROVED' });
      const receivedOn = d.channel === 'staff' && d.receivedOn !== undefined ? d.receivedOn : today;
      if (receivedOn > today) return invalid('/receivedOn', 'E7', '收到日期不得晚于今天', 'the day of receipt cannot be after today');
      if (receivedOn < state.approval.on) return invalid('/receivedOn', 'E7', '收到日期不得早于结果审核通过之日', 'the day of receipt cannot be before the result was approved');
      // One undecided public objection at a time: a flood from the public site cannot bury the unit.
      if (d.channel === 'public' && state.objections.some((o) => o.channel === 'public' && o.decision === null)) {
        return ruleViolation('E7', '已有一件网上提出的异议正在复核', 'an objection filed on the public site is already being re-checked', { field: '/visitId', reason: 'OBJECTION_PENDING' });
      }
      return [{
        type: 'ObjectionReceived',
        payload: { visitId: visit.visitId, objection: state.objections.length + 1, channel: d.channel, uscc: d.uscc, contact: d.contact, statement: d.statement, receivedOn, receivedBy: d.channel === 'staff' ? actor.userId : null },
      }];
    }
    case 'DecideObjection': {
      const d = command.data;
      const denied = principalOf(visit, actor, 'E7');
      if (denied) return denied;
      const o = state.exists ? state.objections.find((x) => x.objection === d.objection) : undefined;
      if (!o) return notFound('/objection', 'objection', `未找到异议：${d.objection}`, `objection not found: ${d.objection}`);
      if (o.decision) return ruleViolation('E7', `异议 ${d.objection} 已作出复核决定`, `objection ${d.objection} already has its re-check decision`, { field: '/objection', reason: 'ALREADY_DECIDED' });
      return [{ type: 'ObjectionDecided', payload: { visitId: visit.visitId, objection: d.objection, outcome: d.outcome, reason: d.reason, decidedBy: actor.userId, on: today } }];
    }
    case 'GiveObjectionFeedback': {
      const d = command.data;
      const denied = staffOf(visit, actor);
      if (denied) return denied;
      const o = state.exists ? state.objections.find((x) => x.objection === d.objection) : undefined;
      if (!o) return notFound('/objection', 'objection', `未找到异议：${d.objection}`, `objection not found: ${d.objection}`);
      if (!o.decision) return ruleViolation('E7', `异议 ${d.objection} 尚未作出复核决定`, `objection ${d.objection} has no re-check decision yet`, { field: '/objection', reason: 'NOT_DECIDED' });
      if (o.decision.outcome === 'resultWrong' && o.correction === null) return ruleViolation('E7', `异议 ${d.objection} 认定结果有误，须先更正再反馈`, `objection ${d.objection} found the result wrong: correct it before the feedback`, { field: '/objection', reason: 'CORRECTION_PENDING' });
      if (o.feedback) return ruleViolation('E7', `异议 ${d.objection} 已反馈`, `objection ${d.objection} already has its feedback`, { field: '/objection', reason: 'ALREADY_ANSWERED' });
      return [{ type: 'ObjectionFeedbackGiven', payload: { visitId: visit.visitId, objection: d.objection, feedback: d.feedback, givenBy: actor.userId, on: today } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const resultDecider: Decider<ResultCommand, ResultEvent, ResultState> = { initialState: initialResultState, decide, evolve: evolveResult };
