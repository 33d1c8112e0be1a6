/**
 * Schema fragments of the annual plan (PL1–PL4): one `as const` source for Ajv validation and
 * the TypeScript types (STYLE habit 1).
 */
import { dateSchema, idSchema, levels, reasonSchema, regionSchema } from '../registers/schemas.js';
import { targetFilterSchema } from '../registers/targets/filter.js';

const u32 = { type: 'integer', minimum: 0, maximum: 4294967295 } as const;

/**
 * An exact ratio numerator/denominator, as the lottery's quotas are (spec §3.3, V5: never a
 * float), so a task can take a plan ratio into a draw unchanged. ≤ 1 is checked by the decider.
 */
export const ratioSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['numerator', 'denominator'],
  properties: { numerator: u32, denominator: { type: 'integer', minimum: 1, maximum: 4294967295 } },
} as const;

export const riskClasses = levels;
export const creditClasses = [...levels, 'dishonest'] as const;

const riskRatiosSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['A', 'B', 'C', 'D'],
  properties: { A: ratioSchema, B: ratioSchema, C: ratioSchema, D: ratioSchema },
} as const;
const creditRatiosSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['A', 'B', 'C', 'D', 'dishonest'],
  properties: { A: ratioSchema, B: ratioSchema, C: ratioSchema, D: ratioSchema, dishonest: ratioSchema },
} as const;

/** PL3: one planned item — scope, window, estimated count, ratios, unified share, regional weights. */
export const planItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'scope', 'window', 'estimatedCount', 'ratio', 'riskRatios', 'creditRatios', 'unifiedShare', 'regionalWeights'],
  properties: {
    /** An item of the unified list whose inspecting body is the planning department. */
    itemId: idSchema,
    /** The target filter a task of this item draws from (the same schema the draws use). */
    scope: targetFilterSchema,
    /** Schedule window, inclusive dates of the plan's year. */
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: { from: dateSchema, to: dateSchema },
    },
    estimatedCount: { type: 'integer', minimum: 0, maximum: 10000000 },
    /** The item's sampling ratio; for a general item ≤ the item's cap (L2, A4). */
    ratio: ratioSchema,
    /** PL4: per risk level A (low) … D (high); never lower for a higher risk. */
    riskRatios: riskRatiosSchema,
    /** PL4: per credit level A … D and dishonest (失信); never lower for worse credit, dishonest highest. */
    creditRatios: creditRatiosSchema,
    /** Share of the item's work done in provincial/city unified tasks (省市统一部署). */
    unifiedShare: ratioSchema,
    /** Regional weights in basis points summing to 10000; empty when the item is not weighted by region. */
    regionalWeights: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['region', 'weightBp'],
        properties: { region: regionSchema, weightBp: { type: 'integer', minimum: 1, maximum: 10000 } },
      },
    },
  },
} as const;

export const planYearSchema = { type: 'integer', minimum: 2000, maximum: 2100 } as const;

/** PL1/PL3: what the department drafts: the whole plan version, with why it was made or changed. */
export const planDraftSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'year', 'items', 'reason'],
  properties: {
    departmentId: idSchema,
    year: planYearSchema,
    items: { type: 'array', maxItems: 1000, items: planItemSchema },
    reason: reasonSchema,
  },
} as const;

export const planStatuses = ['draft', 'filed', 'acknowledged', 'returned'] as const;
