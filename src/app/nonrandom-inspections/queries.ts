/**
 * The read requests of non-random inspections (G2), one schema each, shared by the HTTP routes
 * and the CLI so the two can never accept different input (STYLE: one source of truth per shape).
 */
import { nonRandomKinds } from '../../domain/nonrandom-inspections/index.js';
import { idSchema, usccSchema } from '../../domain/registers/index.js';

export const nonRandomYearSchema = { type: 'string', pattern: '^(20[0-9]{2}|2100)$' } as const;

export const nonRandomListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { enum: nonRandomKinds },
    department: idSchema,
    target: usccSchema,
    year: nonRandomYearSchema,
    /** Keyset paging: the `position` of the last record of the previous page. */
    after: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' },
    limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' },
  },
} as const;

export const nonRandomIdParamsSchema = { type: 'object', additionalProperties: false, required: ['inspectionId'], properties: { inspectionId: idSchema } } as const;
