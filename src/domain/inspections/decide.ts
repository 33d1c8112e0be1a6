/**
 * Writing a visit's on-site record (E1, E4, A3): pure. The visit's group and the evidence that
 * exists arrive in the command's data, read by src/app/inspections; the actor, time and command
 * id in the metadata. A refusal writes nothing.
 *
 * Who writes: the token's user id must be a member of the visit's group. A group lists inspector
 * ids of the register, so an inspector acts with a user account whose userId is their inspector
 * id (docs/inspections.md). Neither an admin nor a principal outside the group writes here: the
 * record is the inspectors' own (A3).
 */
import type { Command, Decider } from '../decider.js';
import type { CombinedQuestion } from '../forms/index.js';
import { SuijiError, ruleViolation } from '../errors.js';
import {
  conformityAnswers, evolveInspection, initialInspectionState, presentSignatures, type InspectionEvent, type InspectionState, type OnSite, type PreCheck,
} from './events.js';

/** The visit as the read models know it; `group` null while it is not matched (T6). */
export interface VisitFacts {
  readonly visitId: string;
  readonly uscc: string;
  readonly items: readonly string[];
  readonly group: { readonly leader: string | null; readonly members: readonly string[] } | null;
}

type Body<T> = Omit<T, 'visitId'>;
export type RecordPreCheck = Command<'RecordPreCheck', { readonly visit: VisitFacts | null; readonly preCheck: Body<PreCheck> }>;
export type RecordOnSite = Command<'RecordOnSite', {
  readonly visit: VisitFacts | null;
  readonly onSite: Body<OnSite>;
  /** E10: the hashes of `onSite.evidence` that have an `EvidenceStored` event. */
  readonly stored: readonly string[];
  /** Of those, the ones stored as an image (`image/*` sniffed from the bytes): a photo (E4). */
  readonly photos: readonly string[];
  /** E2: the questions of the visit's combined form (chosen by hand, or automatic). */
  readonly questions: readonly CombinedQuestion[];
}>;
export type RecordTargetAnswer = Command<'RecordTargetAnswer', {
  readonly visit: VisitFacts | null;
  readonly answer: { readonly signed: { readonly name: string; readonly role: string } } | { readonly refused: { readonly witness: { readonly name: string; readonly idNote: string } } };
}>;
export type SignInspection = Command<'SignInspection', { readonly visit: VisitFacts | null }>;
export type CloseInspection = Command<'CloseInspection', { readonly visit: VisitFacts | null }>;
export type InspectionCommand = RecordPreCheck | RecordOnSite | RecordTargetAnswer | SignInspection | CloseInspection;

/** Signatures of present inspectors a record needs before it closes (E4: ≥ 2 on site). */
export const MIN_SIGNATURES = 2;

const invalid = (field: string, rule: string, zh: string, en: string, details: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule, ...details }, { zh: `${rule}：${zh}`, en: `${rule}: ${en}` });
const outOfOrder = (field: string, zh: string, en: string, reason: string): SuijiError => ruleViolation('E4', zh, en, { field, reason });

/** E1/A3: the visit exists, is matched, and the token's user is a member of its group. */
function memberCheck(visit: VisitFacts | null, userId: string): SuijiError | { visit: VisitFacts; group: NonNullable<VisitFacts['group']> } {
  if (visit === null) return new SuijiError('NOT_FOUND', { field: '/visitId', kind: 'visit' }, { zh: '未找到检查（上门）', en: 'visit not found' });
  if (visit.group === null) {
    return ruleViolation('E1', `检查 ${visit.visitId} 尚未匹配检查组，不能记录现场检查`, `visit ${visit.visitId} has no group yet; it takes no on-site record`, { field: '/visitId', reason: 'VISIT_NOT_MATCHED' });
  }
  if (!visit.group.members.includes(userId)) {
    return new SuijiError('FORBIDDEN', { field: '/visitId', rule: 'E1', userId }, {
      zh: `E1：${userId} 不是检查 ${visit.visitId} 检查组的成员，不能写入其现场检查记录`,
      en: `E1: ${userId} is not a member of the group of visit ${visit.visitId} and cannot write its on-site record`,
    });
  }
  return { visit, group: visit.group };
}

const answerOfKind = (kind: CombinedQuestion['answer'], answer: unknown): boolean =>
  kind === 'conformity' ? (conformityAnswers as readonly unknown[]).includes(answer) : kind === 'number' ? typeof answer === 'number' : typeof answer === 'string';

/**
 * E2/E4: a finding that names a question answers a question of the visit's form, in its kind, and
 * a photo-required question carries a photo of its own — unless the answer is 不适用 (chosen:
 * there is nothing to photograph for a question that does not apply).
 */
function checkAgainstForm(f: RecordOnSite['data']['onSite']['findings'][number], i: number, d: RecordOnSite['data']): SuijiError | null {
  const q = d.questions.find((x) => x.questionId === f.questionId);
  if (!q) return invalid(`/findings/${i}/questionId`, 'E2', `问题 ${f.questionId} 不在本检查的检查表上`, `question ${f.questionId} is not on the visit's form`, { questionId: f.questionId });
  if (!answerOfKind(q.answer, f.answer)) {
    const zh = { conformity: '符合 / 不符合 / 不适用', number: '数值', text: '文字' }[q.answer];
    return invalid(`/findings/${i}/answer`, 'E2', `问题 ${q.questionId} 的答案须为${zh}`, `question ${q.questionId} takes a ${q.answer} answer`, { expected: q.answer });
  }
  if (q.photoRequired && f.answer !== 'notApplicable' && !(f.evidence ?? []).some((h) => d.photos.includes(h))) {
    return invalid(`/findings/${i}/evidence`, 'E4', `问题 ${q.questionId} 须附照片证据`, `question ${q.questionId} requires a photo as evidence`, { questionId: q.questionId });
  }
  return null;
}

function checkOnSite(d: RecordOnSite['data'], visit: VisitFacts, members: readonly string[]): SuijiError | null {
  const o = d.onSite;
  for (const [i, p] of o.present.entries()) {
    if (!members.includes(p)) return invalid(`/present/${i}`, 'E4', `${p} 不是本检查检查组的成员`, `${p} is not a member of the visit's group`);
  }
  if (new Set(o.present).size < 2) return invalid('/present', 'E4', '现场检查须至少两名检查人员在场', 'an on-site inspection needs at least two inspectors present');
  for (const [i, f] of o.findings.entries()) {
    if (!visit.items.includes(f.itemId)) return invalid(`/findings/${i}/itemId`, 'E4', `事项 ${f.itemId} 不属于本检查`, `item ${f.itemId} is not an item of this visit`);
    // The combined form names a question `<itemId>/<qid>` (E2): a question of another item is refused.
    if (f.questionId !== undefined && !f.questionId.startsWith(`${f.itemId}/`)) {
      return invalid(`/findings/${i}/questionId`, 'E2', `问题 ${f.questionId} 不属于事项 ${f.itemId}`, `question ${f.questionId} is not a question of item ${f.itemId}`);
    }
    for (const [j, h] of (f.evidence ?? []).entries()) {
      if (!o.evidence.includes(h)) return invalid(`/findings/${i}/evidence/${j}`, 'E10', `证据 ${h} 未列入本记录的证据`, `evidence ${h} is not in the record's evidence list`);
    }
    if (f.questionId !== undefined) {
      const bad = checkAgainstForm(f, i, d);
      if (bad) return bad;
    }
  }
  for (const [i, h] of o.evidence.entries()) {
    if (!d.stored.includes(h)) return invalid(`/evidence/${i}`, 'E10', `证据 ${h} 未存入证据库（没有 EvidenceStored 事件）`, `evidence ${h} is not stored (no EvidenceStored event)`);
  }
  if (o.measures.includes('evidenceTaken') && o.evidence.length === 0) return invalid('/evidence', 'E10', '措施含“证据提取”，须列出证据文件', 'the measures say evidence was taken: list the evidence files');
  const r = o.rectification;
  if (r.status === 'ordered' && r.dueDate === undefined) return invalid('/rectification/dueDate', 'E4', '责令整改须写明整改期限', 'an order to rectify needs its due date');
  if (r.status !== 'ordered' && r.dueDate !== undefined) return invalid('/rectification/dueDate', 'E4', '只有责令整改才有整改期限', 'only an order to rectify has a due date');
  if (o.measures.includes('orderToRectify') !== (r.status === 'ordered')) {
    return invalid('/rectification/status', 'E4', '措施“责令整改”与整改状态“ordered”须一致', 'the measure orderToRectify and the rectification status ordered go together');
  }
  return null;
}

function decide(command: InspectionCommand, state: InspectionState): readonly InspectionEvent[] | SuijiError {
  const { actor } = command.metadata;
  const checked = memberCheck(command.data.visit, actor.userId);
  if (checked instanceof SuijiError) return checked;
  const { visit, group } = checked;
  const visitId = visit.visitId;
  if (state.status === 'closed') return ruleViolation('E1', `检查 ${visitId} 的现场检查记录已由组长关闭，不再更改`, `the on-site record of visit ${visitId} is closed by the leader and no longer changes`, { field: '/visitId', reason: 'RECORD_CLOSED' });
  switch (command.type) {
    case 'RecordPreCheck': {
      if (state.status !== 'notStarted') return outOfOrder('/visitId', '预查比对已记录', 'the pre-check is already recorded', 'PRE_CHECK_RECORDED');
      return [{ type: 'PreCheckRecorded', payload: { visitId, ...command.data.preCheck, consulted: [...command.data.preCheck.consulted] } }];
    }
    case 'RecordOnSite': {
      if (state.status === 'notStarted') return outOfOrder('/visitId', '须先记录预查比对', 'record the pre-check first', 'PRE_CHECK_MISSING');
      if (state.status !== 'preChecked') return outOfOrder('/visitId', '现场检查已记录', 'the on-site inspection is already recorded', 'ON_SITE_RECORDED');
      const bad = checkOnSite(command.data, visit, group.members);
      if (bad) return bad;
      const o = command.data.onSite;
      return [{ type: 'OnSiteRecorded', payload: { visitId, ...o, present: [...o.present], findings: o.findings.map((f) => (f.evidence ? { ...f, evidence: [...f.evidence] } : { ...f })), measures: [...o.measures], evidence: [...o.evidence] } }];
    }
    case 'RecordTargetAnswer': {
      if (state.status === 'notStarted' || state.status === 'preChecked') return outOfOrder('/visitId', '须先记录现场检查，检查对象才签字', 'record the on-site inspection before the target signs', 'ON_SITE_MISSING');
      if (state.status !== 'onSite') return outOfOrder('/visitId', '检查对象签字或拒签已记录', 'the target\'s signature or refusal is already recorded', 'TARGET_ANSWERED');
      const a = command.data.answer;
      return 'signed' in a
        ? [{ type: 'TargetSigned', payload: { visitId, name: a.signed.name, role: a.signed.role } }]
        : [{ type: 'TargetSignatureRefused', payload: { visitId, witness: { name: a.refused.witness.name, idNote: a.refused.witness.idNote } } }];
    }
    case 'SignInspection': {
      if (state.status !== 'targetAnswered') return outOfOrder('/visitId', '检查对象签字或拒签记录后，检查人员才签字', 'inspectors sign after the target\'s signature or refusal is recorded', 'TARGET_NOT_ANSWERED');
      // A3: the signature is the token's user's own; a repeat is a no-op, so it is counted once.
      if (state.signatures.includes(actor.userId)) return [];
      return [{ type: 'InspectorSigned', payload: { visitId, inspectorId: actor.userId } }];
    }
    case 'CloseInspection': {
      if (group.leader !== actor.userId) {
        return new SuijiError('FORBIDDEN', { field: '/visitId', rule: 'E1', userId: actor.userId }, { zh: 'E1：只有检查组组长可以关闭现场检查记录', en: 'E1: only the group\'s leader closes the on-site record' });
      }
      if (state.status !== 'targetAnswered') return outOfOrder('/visitId', '须先完成现场检查与检查对象签字（或拒签见证）', 'the on-site record and the target\'s signature (or witnessed refusal) come first', 'RECORD_INCOMPLETE');
      const signed = presentSignatures(state);
      if (signed.length < MIN_SIGNATURES) {
        return outOfOrder('/signatures', `须至少 ${MIN_SIGNATURES} 名在场检查人员签字，现有 ${signed.length} 名`, `at least ${MIN_SIGNATURES} present inspectors must sign; ${signed.length} did`, 'SIGNATURES_MISSING');
      }
      return [{ type: 'InspectionRecordClosed', payload: { visitId, uscc: visit.uscc, closedBy: actor.userId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const inspectionDecider: Decider<InspectionCommand, InspectionEvent, InspectionState> = { initialState: initialInspectionState, decide, evolve: evolveInspection };
