import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { AppDeps } from '../deps.js';

const healthResponse = {
  type: 'object',
  required: ['status', 'store', 'ledger', 'projections'],
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    store: { type: 'string', enum: ['reachable', 'unreachable'] },
    ledger: {
      type: 'object',
      required: ['size', 'root'],
      additionalProperties: false,
      properties: { size: { type: 'integer' }, root: { type: 'string' } },
    },
    projections: {
      type: 'object',
      required: ['lag'],
      additionalProperties: false,
      properties: { lag: { type: 'integer' } },
    },
  },
} as const;

/** GET /health: store reachable, ledger size and Merkle root, projection lag. Public. */
export const healthRoutes = (deps: AppDeps): FastifyPluginAsync => async (app) => {
  app.withTypeProvider<JsonSchemaToTsProvider>().get(
    '/health',
    { schema: { summary: 'store, ledger size and Merkle root, projection lag 系统状态', tags: ['health'], security: [], response: { 200: healthResponse, 503: healthResponse } } },
    async (_request, reply) => {
      try {
        const head = await deps.store.head();
        const lag = await deps.projections.lag();
        return { status: 'ok' as const, store: 'reachable' as const, ledger: head, projections: { lag } };
      } catch {
        return reply.status(503).send({ status: 'degraded', store: 'unreachable', ledger: { size: 0, root: '' }, projections: { lag: 0 } });
      }
    },
  );
};
