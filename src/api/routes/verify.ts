import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { verifyRecord } from '../../app/draws/service.js';

/** The verdict of docs/lottery-spec.md §9: ok, or the first difference with its code and JSON path. */
export const verdictSchema = {
  type: 'object',
  required: ['ok'],
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    code: { type: 'string' },
    path: { type: 'string' },
    message: { type: 'string' },
    expected: {},
    actual: {},
  },
} as const;

/**
 * POST /verify: anyone posts a public draw record and gets the same verdict as
 * `suiji draw verify FILE` (V4) — the lottery-core's, computed from the record alone.
 */
export const verifyRoutes = (): FastifyPluginAsync => async (app) => {
  app.withTypeProvider<JsonSchemaToTsProvider>().post(
    '/verify',
    { schema: { summary: 'V4 replay any draw record, public 复核任意摇号记录', tags: ['draws'], security: [], body: { type: 'object' }, response: { 200: verdictSchema } } },
    async (request) => verifyRecord(request.body),
  );
};
