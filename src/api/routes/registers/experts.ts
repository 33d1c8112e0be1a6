import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import {
  changeExpertStatusSchema,
  idSchema,
  expertConflictSchema,
  registerExpertSchema,
  updateExpertSchema,
  usccSchema,
} from '../../../domain/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { execute, idempotencyHeaders, requireAction, writeResponses } from './common.js';
import { omitProperties } from './schema-tools.js';

export const expertParams = { type: 'object', additionalProperties: false, required: ['expertId'], properties: { expertId: idSchema } } as const;
const conflictParams = {
  type: 'object',
  additionalProperties: false,
  required: ['expertId', 'uscc'],
  properties: { expertId: idSchema, uscc: usccSchema },
} as const;

const tags = ['experts 专家库'];

/** L5: the expert register (专家库), kept by a department (L4); T10 applies to experts too (回避). */
export const expertWriteRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const onRequest = requireAction('expert.write');
    const headers = idempotencyHeaders;

    app.post('/experts', { onRequest, schema: { tags, summary: 'L5 register an expert 登记专家', headers, body: registerExpertSchema, response: writeResponses } }, async (request, reply) => {
      const r = await execute(deps, request, (metadata) => ({ type: 'RegisterExpert', data: request.body, metadata }), true);
      return reply.status(r.status).send(r.body);
    });

    app.patch(
      '/experts/:expertId',
      { onRequest, schema: { tags, summary: 'L5 change expertise, organisation, title, region 修改专家信息', headers, params: expertParams, body: omitProperties(updateExpertSchema, ['expertId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'UpdateExpert', data: { ...request.body, expertId: request.params.expertId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/experts/:expertId/status',
      { onRequest, schema: { tags, summary: 'L5 change status 变更专家状态', headers, params: expertParams, body: omitProperties(changeExpertStatusSchema, ['expertId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'ChangeExpertStatus', data: { ...request.body, expertId: request.params.expertId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/experts/:expertId/conflicts',
      { onRequest, schema: { tags, summary: 'T10 declare a conflict of interest 申报利害关系（回避）', headers, params: expertParams, body: omitProperties(expertConflictSchema, ['expertId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'DeclareExpertConflict', data: { ...request.body, expertId: request.params.expertId }, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/experts/:expertId/conflicts/:uscc/withdrawal',
      {
        onRequest,
        schema: { tags, summary: 'T10 withdraw a declared conflict 撤回利害关系申报', headers, params: conflictParams, body: omitProperties(expertConflictSchema, ['expertId', 'uscc']), response: writeResponses },
      },
      async (request, reply) => {
        const { expertId, uscc } = request.params;
        const r = await execute(deps, request, (metadata) => ({ type: 'WithdrawExpertConflict', data: { ...request.body, expertId, uscc }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );
  };
