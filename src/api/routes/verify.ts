import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { DrawService } from '../../app/draws/service.js';
import type { AppDeps } from '../deps.js';

import { verdictSchema } from '../../app/draws/verdict.js';

export { verdictSchema };

/**
 * POST /verify: anyone posts a public draw record and gets the same verdict as
 * `suiji draw verify FILE` — the lottery-core's replay, then the comparison with this ledger.
 */
export const verifyRoutes = (deps: AppDeps): FastifyPluginAsync => async (app) => {
  const service = new DrawService({ store: deps.store, projections: deps.projections });
  app.withTypeProvider<JsonSchemaToTsProvider>().post(
    '/verify',
    { schema: { summary: 'V4 replay any draw record and compare it with this ledger, public 复核任意摇号记录', tags: ['draws'], security: [], body: { type: 'object' }, response: { 200: verdictSchema } } },
    async (request) => service.verifyRecord(request.body),
  );
};
