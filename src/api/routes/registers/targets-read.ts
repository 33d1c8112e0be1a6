import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { idSchema, targetFieldsSchema, targetStreamId, usccSchema } from '../../../domain/registers/index.js';
import { getTarget, queryTargets } from '../../../projections/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { errorResponses, notFound, requireRead } from './common.js';
import { historySchema, readHistory } from './history.js';
import { boolParam, buildFilter, countParam, inQuery, listParam } from './query.js';
import { usccParams } from './targets.js';

export const targetViewSchema = {
  ...targetFieldsSchema,
  required: [...targetFieldsSchema.required, 'specialRegisters'],
  properties: { ...targetFieldsSchema.properties, specialRegisters: { type: 'array', items: { type: 'string' } } },
} as const;

const lists = ['entityType', 'scale', 'industry', 'region', 'riskLevel', 'creditLevel', 'status', 'jurisdiction'] as const;
const bools = ['dishonest', 'abnormalOperation', 'keyIndustry'] as const;

/** The pool filter of T3 (semantics: src/domain/registers/targets/filter.ts) plus paging, as a query string. */
const targetQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    entityType: listParam,
    scale: listParam,
    industry: { ...listParam, description: 'GB/T 4754 prefixes, e.g. F or F52 or F5265' },
    region: listParam,
    riskLevel: listParam,
    creditLevel: listParam,
    status: { ...listParam, description: 'default: active' },
    jurisdiction: listParam,
    dishonest: boolParam,
    abnormalOperation: boolParam,
    keyIndustry: boolParam,
    minComplaints: countParam,
    specialRegister: idSchema,
    name: { type: 'string', minLength: 2, maxLength: 50, description: 'name contains this text (case-insensitive for Latin letters); % and _ match themselves 名称包含' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'page size, default 100' },
    after: usccSchema,
  },
} as const;

const targetPage = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'totalCapped', 'nextCursor'],
  properties: {
    items: { type: 'array', items: targetViewSchema },
    /** Targets matching the filter in total, over all pages. */
    total: { type: 'integer' },
    /** A name search matched more than 10,000 targets: `total` is 10000, read "10000+" (docs/api.md §3). */
    totalCapped: { type: 'boolean' },
    /** Pass as `after` for the next page; null on the last page. */
    nextCursor: { anyOf: [usccSchema, { type: 'null' }] },
  },
} as const;

const tags = ['targets 检查对象名录库'];

/** L4: reading the comprehensive register: every signed-in role (auditors read all). */
export const targetReadRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const db = deps.projections.db;
    const onRequest = requireRead('register.read');

    app.get(
      '/targets',
      { onRequest, schema: { tags, summary: 'T3/L4 targets matching a pool filter or a name, paged 按条件或名称查询检查对象', querystring: targetQuery, response: { 200: targetPage, ...errorResponses } } },
      async (request) => {
        const q = request.query;
        const filter = buildFilter(q, { lists, bools, counts: ['minComplaints'], scalars: ['specialRegister'] });
        const page = buildFilter(q, { counts: ['limit'], scalars: ['after'] });
        const search = buildFilter(q, { scalars: ['name'] });
        const result = inQuery(() => queryTargets(db, filter, page, search));
        return { items: result.items.map((t) => ({ ...t, specialRegisters: [...t.specialRegisters] })), total: result.total, totalCapped: result.totalCapped, nextCursor: result.nextCursor };
      },
    );

    app.get(
      '/targets/:uscc',
      { onRequest, schema: { tags, summary: 'L4 one register entry 检查对象信息', params: usccParams, response: { 200: targetViewSchema, ...errorResponses } } },
      async (request) => {
        const t = getTarget(db, request.params.uscc);
        if (!t) throw notFound('检查对象 target', request.params.uscc);
        return { ...t, specialRegisters: [...t.specialRegisters] };
      },
    );

    app.get(
      '/targets/:uscc/history',
      { onRequest, schema: { tags, summary: 'P1 every event of the entry 变更记录', params: usccParams, response: { 200: historySchema, ...errorResponses } } },
      async (request) => readHistory(deps, targetStreamId(request.params.uscc), '检查对象 target', request.params.uscc),
    );
  };
