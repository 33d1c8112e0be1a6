import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { Database } from 'better-sqlite3';
import { diffItemLists, idSchema, itemSchema, publishItemListSchema, reasonSchema, type Item } from '../../../domain/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { errorResponses, execute, idempotencyHeaders, notFound, requireAction, writeResponses } from './common.js';
import { omitProperties } from './schema-tools.js';

const departmentParams = { type: 'object', additionalProperties: false, required: ['departmentId'], properties: { departmentId: idSchema } } as const;
const version = { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } as const;
const versionParams = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'version'],
  properties: { departmentId: idSchema, version },
} as const;
/** `from=0` is the empty list before the first publication, so a diff from 0 shows the whole first version. */
const diffQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: { type: 'string', pattern: '^(0|[1-9][0-9]{0,8})$' }, to: version },
} as const;

const idList = { type: 'array', items: { type: 'string' } } as const;
const changesSchema = { type: 'object', additionalProperties: false, required: ['added', 'changed', 'removed'], properties: { added: idList, changed: idList, removed: idList } } as const;
const summaryProperties = {
  departmentId: { type: 'string' },
  version: { type: 'integer' },
  reason: reasonSchema,
  publishedAt: { type: 'string' },
  /** Ledger position of the publication event, for checking it against the public export. */
  position: { type: 'integer' },
  changes: changesSchema,
} as const;
const summaryRequired = ['departmentId', 'version', 'reason', 'publishedAt', 'position', 'changes'] as const;
const versionSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...summaryRequired, 'items'],
  properties: { ...summaryProperties, items: { type: 'array', items: itemSchema } },
} as const;
const versionList = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: { items: { type: 'array', items: { type: 'object', additionalProperties: false, required: summaryRequired, properties: summaryProperties } } },
} as const;
const diffSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'from', 'to', 'added', 'removed', 'changed'],
  properties: {
    departmentId: { type: 'string' },
    from: { type: 'integer' },
    to: { type: 'integer' },
    added: { type: 'array', items: itemSchema },
    removed: { type: 'array', items: itemSchema },
    changed: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemId', 'before', 'after', 'fields'],
        properties: { itemId: { type: 'string' }, before: itemSchema, after: itemSchema, fields: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
} as const;

interface VersionRow {
  department_id: string;
  version: number;
  reason: string;
  published_at: string;
  items: string;
  changes: string;
  position: number;
}

const SELECT = 'SELECT department_id, version, reason, published_at, items, changes, position FROM reg_item_list_versions';

// Rows hold payloads of catalogue-validated ItemListVersionPublished events.
const summary = (r: VersionRow) => ({
  departmentId: r.department_id,
  version: r.version,
  reason: r.reason,
  publishedAt: r.published_at,
  position: r.position,
  changes: JSON.parse(r.changes) as { added: string[]; changed: string[]; removed: string[] },
});
const full = (r: VersionRow) => ({ ...summary(r), items: JSON.parse(r.items) as Item[] });

function versionRow(db: Database, departmentId: string, n: number): VersionRow {
  const row = db.prepare(`${SELECT} WHERE department_id = ? AND version = ?`).get(departmentId, n) as VersionRow | undefined;
  if (!row) throw notFound('抽查事项清单版本 item list version', `${departmentId}/${n}`);
  return row;
}

const tags = ['item list 随机抽查事项清单'];

/**
 * L1/L2: the versioned item list of a department. Publishing is a department write (L4);
 * reading is public, because the list is published automatically (P2 自动公示).
 */
export const itemListRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const db = deps.projections.db;

    app.post(
      '/departments/:departmentId/item-list/versions',
      {
        onRequest: requireAction('itemList.publish'),
        schema: {
          tags,
          summary: 'L1/L2 publish a new version of the whole list 发布事项清单新版本',
          headers: idempotencyHeaders,
          params: departmentParams,
          body: omitProperties(publishItemListSchema, ['departmentId']),
          response: writeResponses,
        },
      },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'PublishItemList', data: { ...request.body, departmentId: request.params.departmentId }, metadata }), true);
        return reply.status(r.status).send(r.body);
      },
    );

    app.get(
      '/departments/:departmentId/item-list',
      { schema: { tags, summary: 'L1 current version (public) 现行清单', security: [], params: departmentParams, response: { 200: versionSchema, ...errorResponses } } },
      async (request) => {
        const row = db.prepare(`${SELECT} WHERE department_id = ? ORDER BY version DESC LIMIT 1`).get(request.params.departmentId) as VersionRow | undefined;
        if (!row) throw notFound('抽查事项清单 item list', request.params.departmentId);
        return full(row);
      },
    );

    app.get(
      '/departments/:departmentId/item-list/versions',
      { schema: { tags, summary: 'L1 every published version, newest first (public) 历次版本', security: [], params: departmentParams, response: { 200: versionList, ...errorResponses } } },
      async (request) => {
        const rows = db.prepare(`${SELECT} WHERE department_id = ? ORDER BY version DESC`).all(request.params.departmentId) as VersionRow[];
        return { items: rows.map(summary) };
      },
    );

    app.get(
      '/departments/:departmentId/item-list/versions/:version',
      { schema: { tags, summary: 'L1 one version (public) 指定版本', security: [], params: versionParams, response: { 200: versionSchema, ...errorResponses } } },
      async (request) => full(versionRow(db, request.params.departmentId, Number(request.params.version))),
    );

    app.get(
      '/departments/:departmentId/item-list/diff',
      { schema: { tags, summary: 'L1 what changed between two versions (public) 版本对比', security: [], params: departmentParams, querystring: diffQuery, response: { 200: diffSchema, ...errorResponses } } },
      async (request) => {
        const { departmentId } = request.params;
        const from = Number(request.query.from);
        const to = Number(request.query.to);
        const before = from === 0 ? [] : full(versionRow(db, departmentId, from)).items;
        const after = full(versionRow(db, departmentId, to)).items;
        const d = diffItemLists(before, after);
        return { departmentId, from, to, added: [...d.added], removed: [...d.removed], changed: d.changed.map((c) => ({ ...c, fields: [...c.fields] })) };
      },
    );
  };
