/**
 * E9 follow-up decisions, pure. The linked result (its category per item as last published,
 * corrections applied) arrives in the command's data, read by src/app/followups.
 */
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import { shanghaiDate } from '../calendar/date.js';
import {
  evolveFollowUp, followUpId, followUpKindLabels, initialFollowUpState, problemCategories, type FollowUpEvent, type FollowUpKind, type FollowUpState,
} from './events.js';

export interface PublishedResultFacts {
  readonly visitId: string;
  readonly executingUnit: string;
  /** Approved (published or exempt); false while the result is not approved. */
  readonly approved: boolean;
  /** The item's category as it stands now (the latest correction, else the approved round). */
  readonly categories: Readonly<Record<string, string>>;
}

export type OpenFollowUp = Command<'OpenFollowUp', { readonly result: PublishedResultFacts; readonly itemId: string; readonly kind: FollowUpKind; readonly handledBy?: string; readonly caseNumber?: string; readonly note?: string }>;
export type UpdateFollowUp = Command<'UpdateFollowUp', { readonly status: string; readonly note: string }>;
export type CloseFollowUp = Command<'CloseFollowUp', { readonly outcome: string }>;
export type FollowUpCommand = OpenFollowUp | UpdateFollowUp | CloseFollowUp;

const invalid = (field: string, zh: string, en: string): SuijiError => new SuijiError('VALIDATION_FAILED', { field, rule: 'E9' }, { zh: `E9：${zh}`, en: `E9: ${en}` });
/** E9: staff (operator or principal) of the executing unit handle its follow-ups. */
function staffOf(unit: string, actor: { role: string; department: string }): SuijiError | null {
  if ((actor.role === 'operator' || actor.role === 'principal') && actor.department === unit) return null;
  return new SuijiError('FORBIDDEN', { rule: 'E9', field: 'authorization' }, { zh: `E9：后续处置须由执行单位 ${unit} 的工作人员办理`, en: `E9: follow-ups are handled by staff of the executing unit ${unit}` });
}

function decide(command: FollowUpCommand, state: FollowUpState): readonly FollowUpEvent[] | SuijiError {
  const { actor, now } = command.metadata;
  const on = shanghaiDate(Date.parse(now));
  switch (command.type) {
    case 'OpenFollowUp': {
      const d = command.data;
      const denied = staffOf(d.result.executingUnit, actor);
      if (denied) return denied;
      if (!d.result.approved) return ruleViolation('E9', '该检查的结果尚未审核公示', 'the visit has no approved result yet', { field: '/visitId', reason: 'NOT_APPROVED' });
      const category = d.result.categories[d.itemId];
      if (category === undefined) return invalid('/itemId', `事项 ${d.itemId} 不属于该检查`, `item ${d.itemId} is not an item of the visit`);
      if (!(problemCategories as readonly string[]).includes(category)) {
        return ruleViolation('E9', `事项 ${d.itemId} 的结果未显示问题，无需后续处置`, `the result of item ${d.itemId} shows no problem: there is nothing to follow up`, { field: '/itemId', reason: 'NO_PROBLEM' });
      }
      if (d.kind === 'caseFiling' && d.caseNumber === undefined) return invalid('/caseNumber', '立案须填写案件编号', 'a case filing needs its case number');
      if (d.kind !== 'caseFiling' && d.caseNumber !== undefined) return invalid('/caseNumber', '只有立案填写案件编号', 'only a case filing takes a case number');
      if ((d.kind === 'handover' || d.kind === 'judicialReferral') && d.handledBy === undefined) return invalid('/handledBy', `${followUpKindLabels[d.kind]}须写明接收单位`, `a ${d.kind} names the receiving unit or authority`);
      if (state.exists) return ruleViolation('E9', '该事项已有同类后续处置', 'this item already has a follow-up of this kind', { field: '/kind', reason: 'FOLLOW_UP_EXISTS' });
      return [{
        type: 'FollowUpOpened',
        payload: {
          followUpId: followUpId(d.result.visitId, d.itemId, d.kind), visitId: d.result.visitId, itemId: d.itemId, kind: d.kind, executingUnit: d.result.executingUnit,
          resultCategory: category, handledBy: d.handledBy ?? null, caseNumber: d.caseNumber ?? null, note: d.note ?? null, openedBy: actor.userId, on,
        },
      }];
    }
    case 'UpdateFollowUp':
    case 'CloseFollowUp': {
      if (!state.exists) return new SuijiError('NOT_FOUND', { field: '/followUpId', kind: 'followUp' }, { zh: '未找到后续处置', en: 'follow-up not found' });
      const denied = staffOf(state.executingUnit, actor);
      if (denied) return denied;
      if (state.closed) return ruleViolation('E9', '后续处置已办结', 'the follow-up is closed', { field: '/followUpId', reason: 'FOLLOW_UP_CLOSED' });
      if (command.type === 'UpdateFollowUp') {
        if (command.data.status === 'open' || command.data.status === 'closed') return invalid('/status', '状态“open/closed”由开启和办结记录', 'open and closed are set by opening and closing');
        return [{ type: 'FollowUpUpdated', payload: { followUpId: state.followUpId, status: command.data.status, note: command.data.note, updatedBy: actor.userId, on } }];
      }
      return [{ type: 'FollowUpClosed', payload: { followUpId: state.followUpId, outcome: command.data.outcome, closedBy: actor.userId, on } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const followUpDecider: Decider<FollowUpCommand, FollowUpEvent, FollowUpState> = { initialState: initialFollowUpState, decide, evolve: evolveFollowUp };
