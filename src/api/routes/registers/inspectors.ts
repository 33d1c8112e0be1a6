import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import {
  changeInspectorStatusSchema,
  idSchema,
  inspectorConflictSchema,
  registerInspectorSchema,
  syncInspectorSchema,
  updateInspectorSchema,
  usccSchema,
} from '../../../domain/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { execute, idempotencyHeaders, requireAction, writeResponses } from './common.js';
import { omitProperties } from './schema-tools.js';

export const inspectorParams = { type: 'object', additionalProperties: false, required: ['inspectorId'], properties: { inspectorId: idSchema } } as const;
const conflictParams = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'uscc'],
  properties: { inspectorId: idSchema, uscc: usccSchema },
} as const;

const tags = ['inspectors 执法检查人员名录库'];

/** L3: each department maintains its own inspector register; T10 conflicts of interest (回避). */
export const inspectorWriteRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const onRequest = requireAction('inspector.write');
    const headers = idempotencyHeaders;

    app.post('/inspectors', { onRequest, schema: { tags, summary: 'L3 register an inspector 登记执法检查人员', headers, body: registerInspectorSchema, response: writeResponses } }, async (request, reply) => {
      const r = await execute(deps, request, (metadata) => ({ type: 'RegisterInspector', data: request.body, metadata }), true);
      return reply.status(r.status).send(r.body);
    });

    app.put(
      '/inspectors/:inspectorId',
      {
        onRequest,
        schema: { tags, summary: 'L3 register or bring up to date (upsert, as imports do) 同步人员信息', headers, params: inspectorParams, body: omitProperties(syncInspectorSchema, ['inspectorId']), response: writeResponses },
      },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'SyncInspector', data: { ...request.body, inspectorId: request.params.inspectorId }, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.patch(
      '/inspectors/:inspectorId',
      { onRequest, schema: { tags, summary: 'L3 change qualification, expertise, region 修改人员信息', headers, params: inspectorParams, body: omitProperties(updateInspectorSchema, ['inspectorId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'UpdateInspector', data: { ...request.body, inspectorId: request.params.inspectorId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/inspectors/:inspectorId/status',
      { onRequest, schema: { tags, summary: 'L3 change status 变更人员状态', headers, params: inspectorParams, body: omitProperties(changeInspectorStatusSchema, ['inspectorId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'ChangeInspectorStatus', data: { ...request.body, inspectorId: request.params.inspectorId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/inspectors/:inspectorId/conflicts',
      { onRequest, schema: { tags, summary: 'T10 declare a conflict of interest 申报利害关系（回避）', headers, params: inspectorParams, body: omitProperties(inspectorConflictSchema, ['inspectorId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'DeclareInspectorConflict', data: { ...request.body, inspectorId: request.params.inspectorId }, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/inspectors/:inspectorId/conflicts/:uscc/withdrawal',
      {
        onRequest,
        schema: { tags, summary: 'T10 withdraw a declared conflict 撤回利害关系申报', headers, params: conflictParams, body: omitProperties(inspectorConflictSchema, ['inspectorId', 'uscc']), response: writeResponses },
      },
      async (request, reply) => {
        const { inspectorId, uscc } = request.params;
        const r = await execute(deps, request, (metadata) => ({ type: 'WithdrawInspectorConflict', data: { ...request.body, inspectorId, uscc }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );
  };
