import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { FormService, formItemParamsSchema as itemParams, formVersionParamsSchema as versionParams, visitFormParamsSchema as visitParams } from '../../app/forms/index.js';
import { answerKinds, formContentSchema, formVersionSchema, methodSchema, questionSchema, visitFormChoiceSchema } from '../../domain/forms/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, requireAction, writeStatus } from './registers/common.js';

const writeResult = {
  type: 'object',
  additionalProperties: false,
  required: ['streamId', 'version', 'events', 'position', 'replayed'],
  properties: {
    streamId: { type: 'string' },
    version: { type: ['integer', 'null'] },
    events: { type: 'array', items: { type: 'string' } },
    position: { type: ['integer', 'null'] },
    replayed: { type: 'boolean' },
  },
} as const;
const writeResponses = { 200: writeResult, 201: writeResult, ...errorResponses } as const;

const templateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'version', 'questions', 'methods', 'reason'],
  properties: { itemId: { type: 'string' }, version: formVersionSchema, questions: { type: 'array', items: questionSchema }, methods: { type: 'array', items: methodSchema }, reason: { type: 'string' } },
} as const;
const itemFormSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'currentVersion', 'current', 'versions'],
  properties: {
    itemId: { type: 'string' },
    currentVersion: { type: ['integer', 'null'] },
    current: { anyOf: [{ type: 'null' }, templateSchema] },
    versions: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['version', 'reason'], properties: { version: { type: 'integer' }, reason: { type: 'string' } } },
    },
  },
} as const;
const formRef = { type: 'object', additionalProperties: false, required: ['itemId', 'version'], properties: { itemId: { type: 'string' }, version: { type: 'integer' } } } as const;
const visitFormSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'source', 'reason', 'itemsWithoutForm', 'forms', 'questions'],
  properties: {
    visitId: { type: 'string' },
    source: { enum: ['automatic', 'manual'] },
    reason: { type: ['string', 'null'] },
    itemsWithoutForm: { type: 'array', items: { type: 'string' } },
    forms: { type: 'array', items: formRef },
    questions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['questionId', 'itemId', 'text', 'legalBasis', 'answer', 'photoRequired'],
        properties: { questionId: { type: 'string' }, itemId: { type: 'string' }, text: { type: 'string' }, legalBasis: { type: 'string' }, answer: { enum: answerKinds }, photoRequired: { type: 'boolean' } },
      },
    },
  },
} as const;

const tags = ['check forms 检查表'];

/**
 * E2/E3: check form templates per item, versioned, and the one combined form of a visit
 * (一对象一表单). Reads need a token (every internal role); writes are checked by the deciders.
 */
export const formRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const service = new FormService({ store: deps.store, projections: deps.projections });
    freshenReads(base, deps);

    app.post(
      '/forms/:itemId/versions',
      {
        onRequest: requireAction('form.publish'),
        schema: { tags, summary: 'E2/E3 publish the next version of an item\'s check form 发布检查表新版本', headers: idempotencyHeaders, params: itemParams, body: formContentSchema, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.publish(commandMetadata(request), request.params.itemId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.get(
      '/forms/:itemId',
      { onRequest: requireAction('form.read'), schema: { tags, summary: 'E2/E3 an item\'s check form: the current version and the history 事项检查表', params: itemParams, response: { 200: itemFormSchema, ...errorResponses } } },
      async (request) => service.itemForm(request.params.itemId),
    );

    app.get(
      '/forms/:itemId/versions/:version',
      { onRequest: requireAction('form.read'), schema: { tags, summary: 'E2/E3 one version of an item\'s check form 检查表版本', params: versionParams, response: { 200: templateSchema, ...errorResponses } } },
      async (request) => service.version(request.params.itemId, Number(request.params.version)),
    );

    app.get(
      '/visits/:visitId/form',
      { onRequest: requireAction('form.read'), schema: { tags, summary: 'E2 the visit\'s one combined form (一对象一表单) 检查对象的合并检查表', params: visitParams, response: { 200: visitFormSchema, ...errorResponses } } },
      async (request) => service.visitForm(request.params.visitId),
    );

    app.post(
      '/visits/:visitId/form',
      {
        onRequest: requireAction('form.choose'),
        schema: { tags, summary: 'E2 choose the visit\'s form versions by hand, with a reason 手动选择检查表', headers: idempotencyHeaders, params: visitParams, body: visitFormChoiceSchema, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.choose(commandMetadata(request), request.params.visitId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );
  };
