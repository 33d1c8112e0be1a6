import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import {
  admitTargetSchema,
  changeTargetStatusSchema,
  idSchema,
  registerTargetSchema,
  removeTargetSchema,
  specialRegisterDecider,
  specialRegisterStreamId,
  syncTargetSchema,
  transferTargetSchema,
  updateTargetSchema,
  usccSchema,
} from '../../../domain/registers/index.js';
import { foldStream } from '../../../store/handle-command.js';
import type { AppDeps } from '../../deps.js';
import { execute, idempotencyHeaders, notFound, requireAction, writeResponses } from './common.js';
import { omitProperties } from './schema-tools.js';

export const usccParams = { type: 'object', additionalProperties: false, required: ['uscc'], properties: { uscc: usccSchema } } as const;
const membershipParams = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'registerId'],
  properties: { uscc: usccSchema, registerId: idSchema },
} as const;

const tags = ['targets 检查对象名录库'];

/**
 * L4/L6 writes on the comprehensive register (综合主体名录库) and special-register membership.
 * The uscc's check character is verified by the decider (L6); jurisdiction by `authorize` (L4).
 */
export const targetWriteRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const onRequest = requireAction('target.write');
    const headers = idempotencyHeaders;

    app.post(
      '/targets',
      { onRequest, schema: { tags, summary: 'L4/L6 register a target 登记检查对象', headers, body: registerTargetSchema, response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'RegisterTarget', data: request.body, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.put(
      '/targets/:uscc',
      {
        onRequest,
        schema: { tags, summary: 'L4 register or bring up to date (upsert, as imports do) 同步检查对象', headers, params: usccParams, body: omitProperties(syncTargetSchema, ['uscc']), response: writeResponses },
      },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'SyncTarget', data: { ...request.body, uscc: request.params.uscc }, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.patch(
      '/targets/:uscc',
      { onRequest, schema: { tags, summary: 'L4 change attributes 修改检查对象信息', headers, params: usccParams, body: omitProperties(updateTargetSchema, ['uscc']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'UpdateTarget', data: { ...request.body, uscc: request.params.uscc }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/targets/:uscc/status',
      { onRequest, schema: { tags, summary: 'E8 change status 变更经营状态', headers, params: usccParams, body: omitProperties(changeTargetStatusSchema, ['uscc']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'ChangeTargetStatus', data: { ...request.body, uscc: request.params.uscc }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/targets/:uscc/transfer',
      { onRequest, schema: { tags, summary: 'E8 approved transfer to another jurisdiction 迁移管辖', headers, params: usccParams, body: omitProperties(transferTargetSchema, ['uscc']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'TransferTarget', data: { ...request.body, uscc: request.params.uscc }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/targets/:uscc/special-registers',
      {
        onRequest,
        schema: {
          tags,
          summary: 'L4 admit to a special register, checked against its current standard 纳入分类专项名录库',
          headers,
          params: usccParams,
          body: omitProperties(admitTargetSchema, ['uscc', 'standard']),
          response: writeResponses,
        },
      },
      async (request, reply) => {
        const { registerId } = request.body;
        // The standard is read from the special register's own stream, never from the client (L4).
        const register = foldStream(specialRegisterDecider, await deps.store.readStream(specialRegisterStreamId(registerId)));
        if (!register.exists) throw notFound('分类专项名录库 special register', registerId);
        const standard = { version: register.version, indicators: register.standard.indicators };
        const r = await execute(deps, request, (metadata) => ({ type: 'AdmitTargetToSpecialRegister', data: { uscc: request.params.uscc, registerId, standard }, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/targets/:uscc/special-registers/:registerId/removal',
      {
        onRequest,
        schema: { tags, summary: 'L4 remove from a special register 移出分类专项名录库', headers, params: membershipParams, body: omitProperties(removeTargetSchema, ['uscc', 'registerId']), response: writeResponses },
      },
      async (request, reply) => {
        const { uscc, registerId } = request.params;
        const r = await execute(deps, request, (metadata) => ({ type: 'RemoveTargetFromSpecialRegister', data: { ...request.body, uscc, registerId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );
  };
