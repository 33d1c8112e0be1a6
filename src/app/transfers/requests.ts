/** Request shapes of the transfer routes (E8), shared by HTTP and the CLI. */
import type { FromSchema } from 'json-schema-to-ts';
import { idSchema, reasonSchema } from '../../domain/registers/schemas.js';

export const proposeTransferSchema = { type: 'object', additionalProperties: false, required: ['toUnit', 'reason'], properties: { toUnit: idSchema, reason: reasonSchema } } as const;
export type ProposeTransferRequest = FromSchema<typeof proposeTransferSchema>;
const member = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const acceptTransferSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['leader', 'members'],
  properties: { leader: member, members: { type: 'array', minItems: 2, maxItems: 50, items: member } },
} as const;
export type AcceptTransferRequest = FromSchema<typeof acceptTransferSchema>;
export const transferWriteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'streamId', 'events', 'position', 'replayed'],
  properties: { visitId: { type: 'string' }, streamId: { type: 'string' }, events: { type: 'array', items: { type: 'string' } }, position: { type: ['integer', 'null'] }, replayed: { type: 'boolean' } },
} as const;
