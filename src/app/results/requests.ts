/** Request shapes of the results routes (E5, P2, E6, E7), shared by HTTP and the CLI. */
import type { FromSchema } from 'json-schema-to-ts';
import { dateSchema, idSchema, longTextSchema, reasonSchema, textSchema, usccSchema } from '../../domain/registers/schemas.js';
import { e8Outcomes, objectionOutcomes, resultStatuses } from '../../domain/results/index.js';
import { sha256Schema } from '../../domain/evidence/index.js';
import { visitIdSchema } from '../visits/requests.js';

const resultInput = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'category'],
  properties: {
    itemId: idSchema,
    /** A category code of the catalogue (GET /results/categories). */
    category: idSchema,
    /** The kind, for a category that has kinds (发现问题待后续处理). */
    kind: idSchema,
    /** 其他违法行为: the field, e.g. 食品安全. */
    detail: textSchema,
  },
} as const;
const results = { type: 'array', minItems: 1, maxItems: 50, items: resultInput } as const;

export const submitResultsSchema = { type: 'object', additionalProperties: false, required: ['results'], properties: { results } } as const;
export type SubmitResultsRequest = FromSchema<typeof submitResultsSchema>;

/** E8: not inspected — the outcome, its basis (what was found, where), optionally an evidence file's hash. */
export const recordOutcomeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['outcome', 'basis'],
  properties: { outcome: { enum: e8Outcomes }, basis: reasonSchema, evidence: sha256Schema },
} as const;
export type RecordOutcomeRequest = FromSchema<typeof recordOutcomeSchema>;

export const reviewResultsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: { enum: ['approve', 'return'] },
    /** Required with `return`. */
    reason: reasonSchema,
    /** 不予公开: approve without publishing, with the reason and the legal basis (E5). */
    exemption: { type: 'object', additionalProperties: false, required: ['reason', 'basis'], properties: { reason: reasonSchema, basis: reasonSchema } },
  },
} as const;
export type ReviewResultsRequest = FromSchema<typeof reviewResultsSchema>;

export const correctResultsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason', 'results'],
  properties: { reason: reasonSchema, results, objection: { type: 'integer', minimum: 1, maximum: 100000 } },
} as const;
export type CorrectResultsRequest = FromSchema<typeof correctResultsSchema>;

const objectionBody = { uscc: usccSchema, contact: textSchema, statement: longTextSchema } as const;
/** Staff record an objection received in writing or in person (E7). */
export const receiveObjectionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'contact', 'statement'],
  properties: { ...objectionBody, receivedOn: dateSchema },
} as const;
export type ReceiveObjectionRequest = FromSchema<typeof receiveObjectionSchema>;

/** The business files on the public site: its credit code, a contact, the statement (E7). */
export const fileObjectionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'uscc', 'contact', 'statement'],
  properties: { visitId: visitIdSchema, ...objectionBody },
} as const;
export type FileObjectionRequest = FromSchema<typeof fileObjectionSchema>;

export const decideObjectionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['outcome', 'reason'],
  properties: { outcome: { enum: objectionOutcomes }, reason: reasonSchema },
} as const;
export type DecideObjectionRequest = FromSchema<typeof decideObjectionSchema>;

export const objectionFeedbackSchema = { type: 'object', additionalProperties: false, required: ['feedback'], properties: { feedback: longTextSchema } } as const;
export type ObjectionFeedbackRequest = FromSchema<typeof objectionFeedbackSchema>;

export const objectionParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['visitId', 'objection'],
  properties: { visitId: visitIdSchema, objection: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } },
} as const;

export const resultListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    unit: idSchema,
    status: { enum: resultStatuses },
    /** `true`: overdue or published late (E5); `false`: on time. */
    overdue: { enum: ['true', 'false'] },
    after: visitIdSchema,
    limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|500)$' },
  },
} as const;
