/** GET /stats request and response schemas (types via json-schema-to-ts). */
import { figureGroups, figureKeys } from '../../domain/stats/index.js';

export const statsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    quarter: { type: 'integer', minimum: 1, maximum: 4 },
    department: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export const statsPositionsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['figure'],
  properties: {
    ...statsQuerySchema.properties,
    figure: { enum: figureKeys },
    offset: { type: 'integer', minimum: 0, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
  },
} as const;

const positionsSchema = { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer' } }] } } as const;

export const figureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'group', 'zh', 'en', 'value', 'denominator', 'provisional', 'positions'],
  properties: {
    key: { enum: figureKeys },
    group: { enum: Object.keys(figureGroups) },
    zh: { type: 'string' },
    en: { type: 'string' },
    value: { type: 'integer' },
    denominator: { type: ['integer', 'null'] },
    provisional: { type: 'boolean' },
    /** Ledger positions counted: sorted, `[a, b]` is a…b. */
    positions: positionsSchema,
  },
} as const;

const departmentStatsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['department', 'figures'],
  properties: { department: { type: 'string' }, figures: { type: 'array', items: figureSchema } },
} as const;

export const statsReportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['period', 'asOf', 'departments', 'total'],
  properties: {
    period: {
      type: 'object',
      additionalProperties: false,
      required: ['year', 'quarter', 'from', 'to'],
      properties: { year: { type: 'integer' }, quarter: { type: ['integer', 'null'] }, from: { type: 'string' }, to: { type: 'string' } },
    },
    asOf: { type: 'string' },
    departments: { type: 'array', items: departmentStatsSchema },
    total: departmentStatsSchema,
  },
} as const;

export const statsPositionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['figure', 'department', 'total', 'offset', 'positions'],
  properties: {
    figure: { type: 'string' },
    department: { type: 'string' },
    /** Positions the figure counts in all. */
    total: { type: 'integer' },
    offset: { type: 'integer' },
    positions: { type: 'array', items: { type: 'integer' } },
  },
} as const;
