/**
 * E8 transfer decisions, pure. The visit's facts (its executing unit, whether its on-site record
 * is closed or results exist) and the new unit's inspectors arrive in the command's data.
 */
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import { evolveTransfer, initialTransferState, type TransferEvent, type TransferState } from './events.js';

export interface TransferVisitFacts {
  readonly visitId: string;
  readonly uscc: string;
  /** The unit executing the visit now. */
  readonly executingUnit: string;
  /** The on-site record is closed or results were submitted: the visit was executed where it was. */
  readonly executed: boolean;
}

export type ProposeTransfer = Command<'ProposeTransfer', { readonly visit: TransferVisitFacts; readonly toUnit: string; readonly toUnitExists: boolean; readonly reason: string }>;
export type AcceptTransfer = Command<'AcceptTransfer', {
  readonly visit: TransferVisitFacts;
  readonly leader: string;
  readonly members: readonly string[];
  /** The accepting unit's active inspectors (E1: the group is the new unit's own). */
  readonly inspectorsOfToUnit: readonly string[];
}>;
export type TransferCommand = ProposeTransfer | AcceptTransfer;

const forbidden = (zh: string, en: string): SuijiError => new SuijiError('FORBIDDEN', { rule: 'E8', field: 'authorization' }, { zh: `E8：${zh}`, en: `E8: ${en}` });
const invalid = (field: string, zh: string, en: string): SuijiError => new SuijiError('VALIDATION_FAILED', { field, rule: 'E8' }, { zh: `E8：${zh}`, en: `E8: ${en}` });

function decide(command: TransferCommand, state: TransferState): readonly TransferEvent[] | SuijiError {
  const { actor } = command.metadata;
  const visit = command.data.visit;
  switch (command.type) {
    case 'ProposeTransfer': {
      const d = command.data;
      if ((actor.role !== 'operator' && actor.role !== 'principal') || actor.department !== visit.executingUnit) {
        return forbidden(`移交须由执行单位 ${visit.executingUnit} 的工作人员提出`, `a transfer is proposed by staff of the executing unit ${visit.executingUnit}`);
      }
      if (state.status !== 'none') return ruleViolation('E8', '该检查已提出移交', 'a transfer of this visit was already proposed', { field: '/visitId', reason: state.status === 'accepted' ? 'TRANSFER_ACCEPTED' : 'TRANSFER_PENDING' });
      if (visit.executed) return ruleViolation('E8', '现场检查记录已关闭或结果已提交，不能移交', 'the on-site record is closed or results exist: the visit cannot be transferred', { field: '/visitId', reason: 'RECORD_CLOSED' });
      if (d.toUnit === visit.executingUnit) return invalid('/toUnit', '不能移交给本单位', 'a visit cannot be transferred to its own unit');
      if (!d.toUnitExists) return new SuijiError('NOT_FOUND', { field: '/toUnit', kind: 'department' }, { zh: `未找到部门：${d.toUnit}`, en: `department not found: ${d.toUnit}` });
      return [{ type: 'VisitTransferProposed', payload: { visitId: visit.visitId, uscc: visit.uscc, fromUnit: visit.executingUnit, toUnit: d.toUnit, reason: d.reason, proposedBy: actor.userId } }];
    }
    case 'AcceptTransfer': {
      const d = command.data;
      if (state.status === 'none') return ruleViolation('E8', '该检查没有待接收的移交', 'no transfer of this visit awaits acceptance', { field: '/visitId', reason: 'NO_TRANSFER' });
      if (actor.role !== 'principal' || actor.department !== state.toUnit) {
        return forbidden(`移交须由接收单位 ${state.toUnit} 的负责人以本人身份接收`, `a transfer is accepted by a principal of the receiving unit ${state.toUnit}, with their own token`);
      }
      if (state.status === 'accepted') return ruleViolation('E8', '移交已接收', 'the transfer was already accepted', { field: '/visitId', reason: 'TRANSFER_ACCEPTED' });
      if (visit.executed) return ruleViolation('E8', '现场检查记录已关闭或结果已提交，不能移交', 'the on-site record is closed or results exist: the visit cannot be transferred', { field: '/visitId', reason: 'RECORD_CLOSED' });
      const members = [...new Set(d.members)];
      if (members.length < 2) return invalid('/members', '检查组至少两名检查人员', 'the group needs at least two inspectors');
      if (!members.includes(d.leader)) return invalid('/leader', '组长须是检查组成员', 'the leader must be a member of the group');
      const stranger = members.findIndex((m) => !d.inspectorsOfToUnit.includes(m));
      if (stranger >= 0) return invalid(`/members/${stranger}`, `${members[stranger]} 不是接收单位 ${state.toUnit} 的在册检查人员`, `${members[stranger]} is not an inspector on the register of the receiving unit ${state.toUnit}`);
      return [{ type: 'VisitTransferAccepted', payload: { visitId: visit.visitId, fromUnit: state.fromUnit, toUnit: state.toUnit, leader: d.leader, members, acceptedBy: actor.userId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const transferDecider: Decider<TransferCommand, TransferEvent, TransferState> = { initialState: initialTransferState, decide, evolve: evolveTransfer };
