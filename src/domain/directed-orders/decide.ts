/** Recording and approving a directed special order (PL5, G3): pure, time and actor from the metadata. */
import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../decider.js';
import { SuijiError, ruleViolation } from '../errors.js';
import {
  evolveDirectedOrder, initialDirectedOrderState, type DirectedOrderEvent, type DirectedOrderState, type directedOrderSchema,
} from './events.js';

export type RecordDirectedOrder = Command<'RecordDirectedOrder', FromSchema<typeof directedOrderSchema>>;
export type ApproveDirectedOrder = Command<'ApproveDirectedOrder', { readonly orderId: string }>;
export type DirectedOrderCommand = RecordDirectedOrder | ApproveDirectedOrder;

const recorders = new Set(['operator', 'principal', 'admin', 'system']);
/** A principal approves for the department (PL5: "approved by a principal"); admin and system act for every department. */
const approvers = new Set(['principal', 'admin', 'system']);

const forbidden = (action: string, zh: string, en: string): SuijiError =>
  new SuijiError('FORBIDDEN', { rule: 'PL5', action }, { zh: `PL5：${zh}`, en: `PL5: ${en}` });

export function decideDirectedOrder(command: DirectedOrderCommand, state: DirectedOrderState): readonly DirectedOrderEvent[] | SuijiError {
  const actor = command.metadata.actor;
  switch (command.type) {
    case 'RecordDirectedOrder': {
      if (!recorders.has(actor.role)) return forbidden('directedOrder.record', '无权登记专项整治/上级指令', 'not allowed to record a directed special order');
      if (state.exists) {
        return new SuijiError('ALREADY_EXISTS', { field: '/orderId', orderId: command.data.orderId }, {
          zh: `指令编号 ${command.data.orderId} 已存在`,
          en: `order ${command.data.orderId} already exists`,
        });
      }
      return [{ type: 'DirectedOrderRecorded', payload: { ...command.data, scope: [...command.data.scope].sort(), department: actor.department, recordedBy: actor.userId } }];
    }
    case 'ApproveDirectedOrder': {
      if (!approvers.has(actor.role)) return forbidden('directedOrder.approve', '指令须由部门负责人审批', 'an order is approved by a principal of the department');
      if (!state.exists) {
        return new SuijiError('NOT_FOUND', { field: '/orderId', kind: 'directedOrder', orderId: command.data.orderId }, {
          zh: `未找到指令：${command.data.orderId}`,
          en: `directed order not found: ${command.data.orderId}`,
        });
      }
      if (actor.role === 'principal' && actor.department !== state.order.department) {
        return forbidden('directedOrder.approve', '只能审批本部门的指令', 'a principal approves only the department\'s own orders');
      }
      if (actor.userId === state.order.recordedBy) {
        return ruleViolation('PL5', '登记人不能审批自己登记的指令', 'the user who recorded an order cannot approve it', { field: '/orderId', reason: 'SELF_APPROVAL' });
      }
      if (state.approvedBy !== null) return [];
      return [{ type: 'DirectedOrderApproved', payload: { orderId: command.data.orderId, approvedBy: actor.userId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const directedOrderDecider: Decider<DirectedOrderCommand, DirectedOrderEvent, DirectedOrderState> = {
  initialState: initialDirectedOrderState,
  decide: decideDirectedOrder,
  evolve: evolveDirectedOrder,
};
