import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FromSchema } from 'json-schema-to-ts';
import {
  departmentFieldsSchema,
  departmentHierarchyProblem,
  departmentStreamId,
  idSchema,
  registerDepartmentSchema,
  updateDepartmentSchema,
} from '../../../domain/registers/index.js';
import { departmentParents } from '../../../projections/registers/index.js';
import type { AppDeps } from '../../deps.js';
import { catchUpToHead, errorResponses, execute, idempotencyHeaders, notFound, requireAction, requireRead, writeResponses } from './common.js';
import { historySchema, readHistory } from './history.js';
import { omitProperties } from './schema-tools.js';

export const departmentParams = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId'],
  properties: { departmentId: idSchema },
} as const;

const departmentList = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: departmentFieldsSchema } } } as const;
type Department = FromSchema<typeof departmentFieldsSchema>;

interface DepartmentRow {
  department_id: string;
  name: string;
  kind: Department['kind'];
  parent_department: string | null;
  region_code: string;
  neighbouring_regions: string;
}

// Rows were written from catalogue-validated events (src/projections/registers/departments.ts).
const toDepartment = (r: DepartmentRow): Department => ({
  departmentId: r.department_id,
  name: r.name,
  kind: r.kind,
  parentDepartment: r.parent_department,
  regionCode: r.region_code,
  neighbouringRegions: JSON.parse(r.neighbouring_regions) as Department['neighbouringRegions'],
});

const tags = ['departments 部门'];

/**
 * G3: the chart stays a tree (parent registered, no cycle). The decider sees one stream only,
 * so the check runs here against the read model, brought up to date first.
 */
async function checkHierarchy(deps: AppDeps, departmentId: string, parent: string | null | undefined, field: string): Promise<void> {
  if (parent === undefined || parent === null) return;
  await catchUpToHead(deps);
  const problem = departmentHierarchyProblem(departmentParents(deps.projections.db), departmentId, parent, field);
  if (problem) throw problem;
}

/** G3: the organisation chart. Admins manage it; every signed-in role reads it. */
export const departmentRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const db = deps.projections.db;
    const headers = idempotencyHeaders;
    const onRequest = requireAction('department.manage');
    const read = requireRead('register.read');

    app.post('/departments', { onRequest, schema: { tags, summary: 'G3 register a department 新增部门', headers, body: registerDepartmentSchema, response: writeResponses } }, async (request, reply) => {
      await checkHierarchy(deps, request.body.departmentId, request.body.parentDepartment, '/parentDepartment');
      const r = await execute(deps, request, (metadata) => ({ type: 'RegisterDepartment', data: request.body, metadata }), true);
      return reply.status(r.status).send(r.body);
    });

    app.patch(
      '/departments/:departmentId',
      { onRequest, schema: { tags, summary: 'G3 change a department 修改部门', headers, params: departmentParams, body: omitProperties(updateDepartmentSchema, ['departmentId']), response: writeResponses } },
      async (request, reply) => {
        await checkHierarchy(deps, request.params.departmentId, request.body.changes.parentDepartment, '/changes/parentDepartment');
        const r = await execute(deps, request, (metadata) => ({ type: 'UpdateDepartment', data: { ...request.body, departmentId: request.params.departmentId }, metadata }));
        return reply.status(r.status).send(r.body);
      },
    );

    app.get('/departments', { onRequest: read, schema: { tags, summary: 'G3 list departments 部门列表', response: { 200: departmentList, ...errorResponses } } }, async () => {
      const rows = db.prepare('SELECT * FROM reg_departments ORDER BY department_id').all() as DepartmentRow[];
      return { items: rows.map(toDepartment) };
    });

    app.get(
      '/departments/:departmentId',
      { onRequest: read, schema: { tags, summary: 'G3 one department 部门信息', params: departmentParams, response: { 200: departmentFieldsSchema, ...errorResponses } } },
      async (request) => {
        const row = db.prepare('SELECT * FROM reg_departments WHERE department_id = ?').get(request.params.departmentId) as DepartmentRow | undefined;
        if (!row) throw notFound('部门 department', request.params.departmentId);
        return toDepartment(row);
      },
    );

    app.get(
      '/departments/:departmentId/history',
      { onRequest: read, schema: { tags, summary: 'P1 event history 变更记录', params: departmentParams, response: { 200: historySchema, ...errorResponses } } },
      async (request) => readHistory(deps, departmentStreamId(request.params.departmentId), '部门 department', request.params.departmentId),
    );
  };
