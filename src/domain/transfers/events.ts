/**
 * E8 transfer (`transfer-<visitId>`): a target that moved (已迁出) is proposed by the executing
 * unit to the new jurisdiction's unit; the visit changes hands only when a principal of that unit
 * accepts with their own token, naming the group of its own inspectors that will execute it.
 */
import { defineEvent, type DomainEvent } from '../event-definition.js';
import { idSchema, reasonSchema, usccSchema } from '../registers/schemas.js';

const visitId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const userId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const members = { type: 'array', minItems: 2, maxItems: 50, items: userId } as const;

export const VisitTransferProposed = defineEvent('VisitTransferProposed', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'uscc', 'fromUnit', 'toUnit', 'reason', 'proposedBy'],
  properties: { visitId, uscc: usccSchema, fromUnit: idSchema, toUnit: idSchema, reason: reasonSchema, proposedBy: userId },
} as const);

export const VisitTransferAccepted = defineEvent('VisitTransferAccepted', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'fromUnit', 'toUnit', 'leader', 'members', 'acceptedBy'],
  properties: { visitId, fromUnit: idSchema, toUnit: idSchema, leader: userId, members, acceptedBy: userId },
} as const);

export const transferEventDefinitions = [VisitTransferProposed, VisitTransferAccepted] as const;
export type TransferEvent = DomainEvent<(typeof transferEventDefinitions)[number]>;
export const transferStreamId = (visitId: string): string => `transfer-${visitId}`;

export type TransferState =
  | { readonly status: 'none' }
  | { readonly status: 'proposed' | 'accepted'; readonly fromUnit: string; readonly toUnit: string; readonly reason: string; readonly proposedBy: string; readonly leader: string | null; readonly members: readonly string[]; readonly acceptedBy: string | null };
export const initialTransferState: TransferState = { status: 'none' };

export function evolveTransfer(state: TransferState, event: TransferEvent): TransferState {
  switch (event.type) {
    case 'VisitTransferProposed': {
      const p = event.payload;
      return { status: 'proposed', fromUnit: p.fromUnit, toUnit: p.toUnit, reason: p.reason, proposedBy: p.proposedBy, leader: null, members: [], acceptedBy: null };
    }
    case 'VisitTransferAccepted':
      return state.status === 'none' ? state : { ...state, status: 'accepted', leader: event.payload.leader, members: event.payload.members, acceptedBy: event.payload.acceptedBy };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
