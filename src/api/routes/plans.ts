import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { coverage, planDiff, planDiffQuerySchema, planView, PlanService, type PlanConfig } from '../../app/plans/index.js';
import { planDraftSchema, planItemSchema, planStatuses } from '../../domain/plans/index.js';
import { idSchema, reasonSchema } from '../../domain/registers/schemas.js';
import { planVersions } from '../../projections/plans/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, notFound, requireAction } from './registers/common.js';

const year = { type: 'string', pattern: '^(20[0-9]{2}|2100)$' } as const;
const version = { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } as const;
const planParams = { type: 'object', additionalProperties: false, required: ['departmentId', 'year'], properties: { departmentId: idSchema, year } } as const;
const versionParams = { type: 'object', additionalProperties: false, required: ['departmentId', 'year', 'version'], properties: { departmentId: idSchema, year, version } } as const;
const yearParams = { type: 'object', additionalProperties: false, required: ['year'], properties: { year } } as const;

const { departmentId: _d, year: _y, ...draftProperties } = planDraftSchema.properties;
const draftBody = { type: 'object', additionalProperties: false, required: ['items', 'reason'], properties: draftProperties } as const;
const returnBody = { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: reasonSchema } } as const;

const idList = { type: 'array', items: { type: 'string' } } as const;
const writeResult = {
  type: 'object',
  additionalProperties: false,
  required: ['streamId', 'version', 'events', 'position', 'replayed', 'noticeId'],
  properties: {
    streamId: { type: 'string' },
    version: { type: 'integer' },
    events: idList,
    position: { type: ['integer', 'null'] },
    replayed: { type: 'boolean' },
    /** P2: the notice a filing published (GET /notices/{noticeId}). */
    noticeId: { type: ['string', 'null'] },
  },
} as const;
const writeResponses = { 200: writeResult, 201: writeResult, ...errorResponses } as const;

const actorAt = { type: 'object', additionalProperties: false, required: ['at', 'by'], properties: { at: { type: 'string' }, by: { type: 'string' } } } as const;
const versionSummary = {
  departmentId: { type: 'string' },
  year: { type: 'integer' },
  version: { type: 'integer' },
  status: { enum: planStatuses },
  reason: { type: 'string' },
  drafted: actorAt,
  filing: {
    anyOf: [
      { type: 'null' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['filedWith', 'at', 'by', 'position', 'listBasis', 'coveredItems', 'changes'],
        properties: {
          /** null: the root department, which files with nobody. */
          filedWith: { type: ['string', 'null'] },
          at: { type: 'string' },
          by: { type: 'string' },
          position: { type: 'integer' },
          listBasis: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['departmentId', 'version'], properties: { departmentId: { type: 'string' }, version: { type: 'integer' } } } },
          coveredItems: idList,
          changes: { type: 'object', additionalProperties: false, required: ['added', 'changed', 'removed'], properties: { added: idList, changed: idList, removed: idList } },
        },
      },
    ],
  },
  answer: {
    anyOf: [
      { type: 'null' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'by', 'department', 'returnReason'],
        properties: { at: { type: 'string' }, by: { type: 'string' }, department: { type: 'string' }, returnReason: { type: ['string', 'null'] } },
      },
    ],
  },
} as const;
const summaryRequired = ['departmentId', 'year', 'version', 'status', 'reason', 'drafted', 'filing', 'answer'] as const;
const versionSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...summaryRequired, 'items'],
  properties: { ...versionSummary, items: { type: 'array', items: planItemSchema } },
} as const;
const planSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'year', 'inForceVersion', 'draftVersion', 'uncoveredItems', 'itemsNoLongerListed', 'versions'],
  properties: {
    departmentId: { type: 'string' },
    year: { type: 'integer' },
    inForceVersion: { type: ['integer', 'null'] },
    draftVersion: { type: ['integer', 'null'] },
    uncoveredItems: idList,
    itemsNoLongerListed: idList,
    versions: { type: 'array', items: { type: 'object', additionalProperties: false, required: summaryRequired, properties: versionSummary } },
  },
} as const;
const changedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'before', 'after', 'fields'],
  properties: { itemId: { type: 'string' }, before: planItemSchema, after: planItemSchema, fields: idList },
} as const;
const diffQuery = planDiffQuerySchema;
const diffSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'year', 'from', 'to', 'added', 'removed', 'changed'],
  properties: {
    departmentId: { type: 'string' },
    year: { type: 'integer' },
    from: { type: 'integer' },
    to: { type: 'integer' },
    added: { type: 'array', items: planItemSchema },
    removed: { type: 'array', items: planItemSchema },
    changed: { type: 'array', items: changedSchema },
  },
} as const;
const coverageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['year', 'items', 'uncovered'],
  properties: {
    year: { type: 'integer' },
    uncovered: idList,
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemId', 'name', 'listDepartment', 'inspectingBody', 'inspectingBodyRegistered', 'coveredBy'],
        properties: {
          itemId: { type: 'string' },
          name: { type: 'string' },
          listDepartment: { type: 'string' },
          inspectingBody: { type: 'string' },
          inspectingBodyRegistered: { type: 'boolean' },
          coveredBy: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['departmentId', 'version'], properties: { departmentId: { type: 'string' }, version: { type: 'integer' } } }] },
        },
      },
    },
  },
} as const;

const tags = ['annual plans 年度抽查工作计划'];

export interface PlanRouteOptions {
  readonly config?: PlanConfig;
}

/**
 * PL1–PL4: annual plans. An operator or principal drafts; a principal files (备案) with the
 * parent department, which publishes the plan (P2); a principal of the parent acknowledges or
 * returns it. Reads need a token (drafts are internal); filed plans are public as notices.
 */
export const planRoutes =
  (deps: AppDeps, options: PlanRouteOptions = {}): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const service = new PlanService({ store: deps.store, projections: deps.projections, ...(options.config && { config: options.config }) });
    const db = deps.projections.db;
    freshenReads(base, deps);
    const key = (p: { departmentId: string; year: string; version: string }) => ({ departmentId: p.departmentId, year: Number(p.year), version: Number(p.version) });

    app.put(
      '/departments/:departmentId/plans/:year/draft',
      {
        onRequest: requireAction('plan.draft'),
        schema: { tags, summary: 'PL1/PL3/PL4 save the draft version 保存计划草稿', headers: idempotencyHeaders, params: planParams, body: draftBody, response: writeResponses },
      },
      async (request) => service.saveDraft(commandMetadata(request), { ...request.body, departmentId: request.params.departmentId, year: Number(request.params.year) }),
    );

    app.post(
      '/departments/:departmentId/plans/:year/versions/:version/filing',
      {
        onRequest: requireAction('plan.file'),
        schema: { tags, summary: 'PL1/PL2/P2 file the draft with the parent and publish it 备案并公示', headers: idempotencyHeaders, params: versionParams, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.file(commandMetadata(request), key(request.params));
        return reply.status(r.replayed ? 200 : 201).send(r);
      },
    );

    app.post(
      '/departments/:departmentId/plans/:year/versions/:version/acknowledgement',
      {
        onRequest: requireAction('plan.acknowledge'),
        schema: { tags, summary: 'PL1 the parent\'s principal acknowledges the filing 上级确认备案', headers: idempotencyHeaders, params: versionParams, response: writeResponses },
      },
      async (request) => service.acknowledge(commandMetadata(request), key(request.params)),
    );

    app.post(
      '/departments/:departmentId/plans/:year/versions/:version/return',
      {
        onRequest: requireAction('plan.acknowledge'),
        schema: { tags, summary: 'PL1 the parent\'s principal returns the filing with a reason 上级退回备案', headers: idempotencyHeaders, params: versionParams, body: returnBody, response: writeResponses },
      },
      async (request) => service.returnFiling(commandMetadata(request), key(request.params), request.body.reason),
    );

    app.get(
      '/departments/:departmentId/plans/:year',
      { onRequest: requireAction('plan.read'), schema: { tags, summary: 'PL1/PL2 the plan: versions, version in force, items it no longer covers 年度计划', params: planParams, response: { 200: planSchema, ...errorResponses } } },
      async (request) => {
        const { departmentId } = request.params;
        const { context } = await service.context(departmentId);
        const view = planView(db, departmentId, Number(request.params.year), context);
        if (!view) throw notFound('年度抽查工作计划 annual plan', `${departmentId}/${request.params.year}`);
        return view;
      },
    );

    app.get(
      '/departments/:departmentId/plans/:year/versions/:version',
      { onRequest: requireAction('plan.read'), schema: { tags, summary: 'PL1/PL3 one version with its items 计划版本', params: versionParams, response: { 200: versionSchema, ...errorResponses } } },
      async (request) => {
        const k = key(request.params);
        const v = planVersions(db, k.departmentId, k.year).find((x) => x.version === k.version);
        if (!v) throw notFound('年度抽查工作计划版本 plan version', `${k.departmentId}/${k.year}/${k.version}`);
        return v;
      },
    );

    app.get(
      '/departments/:departmentId/plans/:year/diff',
      { onRequest: requireAction('plan.read'), schema: { tags, summary: 'PL1 what an adjustment changed 版本对比', params: planParams, querystring: diffQuery, response: { 200: diffSchema, ...errorResponses } } },
      async (request) => planDiff(db, request.params.departmentId, Number(request.params.year), Number(request.query.from), Number(request.query.to)),
    );

    app.get(
      '/plans/:year/coverage',
      { onRequest: requireAction('plan.read'), schema: { tags, summary: 'PL2 coverage of the whole unified list across the bureau\'s units 清单覆盖情况', params: yearParams, response: { 200: coverageSchema, ...errorResponses } } },
      async (request) => coverage(db, Number(request.params.year)),
    );
  };
