import type { FastifyPluginAsync } from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { TaskService, taskListQuerySchema, taskView, toTaskListQuery, type TaskConfig } from '../../app/tasks/index.js';
import { ratioSchema } from '../../domain/plans/index.js';
import { idSchema, itemCategories, reasonSchema } from '../../domain/registers/schemas.js';
import { lockExclusionSchema, taskClassSchema, taskDraftSchema, taskIdSchema, taskStatuses, taskWindowSchema } from '../../domain/tasks/index.js';
import { listTasks } from '../../projections/tasks/index.js';
import type { AppDeps } from '../deps.js';
import { commandMetadata, errorResponses, freshenReads, idempotencyHeaders, notFound, requireAction, writeStatus } from './registers/common.js';

const params = { type: 'object', additionalProperties: false, required: ['taskId'], properties: { taskId: taskIdSchema } } as const;
const delegateBody = { type: 'object', additionalProperties: false, required: ['delegate', 'reason'], properties: { delegate: idSchema, reason: reasonSchema } } as const;
const lockBody = { type: 'object', additionalProperties: false, required: ['drawId'], properties: { drawId: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

const idList = { type: 'array', items: { type: 'string' } } as const;
const writeResult = {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'events', 'position', 'replayed', 'noticeId'],
  properties: {
    /** The task's number (department code + date + sequence). */
    taskId: { type: 'string' },
    events: idList,
    position: { type: ['integer', 'null'] },
    replayed: { type: 'boolean' },
    /** P2: the task notice a dispatch published (GET /notices/{noticeId}). */
    noticeId: { type: ['string', 'null'] },
  },
} as const;
const writeResponses = { 200: writeResult, 201: writeResult, ...errorResponses } as const;

const nullableRatio = { anyOf: [ratioSchema, { type: 'null' }] } as const;
const assignment = { type: 'object', additionalProperties: false, required: ['executingUnit', 'targets'], properties: { executingUnit: { type: 'string' }, targets: idList } } as const;
const taskSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'taskId', 'departmentId', 'name', 'year', 'items', 'directional', 'classes', 'window', 'executingUnits', 'publishList', 'adHoc', 'adHocReason',
    'planVersion', 'basis', 'status', 'executingDepartment', 'delegation', 'locked', 'assignments',
  ],
  properties: {
    taskId: { type: 'string' },
    departmentId: { type: 'string' },
    name: { type: 'string' },
    year: { type: 'integer' },
    items: idList,
    directional: { type: 'boolean' },
    classes: { type: 'array', items: taskClassSchema },
    window: taskWindowSchema,
    executingUnits: idList,
    /** T1/joint: participating departments (absent: not a joint task). */
    participants: idList,
    publishList: { type: 'boolean' },
    adHoc: { type: 'boolean' },
    adHocReason: { type: ['string', 'null'] },
    planVersion: { type: ['integer', 'null'] },
    basis: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['itemId', 'category', 'maxRatio', 'planMaxRatio'],
        properties: { itemId: { type: 'string' }, category: { enum: itemCategories }, maxRatio: nullableRatio, planMaxRatio: nullableRatio },
      },
    },
    status: { enum: taskStatuses },
    /** T1: the accepted delegate, else the task's department. */
    executingDepartment: { type: 'string' },
    delegation: {
      anyOf: [
        { type: 'null' },
        { type: 'object', additionalProperties: false, required: ['delegate', 'reason', 'accepted'], properties: { delegate: { type: 'string' }, reason: { type: 'string' }, accepted: { type: 'boolean' } } },
      ],
    },
    locked: {
      anyOf: [
        { type: 'null' },
        // PL5 (issue 9): `excluded` lists the drawn entities the lock left out at the cap; without it here the serializer matched no branch.
        { type: 'object', additionalProperties: false, required: ['drawId', 'drawIds', 'targets', 'excluded'], properties: { drawId: { type: 'string' }, drawIds: idList, targets: idList, excluded: { type: 'array', items: lockExclusionSchema } } },
      ],
    },
    assignments: { anyOf: [{ type: 'null' }, { type: 'array', items: assignment }] },
  },
} as const;

const nullableInt = { type: ['integer', 'null'] } as const;
/** One row of GET /tasks (src/projections/tasks TaskSummary). */
const taskSummarySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'departmentId', 'name', 'year', 'items', 'directional', 'adHoc', 'window', 'executingUnits', 'participants', 'delegation', 'status', 'locked', 'dispatched', 'positions'],
  properties: {
    taskId: { type: 'string' },
    departmentId: { type: 'string' },
    name: { type: 'string' },
    year: { type: 'integer' },
    items: idList,
    directional: { type: 'boolean' },
    adHoc: { type: 'boolean' },
    window: taskWindowSchema,
    executingUnits: idList,
    participants: idList,
    delegation: {
      anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['delegate', 'accepted'], properties: { delegate: { type: 'string' }, accepted: { type: 'boolean' } } }],
    },
    status: { enum: taskStatuses },
    /** T4: the draw the locked list comes from and how many targets it holds. */
    locked: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['drawId', 'count'], properties: { drawId: { type: 'string' }, count: { type: 'integer' } } }] },
    /** T4: targets per executing unit. */
    dispatched: {
      anyOf: [
        { type: 'null' },
        { type: 'array', items: { type: 'object', additionalProperties: false, required: ['executingUnit', 'targets'], properties: { executingUnit: { type: 'string' }, targets: { type: 'integer' } } } },
      ],
    },
    /** Ledger positions of the creation, the lock and the dispatch. */
    positions: { type: 'object', additionalProperties: false, required: ['created', 'locked', 'dispatched'], properties: { created: { type: 'integer' }, locked: nullableInt, dispatched: nullableInt } },
  },
} as const;
const taskListSchema = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: taskSummarySchema } } } as const;

const tags = ['tasks 抽查任务'];

export interface TaskRouteOptions {
  readonly config?: TaskConfig;
}

/**
 * T1–T4, PL6: tasks. An operator or principal of the department creates one under its plan in
 * force (or ad hoc); its principal delegates it to a lower department, whose principal accepts;
 * after the task's target draw completed, its principal locks the list and dispatches it, which
 * publishes the task notice (P2). Reads need a token; the public sees the notice.
 */
export const taskRoutes =
  (deps: AppDeps, options: TaskRouteOptions = {}): FastifyPluginAsync =>
  async (base) => {
    const app = base.withTypeProvider<JsonSchemaToTsProvider>();
    const service = new TaskService({ store: deps.store, projections: deps.projections, ...(options.config && { config: options.config }) });
    freshenReads(base, deps);

    app.post(
      '/tasks',
      {
        onRequest: requireAction('task.create'),
        schema: { tags, summary: 'T2/PL6 create a task under the plan in force, or ad hoc 建立抽查任务', headers: idempotencyHeaders, body: taskDraftSchema, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.create(commandMetadata(request), request.body);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/tasks/:taskId/delegation',
      {
        onRequest: requireAction('task.confirm'),
        schema: { tags, summary: 'T1 delegate execution to a lower department 委托下级部门实施', headers: idempotencyHeaders, params, body: delegateBody, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.delegate(commandMetadata(request), request.params.taskId, request.body.delegate, request.body.reason);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/tasks/:taskId/delegation/acceptance',
      {
        onRequest: requireAction('task.confirm'),
        schema: { tags, summary: 'T1 the lower department\'s principal accepts 下级部门接受委托', headers: idempotencyHeaders, params, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.accept(commandMetadata(request), request.params.taskId);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/tasks/:taskId/lock',
      {
        onRequest: requireAction('task.confirm'),
        schema: { tags, summary: 'T4 confirm and lock the drawn list 确认并锁定名单', headers: idempotencyHeaders, params, body: lockBody, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.lock(commandMetadata(request), request.params.taskId, request.body.drawId);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.post(
      '/tasks/:taskId/dispatch',
      {
        onRequest: requireAction('task.confirm'),
        schema: { tags, summary: 'T4/P2 dispatch to the executing units and publish the task notice 下发并公告', headers: idempotencyHeaders, params, response: writeResponses },
      },
      async (request, reply) => {
        const r = await service.dispatch(commandMetadata(request), request.params.taskId);
        return reply.status(writeStatus(r)).send(r);
      },
    );

    app.get(
      '/tasks',
      {
        onRequest: requireAction('task.read'),
        schema: { tags, summary: 'T1–T4/PL6 tasks by department, year, status, ad hoc or executing unit, in task-number order 抽查任务列表', querystring: taskListQuerySchema, response: { 200: taskListSchema, ...errorResponses } },
      },
      async (request) => ({ items: listTasks(deps.projections.db, toTaskListQuery(request.query)) }),
    );

    app.get(
      '/tasks/:taskId',
      { onRequest: requireAction('task.read'), schema: { tags, summary: 'T1–T4 one task: its classes, delegation, locked list, assignments 抽查任务', params, response: { 200: taskSchema, ...errorResponses } } },
      async (request) => {
        const { state } = await service.state(request.params.taskId);
        if (!state.exists) throw notFound('抽查任务 task', request.params.taskId);
        return taskView(state);
      },
    );
  };
