import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import {
  InspectionService, onSiteRequestSchema, preCheckRequestSchema, targetAnswerRequestSchema,
} from '../../app/inspections/index.js';
import { visitIdParamsSchema } from '../../app/tasks/index.js';
import { OnSiteRecorded, PreCheckRecorded, inspectionStatuses, targetSignatureSchema, witnessSchema } from '../../domain/inspections/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, notFound, requireAction, requireActor, writeStatus } from './registers/common.js';

const tags = ['inspections 现场检查记录'];
const params = visitIdParamsSchema;
const idList = { type: 'array', items: { type: 'string' } } as const;
const writeResult = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'events', 'position', 'replayed'],
  properties: { visitId: { type: 'string' }, events: idList, position: { type: ['integer', 'null'] }, replayed: { type: 'boolean' } },
} as const;
const writeResponses = { 200: writeResult, 201: writeResult, ...errorResponses } as const;

const viewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'state', 'events'],
  properties: {
    visitId: { type: 'string' },
    state: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'preCheck', 'onSite', 'target', 'signatures', 'closedBy'],
      properties: {
        /** E4: notStarted → preChecked → onSite → targetAnswered → closed. */
        status: { enum: inspectionStatuses },
        preCheck: { anyOf: [{ type: 'null' }, PreCheckRecorded.schema] },
        onSite: { anyOf: [{ type: 'null' }, OnSiteRecorded.schema] },
        target: {
          anyOf: [
            { type: 'null' },
            { type: 'object', additionalProperties: false, required: ['signed'], properties: { signed: targetSignatureSchema } },
            { type: 'object', additionalProperties: false, required: ['refused'], properties: { refused: { type: 'object', additionalProperties: false, required: ['witness'], properties: { witness: witnessSchema } } } },
          ],
        },
        /** A3: inspector ids in signing order (each by their own token). */
        signatures: idList,
        closedBy: { type: ['string', 'null'] },
      },
    },
    events: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['position', 'type', 'actor', 'recordedAt', 'payload'],
        properties: { position: { type: 'integer' }, type: { type: 'string' }, /** A3: the user whose token wrote it. */ actor: { type: 'string' }, recordedAt: { type: 'string' }, payload: {} },
      },
    },
  },
} as const;

/**
 * E1/E4/A3: the on-site record of a visit. Only members of the visit's group write (each with
 * their own token; the leader closes); every internal role reads (`task.read`, as a visit is).
 */
export const inspectionRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const service = new InspectionService({ store: deps.store, projections: deps.projections });
    freshenReads(base, deps);
    const write = <B extends object>(summary: string, body: B) => ({ onRequest: requireActor, schema: { tags, summary, headers: idempotencyHeaders, params, body, response: writeResponses } });
    const noBody = (summary: string) => ({ onRequest: requireActor, schema: { tags, summary, headers: idempotencyHeaders, params, response: writeResponses } });

    app.post('/visits/:visitId/inspection/pre-check', write('E4 pre-check: what was consulted and found, the method chosen 预查比对', preCheckRequestSchema), async (request, reply) => {
      const r = await service.preCheck(commandMetadata(request), request.params.visitId, request.body);
      return reply.status(writeStatus(r)).send(r);
    });

    app.post('/visits/:visitId/inspection/on-site', write('E4 on-site: ≥ 2 group members present, credentials, notice, findings, measures, evidence 现场检查', onSiteRequestSchema), async (request, reply) => {
      const r = await service.onSite(commandMetadata(request), request.params.visitId, request.body);
      return reply.status(writeStatus(r)).send(r);
    });

    app.post('/visits/:visitId/inspection/target-signature', write('E4 the target signs (name, role), or refuses before a witness 检查对象签字或拒签', targetAnswerRequestSchema), async (request, reply) => {
      const r = await service.targetAnswer(commandMetadata(request), request.params.visitId, request.body);
      return reply.status(writeStatus(r)).send(r);
    });

    app.post('/visits/:visitId/inspection/signatures', noBody('A3 an inspector of the group signs with their own token 检查人员签名'), async (request, reply) => {
      const r = await service.sign(commandMetadata(request), request.params.visitId);
      return reply.status(writeStatus(r)).send(r);
    });

    app.post('/visits/:visitId/inspection/closure', noBody('E1 the group leader closes the record (after ≥ 2 present inspectors signed) 组长关闭记录'), async (request, reply) => {
      const r = await service.close(commandMetadata(request), request.params.visitId);
      return reply.status(writeStatus(r)).send(r);
    });

    app.get(
      '/visits/:visitId/inspection',
      { onRequest: requireAction('task.read'), schema: { tags, summary: 'E4/A3 the on-site record: its state and every event with its actor 现场检查记录', params, response: { 200: viewSchema, ...errorResponses } } },
      async (request) => {
        const visitId = request.params.visitId;
        const view = await service.read(visitId);
        if (view.events.length === 0 && (await service.visit(visitId)) === null) throw notFound('检查 visit', visitId);
        return { ...view, state: { ...view.state, signatures: [...view.state.signatures] } };
      },
    );
  };
