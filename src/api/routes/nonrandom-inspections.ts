import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { NonRandomInspectionService, nonRandomIdParamsSchema, nonRandomListQuerySchema, nonRandomYearSchema } from '../../app/nonrandom-inspections/index.js';
import { nonRandomInspectionSchema, nonRandomKinds, sourceDocumentSchema } from '../../domain/nonrandom-inspections/index.js';
import { listNonRandomInspections, nonRandomStatistics } from '../../projections/nonrandom-inspections/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, requireAction } from './registers/common.js';

const idList = { type: 'array', items: { type: 'string' } } as const;
const viewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectionId', 'kind', 'random', 'department', 'sourceDocument', 'targets', 'items', 'reason', 'recordedBy', 'recordedAt', 'position'],
  properties: {
    inspectionId: { type: 'string' },
    kind: { enum: nonRandomKinds },
    /** G2: always false, so a consumer merging lists cannot mistake it for a drawn inspection. */
    random: { const: false },
    department: { type: 'string' },
    sourceDocument: sourceDocumentSchema,
    targets: idList,
    items: idList,
    reason: { type: 'string' },
    recordedBy: { type: 'string' },
    recordedAt: { type: 'string' },
    position: { type: 'integer' },
  },
} as const;
const writeResult = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectionId', 'streamId', 'position', 'replayed'],
  properties: { inspectionId: { type: 'string' }, streamId: { type: 'string' }, position: { type: 'integer' }, replayed: { type: 'boolean' } },
} as const;
const year = nonRandomYearSchema;
const listQuery = nonRandomListQuerySchema;
const params = nonRandomIdParamsSchema;
const yearParams = { type: 'object', additionalProperties: false, required: ['year'], properties: { year } } as const;
const countSchema = { type: 'integer' } as const;
const statisticsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['year', 'byKind', 'byDepartment'],
  properties: {
    year: { type: 'integer' },
    byKind: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['kind', 'inspections', 'targets'], properties: { kind: { enum: nonRandomKinds }, inspections: countSchema, targets: countSchema } } },
    byDepartment: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['department', 'kind', 'inspections', 'targets'], properties: { department: { type: 'string' }, kind: { enum: nonRandomKinds }, inspections: countSchema, targets: countSchema } },
    },
  },
} as const;
const tags = ['non-random inspections 双随机以外的检查'];

/**
 * G2: inspections other than random ones (complaints/reports, big-data alerts, higher-level
 * orders, transferred cases, emergencies, violations found in duty). An operator or principal
 * records one for the own department, with its source document; every internal role reads
 * (a complaint names an entity before it is inspected, so nothing here is public). They have
 * no route into the lottery and no PL5 count: GET /draws never lists them.
 */
export const nonRandomInspectionRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const service = new NonRandomInspectionService({ store: deps.store, projections: deps.projections });
    const db = deps.projections.db;
    freshenReads(base, deps);

    app.post(
      '/non-random-inspections',
      {
        onRequest: requireAction('nonRandomInspection.record'),
        schema: { tags, summary: 'G2 record an inspection that is not random, with its source document 登记双随机以外的检查', headers: idempotencyHeaders, body: nonRandomInspectionSchema, response: { 200: writeResult, 201: writeResult, ...errorResponses } },
      },
      async (request, reply) => {
        const r = await service.record(commandMetadata(request), request.body);
        return reply.status(r.replayed ? 200 : 201).send(r);
      },
    );

    app.get(
      '/non-random-inspections',
      { onRequest: requireAction('nonRandomInspection.read'), schema: { tags, summary: 'G2 non-random inspections in ledger order, each with its kind 双随机以外的检查列表', querystring: listQuery, response: { 200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: viewSchema } } }, ...errorResponses } } },
      async (request) => {
        const q = request.query;
        return {
          items: listNonRandomInspections(db, {
            limit: q.limit === undefined ? 100 : Number(q.limit),
            ...(q.kind !== undefined && { kind: q.kind }),
            ...(q.department !== undefined && { department: q.department }),
            ...(q.target !== undefined && { target: q.target }),
            ...(q.year !== undefined && { year: Number(q.year) }),
            ...(q.after !== undefined && { after: Number(q.after) }),
          }),
        };
      },
    );

    app.get(
      '/non-random-inspections/statistics/:year',
      { onRequest: requireAction('nonRandomInspection.read'), schema: { tags, summary: 'G2 figures per kind and department for a year 双随机以外的检查统计', params: yearParams, response: { 200: statisticsSchema, ...errorResponses } } },
      async (request) => nonRandomStatistics(db, Number(request.params.year)),
    );

    app.get(
      '/non-random-inspections/:inspectionId',
      { onRequest: requireAction('nonRandomInspection.read'), schema: { tags, summary: 'G2 one non-random inspection 检查记录详情', params, response: { 200: viewSchema, ...errorResponses } } },
      async (request) => service.get(request.params.inspectionId),
    );
  };
