/**
 * The read requests of tasks (T1–T4, PL6) and visits (T5, T6), one schema each, shared by the HTTP
 * routes and the CLI so the two can never accept different input (STYLE: one source of truth per
 * shape), and the one conversion from the query's strings to the read model's query.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { idSchema } from '../../domain/registers/index.js';
import { taskIdSchema, taskStatuses } from '../../domain/tasks/index.js';
import type { TaskListQuery } from '../../projections/tasks/index.js';
import { visitStatuses, type VisitListQuery } from '../../projections/visits/index.js';
import { visitIdSchema } from '../visits/requests.js';

const limitSchema = { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' } as const;
const DEFAULT_LIMIT = 100;

export const taskListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    department: idSchema,
    year: { type: 'string', pattern: '^(20[0-9]{2}|2100)$' },
    status: { enum: taskStatuses },
    /** PL6: `true` lists only ad-hoc tasks, `false` only planned ones. */
    adHoc: { enum: ['true', 'false'] },
    /** T1/T4: tasks this unit executes (one of its executing units, or the accepted delegate). */
    executingUnit: idSchema,
    /** Keyset paging: the `taskId` of the last task of the previous page. */
    after: taskIdSchema,
    limit: limitSchema,
  },
} as const;
export type TaskListRequest = FromSchema<typeof taskListQuerySchema>;

export const toTaskListQuery = (q: TaskListRequest): TaskListQuery => ({
  limit: q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit),
  ...(q.department !== undefined && { department: q.department }),
  ...(q.year !== undefined && { year: Number(q.year) }),
  ...(q.status !== undefined && { status: q.status }),
  ...(q.adHoc !== undefined && { adHoc: q.adHoc === 'true' }),
  ...(q.executingUnit !== undefined && { executingUnit: q.executingUnit }),
  ...(q.after !== undefined && { after: q.after }),
});

export const visitIdParamsSchema = { type: 'object', additionalProperties: false, required: ['visitId'], properties: { visitId: visitIdSchema } } as const;
export const visitListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    unit: idSchema,
    /** T6: matched or unmatched visits only. */
    status: { enum: visitStatuses },
    /** Keyset paging: the `visitId` of the last visit of the previous page. */
    after: visitIdSchema,
    limit: limitSchema,
  },
} as const;
export type VisitListRequest = FromSchema<typeof visitListQuerySchema>;

export const toVisitListQuery = (q: VisitListRequest): VisitListQuery => ({
  limit: q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit),
  ...(q.unit !== undefined && { unit: q.unit }),
  ...(q.status !== undefined && { status: q.status }),
  ...(q.after !== undefined && { after: q.after }),
});
