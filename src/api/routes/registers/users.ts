import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { authorize } from '../../../domain/access.js';
import { changeUserRoleSchema, deactivateUserSchema, idSchema, registerUserSchema, userFieldsSchema, userStreamId } from '../../../domain/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { actorOf } from '../../auth.js';
import { errorResponses, execute, idempotencyHeaders, notFound, requireAction, requireActor, writeResponses } from './common.js';
import { historySchema, readHistory } from './history.js';
import { omitProperties } from './schema-tools.js';

const userParams = { type: 'object', additionalProperties: false, required: ['userId'], properties: { userId: idSchema } } as const;
const userQuery = { type: 'object', additionalProperties: false, properties: { department: idSchema } } as const;
const userSchema = {
  ...userFieldsSchema,
  required: [...userFieldsSchema.required, 'active'],
  properties: { ...userFieldsSchema.properties, active: { type: 'boolean' } },
} as const;
const userList = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: userSchema } } } as const;

interface UserRow {
  user_id: string;
  name: string;
  role: 'operator' | 'principal' | 'inspector' | 'auditor' | 'admin';
  department: string;
  active: number;
}
const toUser = (r: UserRow) => ({ userId: r.user_id, name: r.name, role: r.role, department: r.department, active: r.active === 1 });

/**
 * G3: which departments' users the actor may list. Asked for one department: that one, if
 * allowed. Otherwise everything when the role reads all users, else the actor's own department.
 */
function userScope(request: FastifyRequest, wanted: string | undefined): string | null {
  const actor = actorOf(request);
  if (wanted !== undefined) {
    const denied = authorize(actor, 'user.read', { department: wanted });
    if (denied) throw denied;
    return wanted;
  }
  if (authorize(actor, 'user.read') === null) return null;
  const denied = authorize(actor, 'user.read', { department: actor.department });
  if (denied) throw denied;
  return actor.department;
}

const tags = ['users 用户'];

/** G3/P1: users (every actor in the ledger is one). Admins manage them. */
export const userRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const db = deps.projections.db;
    const headers = idempotencyHeaders;
    const onRequest = requireAction('user.manage');

    app.post('/users', { onRequest, schema: { tags, summary: 'G3 register a user 新增用户', headers, body: registerUserSchema, response: writeResponses } }, async (request, reply) => {
      const r = await execute(deps, request, (metadata) => ({ type: 'RegisterUser', data: request.body, metadata }), true);
      return reply.status(r.status).send(r.body);
    });

    app.put(
      '/users/:userId/role',
      { onRequest, schema: { tags, summary: 'G3 change role or department 变更角色', headers, params: userParams, body: omitProperties(changeUserRoleSchema, ['userId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'ChangeUserRole', data: { ...request.body, userId: request.params.userId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.post(
      '/users/:userId/deactivation',
      { onRequest, schema: { tags, summary: 'G3 deactivate 停用用户', headers, params: userParams, body: omitProperties(deactivateUserSchema, ['userId']), response: writeResponses } },
      async (request, reply) => {
        const r = await execute(deps, request, (metadata) => ({ type: 'DeactivateUser', data: { ...request.body, userId: request.params.userId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.get('/users', { onRequest: requireActor, schema: { tags, summary: 'G3 list users (own department for operators) 用户列表', querystring: userQuery, response: { 200: userList, ...errorResponses } } }, async (request) => {
      const scope = userScope(request, request.query.department);
      const rows = (
        scope === null
          ? db.prepare('SELECT * FROM reg_users ORDER BY user_id').all()
          : db.prepare('SELECT * FROM reg_users WHERE department = ? ORDER BY user_id').all(scope)
      ) as UserRow[];
      return { items: rows.map(toUser) };
    });

    app.get('/users/:userId/history', { onRequest: requireActor, schema: { tags, summary: 'P1 event history 变更记录', params: userParams, response: { 200: historySchema, ...errorResponses } } }, async (request) => {
      const { userId } = request.params;
      const row = db.prepare('SELECT department FROM reg_users WHERE user_id = ?').get(userId) as { department: string } | undefined;
      const denied = authorize(actorOf(request), 'user.read', row ? { department: row.department } : {});
      if (denied) throw denied;
      if (!row) throw notFound('用户 user', userId);
      return readHistory(deps, userStreamId(userId), '用户 user', userId);
    });
  };
