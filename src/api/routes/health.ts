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
      required: ['lag', 'state'],
      additionalProperties: false,
      properties: {
        lag: { type: 'integer' },
        /** `rebuilding`: read models were ahead of the ledger or from another history (issue 7 §4). */
        state: { type: 'string', enum: ['current', 'rebuilding'] },
        reason: { type: 'string', enum: ['ahead-of-ledger', 'different-history', 'no-basis'] },
        detail: { type: 'string' },
      },
    },
  },
} as const;

/**
 * GET /health: store reachable, ledger size and Merkle root, projection lag. Public. 503 and
 * `degraded` while the store is unreachable or the read models are being rebuilt because
 * they did not match the ledger (the check runs here too, so a running server notices).
 */
export const healthRoutes = (deps: AppDeps): FastifyPluginAsync => async (app) => {
  app.withTypeProvider<JsonSchemaToTsProvider>().get(
    '/health',
    { schema: { summary: 'store, ledger size and Merkle root, projection lag 系统状态', tags: ['health'], security: [], response: { 200: healthResponse, 503: healthResponse } } },
    async (_request, reply) => {
      try {
        const head = await deps.store.head();
        const { status, lag } = await deps.projections.health();
        if (status.state === 'rebuilding') {
          const projections = { lag, state: status.state, reason: status.reason, detail: status.detail };
          return reply.status(503).send({ status: 'degraded', store: 'reachable', ledger: head, projections });
        }
        return { status: 'ok' as const, store: 'reachable' as const, ledger: head, projections: { lag, state: status.state } };
      } catch {
        return reply.status(503).send({ status: 'degraded', store: 'unreachable', ledger: { size: 0, root: '' }, projections: { lag: 0, state: 'current' } });
      }
    },
  );
};
