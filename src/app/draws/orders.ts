/**
 * Directed special orders as a use case (PL5): record, approve, read. Shared by the HTTP routes
 * and anything else that acts on orders, so all act identically.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { CommandMetadata } from '../../domain/decider.js';
import { SuijiError } from '../../domain/errors.js';
import { directedOrderDecider, directedOrderSchema, directedOrderStreamId, type DirectedOrder } from '../../domain/directed-orders/index.js';
import { foldStream, handleCommand } from '../../store/handle-command.js';
import type { EventStore } from '../../store/port.js';

export const recordDirectedOrderSchema = directedOrderSchema;
export type RecordDirectedOrderRequest = FromSchema<typeof recordDirectedOrderSchema>;

export const directedOrderViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'documentNumber', 'issuingAuthority', 'issuedOn', 'scope', 'reason', 'department', 'recordedBy', 'approvedBy', 'approvedAt'],
  properties: {
    ...directedOrderSchema.properties,
    department: { type: 'string' },
    recordedBy: { type: 'string' },
    approvedBy: { type: ['string', 'null'] },
    /** PL5: the ledger position of the approval, which a draw's counting cites. */
    approvedAt: { type: ['string', 'null'] },
  },
} as const;
export type DirectedOrderView = DirectedOrder & { approvedBy: string | null; approvedAt: string | null };

export class DirectedOrderService {
  constructor(private readonly store: EventStore) {}

  async record(meta: CommandMetadata, req: RecordDirectedOrderRequest): Promise<string> {
    const streamId = directedOrderStreamId(req.orderId);
    const prior = (await this.store.readStream(streamId)).some((e) => e.correlationId === meta.commandId);
    if (!prior) await handleCommand(this.store, { streamId, decider: directedOrderDecider, command: { type: 'RecordDirectedOrder', data: req, metadata: meta } });
    return req.orderId;
  }

  async approve(meta: CommandMetadata, orderId: string): Promise<DirectedOrderView> {
    await handleCommand(this.store, { streamId: directedOrderStreamId(orderId), decider: directedOrderDecider, command: { type: 'ApproveDirectedOrder', data: { orderId }, metadata: meta } });
    return this.get(orderId);
  }

  async get(orderId: string): Promise<DirectedOrderView> {
    const recorded = await this.store.readStream(directedOrderStreamId(orderId));
    const s = foldStream(directedOrderDecider, recorded);
    if (!s.exists) throw new SuijiError('NOT_FOUND', { field: '/orderId', kind: 'directedOrder', orderId }, { zh: `未找到指令：${orderId}`, en: `directed order not found: ${orderId}` });
    const approval = recorded.find((e) => e.type === 'DirectedOrderApproved');
    return { ...s.order, scope: [...s.order.scope], approvedBy: s.approvedBy, approvedAt: approval ? String(approval.position) : null };
  }
}
