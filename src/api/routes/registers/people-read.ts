import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FromSchema } from 'json-schema-to-ts';
import { SuijiError } from '../../../domain/errors.js';
import {
  compileValidator,
  dateSchema,
  expertFieldsSchema,
  expertStreamId,
  idSchema,
  inspectorFieldsSchema,
  inspectorStreamId,
  personStatuses,
} from '../../../domain/registers/index.js';
import { queryExpertPage, queryExperts, queryInspectorPage, queryInspectors } from '../../../projections/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { errorResponses, notFound, requireRead } from './common.js';
import { historySchema, readHistory } from './history.js';
import { buildFilter, inQuery, listParam } from './query.js';

const withConflicts = <const S extends typeof inspectorFieldsSchema | typeof expertFieldsSchema>(s: S) =>
  ({
    ...s,
    required: [...s.required, 'conflicts'],
    /** T10: targets this person declared a conflict of interest with (never drawn for them). */
    properties: { ...s.properties, conflicts: { type: 'array', items: { type: 'string' } } },
  }) as const;
const inspectorView = withConflicts(inspectorFieldsSchema);
const expertView = withConflicts(expertFieldsSchema);
/** One page, shaped like GET /targets (targets-read.ts): `total` over all pages, `nextCursor` to pass as `after`, null on the last page. */
const pageOf = <const S extends object>(items: S) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['items', 'total', 'nextCursor'],
    properties: { items: { type: 'array', items }, total: { type: 'integer' }, nextCursor: { anyOf: [idSchema, { type: 'null' }] } },
  }) as const;

const lists = ['status', 'department', 'region', 'expertise', 'notConflictedWith'] as const;
/** Inspector/expert pool filters (T9, T10; src/domain/registers/inspectors/filter.ts) as a query string. */
const personQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { ...listParam, description: 'default: active' },
    department: listParam,
    region: listParam,
    expertise: listParam,
    notConflictedWith: { ...listParam, description: 'credit codes: drops anyone with a declared conflict (T10)' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'page size, default 100' },
    after: { ...idSchema, description: 'the nextCursor of the previous page' },
  },
} as const;
const inspectorQuery = { ...personQuery, properties: { ...personQuery.properties, qualifiedOn: { ...dateSchema, description: 'T9: qualification valid on this date' } } } as const;

const inspectorParams = { type: 'object', additionalProperties: false, required: ['inspectorId'], properties: { inspectorId: idSchema } } as const;
const expertParams = { type: 'object', additionalProperties: false, required: ['expertId'], properties: { expertId: idSchema } } as const;

const allStatuses = { status: [...personStatuses] };

// queryExperts returns loosely typed rows; they become typed only through the view's schema.
type ExpertView = FromSchema<typeof expertView>;
const parseExpertView = compileValidator<ExpertView>(expertView, 'expert view');
const typedExperts = (rows: readonly unknown[]): ExpertView[] =>
  rows.map((r) => {
    const v = parseExpertView(r);
    if (v instanceof SuijiError) throw new SuijiError('INTERNAL_ERROR', { field: v.details.field });
    return v;
  });

/** L3/L5: reading the inspector and expert registers: every signed-in role. */
export const peopleReadRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const db = deps.projections.db;
    const onRequest = requireRead('register.read');

    app.get(
      '/inspectors',
      { onRequest, schema: { tags: ['inspectors 执法检查人员名录库'], summary: 'L3/T9 inspectors matching a filter, paged 按条件分页查询人员', querystring: inspectorQuery, response: { 200: pageOf(inspectorView), ...errorResponses } } },
      async (request) => {
        const filter = buildFilter(request.query, { lists, scalars: ['qualifiedOn'] });
        const page = inQuery(() => queryInspectorPage(db, filter, buildFilter(request.query, { counts: ['limit'], scalars: ['after'] })));
        return { items: page.items.map((i) => ({ ...i, conflicts: [...i.conflicts] })), total: page.total, nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/inspectors/:inspectorId',
      { onRequest, schema: { tags: ['inspectors 执法检查人员名录库'], summary: 'L3 one inspector 人员信息', params: inspectorParams, response: { 200: inspectorView, ...errorResponses } } },
      async (request) => {
        const found = queryInspectors(db, allStatuses).find((i) => i.inspectorId === request.params.inspectorId);
        if (!found) throw notFound('执法检查人员 inspector', request.params.inspectorId);
        return { ...found, conflicts: [...found.conflicts] };
      },
    );

    app.get(
      '/inspectors/:inspectorId/history',
      { onRequest, schema: { tags: ['inspectors 执法检查人员名录库'], summary: 'P1 every event of the entry 变更记录', params: inspectorParams, response: { 200: historySchema, ...errorResponses } } },
      async (request) => readHistory(deps, inspectorStreamId(request.params.inspectorId), '执法检查人员 inspector', request.params.inspectorId),
    );

    app.get(
      '/experts',
      { onRequest, schema: { tags: ['experts 专家库'], summary: 'L5 experts matching a filter, paged 按条件分页查询专家', querystring: personQuery, response: { 200: pageOf(expertView), ...errorResponses } } },
      async (request) => {
        const page = inQuery(() => queryExpertPage(db, buildFilter(request.query, { lists }), buildFilter(request.query, { counts: ['limit'], scalars: ['after'] })));
        return { items: typedExperts(page.items), total: page.total, nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/experts/:expertId',
      { onRequest, schema: { tags: ['experts 专家库'], summary: 'L5 one expert 专家信息', params: expertParams, response: { 200: expertView, ...errorResponses } } },
      async (request) => {
        const found = typedExperts(queryExperts(db, allStatuses)).find((e) => e.expertId === request.params.expertId);
        if (!found) throw notFound('专家 expert', request.params.expertId);
        return found;
      },
    );

    app.get(
      '/experts/:expertId/history',
      { onRequest, schema: { tags: ['experts 专家库'], summary: 'P1 every event of the entry 变更记录', params: expertParams, response: { 200: historySchema, ...errorResponses } } },
      async (request) => readHistory(deps, expertStreamId(request.params.expertId), '专家 expert', request.params.expertId),
    );
  };
