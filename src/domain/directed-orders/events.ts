/**
 * Directed special orders (专项整治/上级指令, PL5 exemption): a directed special inspection is
 * not a flag on a draw request but a recorded order — its source document, the issuing
 * authority and the entities it names — approved by a principal of the department. A draw may
 * cite an approved order; the entities it names are then exempt from the yearly cap, and the
 * draw's counting cites the approval's ledger position (issue 7 §5).
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';
import { dateSchema, idSchema, reasonSchema, textSchema, usccSchema } from '../registers/schemas.js';

export const directedOrderSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'documentNumber', 'issuingAuthority', 'issuedOn', 'scope', 'reason'],
  properties: {
    orderId: idSchema,
    /** The source document's number (文号), e.g. 鲁市监函〔2026〕12号. */
    documentNumber: textSchema,
    /** The higher authority that issued it (下达机关). */
    issuingAuthority: textSchema,
    issuedOn: dateSchema,
    /** The entities the order names: only these are exempt from the cap. */
    scope: { type: 'array', minItems: 1, maxItems: 10000, uniqueItems: true, items: usccSchema },
    reason: reasonSchema,
  },
} as const;

export const DirectedOrderRecorded = defineEvent('DirectedOrderRecorded', 1, {
  ...directedOrderSchema,
  required: [...directedOrderSchema.required, 'department', 'recordedBy'],
  properties: {
    ...directedOrderSchema.properties,
    /** The recording department: it owns the order (G3). */
    department: idSchema,
    /** Who recorded it: the approver must be someone else (four eyes). */
    recordedBy: idSchema,
  },
} as const);

export const DirectedOrderApproved = defineEvent('DirectedOrderApproved', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'approvedBy'],
  properties: { orderId: idSchema, approvedBy: idSchema },
} as const);

export const directedOrderEventDefinitions = [DirectedOrderRecorded, DirectedOrderApproved] as const;
export type DirectedOrderEvent = DomainEvent<(typeof directedOrderEventDefinitions)[number]>;
export type DirectedOrder = PayloadOf<typeof DirectedOrderRecorded>;

export type DirectedOrderState =
  | { readonly exists: false }
  | { readonly exists: true; readonly order: DirectedOrder; readonly approvedBy: string | null };
export const initialDirectedOrderState: DirectedOrderState = { exists: false };

export const directedOrderStreamId = (orderId: string): string => `directedOrder-${orderId}`;

export function evolveDirectedOrder(state: DirectedOrderState, event: DirectedOrderEvent): DirectedOrderState {
  switch (event.type) {
    case 'DirectedOrderRecorded':
      return { exists: true, order: event.payload, approvedBy: null };
    case 'DirectedOrderApproved':
      return state.exists ? { ...state, approvedBy: event.payload.approvedBy } : state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
