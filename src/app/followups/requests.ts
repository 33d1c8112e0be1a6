/** Request shapes of the follow-up routes (E9), shared by HTTP and the CLI. */
import type { FromSchema } from 'json-schema-to-ts';
import { followUpKinds } from '../../domain/followups/index.js';
import { idSchema, reasonSchema, textSchema } from '../../domain/registers/schemas.js';

const visitId = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const openFollowUpSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'itemId', 'kind'],
  properties: { visitId, itemId: idSchema, kind: { enum: followUpKinds }, handledBy: textSchema, caseNumber: textSchema, note: reasonSchema },
} as const;
export type OpenFollowUpRequest = FromSchema<typeof openFollowUpSchema>;
export const updateFollowUpSchema = { type: 'object', additionalProperties: false, required: ['status', 'note'], properties: { status: textSchema, note: reasonSchema } } as const;
export const closeFollowUpSchema = { type: 'object', additionalProperties: false, required: ['outcome'], properties: { outcome: reasonSchema } } as const;
export const followUpParamsSchema = { type: 'object', additionalProperties: false, required: ['followUpId'], properties: { followUpId: { type: 'string', minLength: 1, maxLength: 300 } } } as const;
export const followUpListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { unit: idSchema, visitId, status: { enum: ['open', 'closed'] }, after: { type: 'string', maxLength: 300 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
} as const;
export const followUpWriteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['followUpId', 'streamId', 'events', 'position', 'replayed'],
  properties: { followUpId: { type: 'string' }, streamId: { type: 'string' }, events: { type: 'array', items: { type: 'string' } }, position: { type: ['integer', 'null'] }, replayed: { type: 'boolean' } },
} as const;
const nullStr = { type: ['string', 'null'] } as const;
export const followUpViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['followUpId', 'visitId', 'itemId', 'kind', 'executingUnit', 'resultCategory', 'handledBy', 'caseNumber', 'openedBy', 'openedOn', 'status', 'updates', 'closed'],
  properties: {
    followUpId: { type: 'string' }, visitId: { type: 'string' }, itemId: { type: 'string' }, kind: { type: 'string' }, executingUnit: { type: 'string' }, resultCategory: { type: 'string' },
    handledBy: nullStr, caseNumber: nullStr, openedBy: { type: 'string' }, openedOn: { type: 'string' }, status: { type: 'string' },
    updates: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['status', 'note', 'by', 'on'], properties: { status: { type: 'string' }, note: { type: 'string' }, by: { type: 'string' }, on: { type: 'string' } } } },
    closed: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['outcome', 'by', 'on'], properties: { outcome: { type: 'string' }, by: { type: 'string' }, on: { type: 'string' } } }] },
  },
} as const;
