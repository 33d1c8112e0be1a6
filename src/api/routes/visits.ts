import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { toVisitListQuery, visitIdParamsSchema, visitListQuerySchema } from '../../app/tasks/index.js';
import { taskWindowSchema } from '../../domain/tasks/index.js';
import { getVisit, listVisits } from '../../projections/visits/index.js';
import type { AppDeps } from '../deps.js';
import { errorResponses, freshenReads, notFound, requireAction } from './registers/common.js';

const idList = { type: 'array', items: { type: 'string' } } as const;
const visitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'executingUnit', 'uscc', 'window', 'items', 'tasks'],
  properties: {
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
    freshenReads(base, deps);

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
