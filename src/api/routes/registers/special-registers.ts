import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { defineSpecialRegisterSchema, idSchema, registerStandardSchema, reviseRegisterStandardSchema, specialRegisterStreamId } from '../../../domain/registers/index.js';
import { listSpecialRegisters } from '../../../projections/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { errorResponses, execute, idempotencyHeaders, notFound, requireAction, requireRead, writeResponses } from './common.js';
import { historySchema, readHistory } from './history.js';
import { omitProperties } from './schema-tools.js';

const registerParams = { type: 'object', additionalProperties: false, required: ['registerId'], properties: { registerId: idSchema } } as const;
const registerView = {
  type: 'object',
  additionalProperties: false,
  required: ['registerId', 'department', 'version', 'standard', 'members'],
  properties: {
    registerId: { type: 'string' },
    department: { type: 'string' },
    /** The standard's version: admissions record the version they were checked against. */
    version: { type: 'integer' },
    standard: { ...registerStandardSchema, properties: { ...registerStandardSchema.properties, indicators: { description: 'classification indicators (target filter attributes) 分类指标' } } },
    members: { type: 'integer' },
  },
} as const;
const registerList = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: registerView } } } as const;

const tags = ['special registers 分类专项名录库'];

/** L4: classified special registers and their standards (建库标准), kept by the leading department. */
export const specialRegisterRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const onRequest = requireAction('specialRegister.write');
    const headers = idempotencyHeaders;

    app.post(
      '/special-registers',
      { onRequest, schema: { tags, summary: 'L4 define a special register and its standard 建立专项库', headers, body: defineSpecialRegisterSchema, response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'DefineSpecialRegister', data: request.body, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.put(
      '/special-registers/:registerId/standard',
      {
        onRequest,
        schema: { tags, summary: 'L4 revise the standard (new version) 修订建库标准', headers, params: registerParams, body: omitProperties(reviseRegisterStandardSchema, ['registerId']), response: writeResponses },
      },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'ReviseRegisterStandard', data: { ...request.body, registerId: request.params.registerId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.get(
      '/special-registers',
      { onRequest: requireRead('register.read'), schema: { tags, summary: 'L4 special registers with current standard and member count 专项库列表', response: { 200: registerList, ...errorResponses } } },
      async () => ({ items: listSpecialRegisters(deps.projections.db) }),
    );

    app.get(
      '/special-registers/:registerId',
      { onRequest: requireRead('register.read'), schema: { tags, summary: 'L4 one special register 专项库信息', params: registerParams, response: { 200: registerView, ...errorResponses } } },
      async (request) => {
        const found = listSpecialRegisters(deps.projections.db).find((r) => r.registerId === request.params.registerId);
        if (!found) throw notFound('分类专项名录库 special register', request.params.registerId);
        return found;
      },
    );

    app.get(
      '/special-registers/:registerId/history',
      { onRequest: requireRead('register.read'), schema: { tags, summary: 'P1 every event of the register 变更记录', params: registerParams, response: { 200: historySchema, ...errorResponses } } },
      async (request) => readHistory(deps, specialRegisterStreamId(request.params.registerId), '分类专项名录库 special register', request.params.registerId),
    );
  };
