/** Request shapes of visit matching (T6–T8, T10), shared by the HTTP routes and the CLI. */
import type { FromSchema } from 'json-schema-to-ts';
import { commitInspectorGroupsSchema } from '../draws/requests.js';
import { idSchema, reasonSchema } from '../../domain/registers/schemas.js';
import { visitReplacementReasons } from '../../domain/visits/index.js';

/** `<unit>-<YYYYMMDD>-<uscc>[-<k>]` (src/domain/visits/merge.ts, rules 5 and 7). */
export const visitIdSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}-\\d{8}-[0-9A-Z]{18}(-[1-9][0-9]{0,5})?$' } as const;
const memberId = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** The path of `POST /visits/matchings/:drawId/application` (and `suiji visit apply DRAW_ID`). */
export const matchingDrawParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['drawId'],
  properties: { drawId: { type: 'string', minLength: 1, maxLength: 300 } },
} as const;

/** The path of `POST /visits/:visitId/replacements/:request/approval` (and `suiji visit approve ID N`): N as the path gives it. */
export const replacementRequestParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'request'],
  properties: { visitId: visitIdSchema, request: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } },
} as const;
const { task: _task, ...groupProperties } = commitInspectorGroupsSchema.properties;

/** T6: a matching draw over explicit visits of the department (the executing unit, or a joint task's participant). */
export const commitMatchingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visits', 'inspectors', 'groupSize', 'maxLoad', 'entropy', 'revealDeadline'],
  properties: {
    /** The contributing department; the caller's own when absent (admin names it). */
    department: idSchema,
    visits: { type: 'array', minItems: 1, maxItems: 500, uniqueItems: true, items: visitIdSchema },
    ...groupProperties,
  },
} as const;
export type CommitMatchingRequest = FromSchema<typeof commitMatchingSchema>;

/** T8/T7: a direct assignment of the department's group, with the reason. */
export const assignVisitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['leader', 'members', 'reason'],
  properties: {
    department: idSchema,
    leader: memberId,
    members: { type: 'array', minItems: 1, maxItems: 20, items: memberId },
    experts: { type: 'array', maxItems: 20, uniqueItems: true, items: memberId },
    reason: reasonSchema,
  },
} as const;
export type AssignVisitRequest = FromSchema<typeof assignVisitSchema>;

/** T10: which member, and why (post change, work conflict, health). */
export const requestReplacementSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['member', 'reason'],
  properties: { member: memberId, reason: { enum: visitReplacementReasons } },
} as const;
export type RequestReplacementRequest = FromSchema<typeof requestReplacementSchema>;
