import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { NoticePublished, noticeIdSchema, noticeKinds } from '../../domain/notices/index.js';
import { idSchema } from '../../domain/registers/schemas.js';
import { getNotice, listNotices } from '../../projections/plans/index.js';
import type { AppDeps } from '../deps.js';
import { errorResponses, freshen, notFound } from './registers/common.js';

const noticeProperties = NoticePublished.schema.properties;
const noticeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['noticeId', 'kind', 'title', 'department', 'subject', 'body', 'publishedAt', 'position'],
  properties: {
    ...noticeProperties,
    subject: {
      type: 'object',
      additionalProperties: false,
      required: ['streamId', 'revision', 'eventType', 'position'],
      properties: { ...noticeProperties.subject.properties, /** Ledger position of the published event. */ position: { type: ['integer', 'null'] } },
    },
    publishedAt: { type: 'string' },
    /** Ledger position of the notice event: check it against the public export. */
    position: { type: 'integer' },
  },
} as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { enum: noticeKinds },
    department: idSchema,
    /** Keyset paging: the `position` of the last notice of the previous page. */
    after: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' },
    limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' },
  },
} as const;
const params = { type: 'object', additionalProperties: false, required: ['noticeId'], properties: { noticeId: noticeIdSchema } } as const;
const tags = ['public notices 公示'];

/**
 * P2: the public notice channel (公示). Anyone may read it, without a token: it is what the
 * guideline says is published, published by the system at the moment of the step.
 */
export const noticeRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const db = deps.projections.db;
    app.addHook('preHandler', async (_request, reply) => {
      await freshen(deps, reply);
    });
    app.get(
      '/notices',
      { schema: { tags, summary: 'P2 public notices in ledger order (public) 公示列表', security: [], querystring: listQuery, response: { 200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: noticeSchema } } }, ...errorResponses } } },
      async (request) => {
        const q = request.query;
        return {
          items: listNotices(db, {
            limit: q.limit === undefined ? 100 : Number(q.limit),
            ...(q.after !== undefined && { after: Number(q.after) }),
            ...(q.kind !== undefined && { kind: q.kind }),
            ...(q.department !== undefined && { department: q.department }),
          }),
        };
      },
    );
    app.get(
      '/notices/:noticeId',
      { schema: { tags, summary: 'P2 one public notice (public) 公示详情', security: [], params, response: { 200: noticeSchema, ...errorResponses } } },
      async (request) => {
        const n = getNotice(db, request.params.noticeId);
        if (!n) throw notFound('公示 notice', request.params.noticeId);
        return n;
      },
    );
  };
