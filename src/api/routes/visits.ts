import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { toVisitListQuery, visitIdParamsSchema, visitListQuerySchema } from '../../app/tasks/index.js';
import { DrawService } from '../../app/draws/index.js';
import {
  VisitService, assignVisitSchema, commitMatchingSchema, matchingDrawParamsSchema, replacementRequestParamsSchema, requestReplacementSchema,
} from '../../app/visits/index.js';
import { taskWindowSchema } from '../../domain/tasks/index.js';
import { getVisit, listVisits, visitStatuses } from '../../projections/visits/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, notFound, requireAction, requireActor, writeStatus } from './registers/common.js';

const idList = { type: 'array', items: { type: 'string' } } as const;
const nullableString = { type: ['string', 'null'] } as const;
const groupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['via', 'matchingDraw', 'drawId', 'leader', 'members', 'experts', 'reason'],
  properties: { via: { enum: ['draw', 'direct'] }, matchingDraw: nullableString, drawId: nullableString, leader: nullableString, members: idList, experts: idList, reason: nullableString },
} as const;
const visitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'executingUnit', 'uscc', 'window', 'items', 'tasks', 'participants', 'status', 'frozen', 'group', 'contributions', 'requests'],
  properties: {
    /** E8: the unit the visit was transferred from (its executing unit is then the receiving unit); absent when never transferred. */
    transferredFrom: { type: ['string', 'null'] },
    /** Joint tasks: the participating departments, each contributing inspectors. */
    participants: idList,
    /** T6: matched when every contributing department has its group. */
    status: { enum: visitStatuses },
    /** T6: frozen once a matching draw is committed over it (or it is assigned directly): later dispatches form their own visit. */
    frozen: { type: 'boolean' },
    /** The visit's group: the executing unit's leader, then every contributor's members. */
    group: {
      anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['leader', 'members', 'experts'], properties: { leader: nullableString, members: idList, experts: idList } }],
    },
    contributions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['department', 'pending', 'group', 'unmatched'],
        properties: {
          department: { type: 'string' },
          pending: nullableString,
          group: { anyOf: [{ type: 'null' }, groupSchema] },
          unmatched: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['drawId', 'need'], properties: { drawId: { type: 'string' }, need: { type: 'string' } } }] },
        },
      },
    },
    requests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['request', 'department', 'member', 'reason', 'requestedBy', 'approvedBy', 'drawId'],
        properties: { request: { type: 'integer' }, department: { type: 'string' }, member: { type: 'string' }, reason: { type: 'string' }, requestedBy: { type: 'string' }, approvedBy: nullableString, drawId: nullableString },
      },
    },
    visitId: { type: 'string' },
    executingUnit: { type: 'string' },
    uscc: { type: 'string' },
    /** The earliest start and the latest end of the merged tasks' windows. */
    window: taskWindowSchema,
    /** Every item of every merged task (进一次门、查多项事). */
    items: idList,
    tasks: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['taskId', 'items', 'window'], properties: { taskId: { type: 'string' }, items: idList, window: taskWindowSchema } },
    },
  },
} as const;
const listQuery = visitListQuerySchema;
const params = visitIdParamsSchema;
const drawParams = matchingDrawParamsSchema;
const requestParams = replacementRequestParamsSchema;
const writeResult = {
  type: 'object',
  additionalProperties: false,
  required: ['drawId', 'visits', 'events', 'position', 'replayed'],
  properties: { drawId: nullableString, visits: idList, events: idList, position: { type: ['integer', 'null'] }, replayed: { type: 'boolean' } },
} as const;
const writeResponses = { 200: writeResult, 201: writeResult, ...errorResponses } as const;
const tags = ['visits 检查（一次上门）'];

/**
 * T5/T6: the visits the merge rule derives from dispatched tasks, and each executing unit's
 * work queue. Read with any internal token (`task.read`, as a task is): a visit names targets
 * before they are inspected, so nothing here is public.
 */
export const visitRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const db = deps.projections.db;
    const service = new VisitService({ store: deps.store, projections: deps.projections, draws: new DrawService({ store: deps.store, projections: deps.projections }) });
    freshenReads(base, deps);

    app.post(
      '/visits/matchings',
      { onRequest: requireActor, schema: { tags, summary: 'T6 commit an inspector-group draw over the unit\'s visits 执行单位匹配检查人员', headers: idempotencyHeaders, body: commitMatchingSchema, response: writeResponses } },
      async (request, reply) => {
        const r = await service.commitMatching(commandMetadata(request), request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/matchings/:drawId/application',
      { onRequest: requireActor, schema: { tags, summary: 'T6 record each visit\'s group from the completed matching draw 应用匹配结果', headers: idempotencyHeaders, params: drawParams, response: writeResponses } },
      async (request, reply) => {
        const r = await service.applyMatching(commandMetadata(request), request.params.drawId);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/assignment',
      { onRequest: requireActor, schema: { tags, summary: 'T8/T7 a principal assigns an unmatched visit\'s group directly, with a reason 直接指派', headers: idempotencyHeaders, params, body: assignVisitSchema, response: writeResponses } },
      async (request, reply) => {
        const r = await service.assign(commandMetadata(request), request.params.visitId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/replacements',
      { onRequest: requireActor, schema: { tags, summary: 'T10 request the replacement of a group member, naming the reason 申请更换检查人员', headers: idempotencyHeaders, params, body: requestReplacementSchema, response: writeResponses } },
      async (request, reply) => {
        const r = await service.requestReplacement(commandMetadata(request), request.params.visitId, request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/visits/:visitId/replacements/:request/approval',
      { onRequest: requireActor, schema: { tags, summary: 'T10 a principal of the department approves with their own token; the replacement is drawn 负责人审批更换', headers: idempotencyHeaders, params: requestParams, response: writeResponses } },
      async (request, reply) => {
        const r = await service.approveReplacement(commandMetadata(request), request.params.visitId, Number(request.params.request));
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.get(
      '/visits',
      { onRequest: requireAction('task.read'), schema: { tags, summary: 'T6 an executing unit\'s work queue: its visits by window start 执行单位检查清单', querystring: listQuery, response: { 200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: visitSchema } } }, ...errorResponses } } },
      async (request) => ({ items: listVisits(db, toVisitListQuery(request.query)) }),
    );

    app.get(
      '/visits/:visitId',
      { onRequest: requireAction('task.read'), schema: { tags, summary: 'T5 one visit: its target, window, items and merged tasks 一次上门检查', params, response: { 200: visitSchema, ...errorResponses } } },
      async (request) => {
        const v = getVisit(db, request.params.visitId);
        if (!v) throw notFound('检查 visit', request.params.visitId);
        return v;
      },
    );
  };
