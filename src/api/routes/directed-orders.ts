import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { CommandMetadata } from '../../domain/decider.js';
import { idSchema } from '../../domain/registers/schemas.js';
import { DirectedOrderService, directedOrderViewSchema, recordDirectedOrderSchema } from '../../app/draws/orders.js';
import { actorOf } from '../auth.js';
import type { AppDeps } from '../deps.js';

const params = { type: 'object', required: ['orderId'], additionalProperties: false, properties: { orderId: idSchema } } as const;
const headers = { type: 'object', properties: { 'idempotency-key': { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' } } } as const;
const tags = ['directed orders 专项整治/上级指令'];

/**
 * PL5: directed special orders. An operator records the order (source document, issuing
 * authority, the entities it names); a principal of the department approves it; a target draw
 * cites it by id (`directedOrder`). Reading an order needs a token: its scope may name entities
 * before they are inspected.
 */
export const directedOrderRoutes = (deps: AppDeps, clock: () => Date = () => new Date()): FastifyPluginAsync => async (app) => {
  const service = new DirectedOrderService(deps.store);
  const metadata = (request: FastifyRequest): CommandMetadata => {
    const actor = actorOf(request);
    const key = request.headers['idempotency-key'];
    return { actor, now: clock().toISOString(), commandId: typeof key === 'string' ? `idem:${actor.userId}:${key}` : randomUUID() };
  };
  const r = app.withTypeProvider<JsonSchemaToTsProvider>();
  r.post('/directed-orders', { schema: { summary: 'PL5 record a directed special order 登记专项整治/上级指令', tags, headers, body: recordDirectedOrderSchema, response: { 201: directedOrderViewSchema } } }, async (request, reply) => {
    const orderId = await service.record(metadata(request), request.body);
    return reply.status(201).send(await service.get(orderId));
  });
  r.post('/directed-orders/:orderId/approval', { schema: { summary: 'PL5 a principal approves the order 负责人审批指令', tags, headers, params, response: { 200: directedOrderViewSchema } } }, async (request) =>
    service.approve(metadata(request), request.params.orderId),
  );
  r.get('/directed-orders/:orderId', { schema: { summary: 'PL5 one directed order 指令详情', tags, params, response: { 200: directedOrderViewSchema } } }, async (request) => {
    actorOf(request);
    return service.get(request.params.orderId);
  });
};
