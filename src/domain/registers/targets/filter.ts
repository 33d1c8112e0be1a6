import type { FromSchema } from 'json-schema-to-ts';
import { entityTypes, idSchema, industryPrefixSchema, levels, regionSchema, scales, targetStatuses } from '../schemas.js';
import { compileValidator } from '../validate.js';
import type { TargetRecord } from './events.js';

const anyOf = <const E extends readonly string[]>(values: E) => ({ type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: { enum: values } }) as const;

/**
 * Attribute criteria of a target (T3 directional draw, L4 classification indicators).
 *
 * Semantics (docs/registers.md "Filter semantics"):
 * - AND across fields, OR within one field's list.
 * - An absent field is no constraint. An empty list is refused by the schema (minItems 1):
 *   "no constraint" and "matches nothing" must never be confused in a lottery pool.
 * - `industry`: GB/T 4754 prefixes; 'F' matches the whole section, 'F52' a division,
 *   'F5265' one class. A target matches if its code starts with any prefix.
 * - `region`, `entityType`, `scale`, `riskLevel`, `creditLevel`: exact values.
 * - booleans: `dishonest: true` only dishonest targets, `false` only not dishonest.
 * - `minComplaints`: complaintCount ≥ n.
 */
export const attributeProperties = {
  entityType: anyOf(entityTypes),
  scale: anyOf(scales),
  industry: { type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: industryPrefixSchema },
  region: { type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: regionSchema },
  riskLevel: anyOf(levels),
  creditLevel: anyOf(levels),
  dishonest: { type: 'boolean' },
  abnormalOperation: { type: 'boolean' },
  keyIndustry: { type: 'boolean' },
  minComplaints: { type: 'integer', minimum: 0, maximum: 1000000 },
} as const;

/** Indicators of a special register's standard: attributes only. */
export const indicatorsSchema = { type: 'object', additionalProperties: false, properties: attributeProperties } as const;

/**
 * A pool filter. Beyond the attributes:
 * - `status`: absent means ['active'] — a pool only holds active targets unless asked otherwise.
 * - `specialRegister`: the target is currently a member of that special register.
 * - `jurisdiction`: department ids.
 */
export const targetFilterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...attributeProperties,
    status: anyOf(targetStatuses),
    specialRegister: idSchema,
    jurisdiction: { type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: idSchema },
  },
} as const;

export type TargetIndicators = FromSchema<typeof indicatorsSchema>;
export type TargetFilter = FromSchema<typeof targetFilterSchema>;

export const parseTargetFilter = compileValidator<TargetFilter>(targetFilterSchema, 'target filter');
export const parseIndicators = compileValidator<TargetIndicators>(indicatorsSchema, 'register standard indicators');

export const DEFAULT_POOL_STATUS: readonly TargetRecord['status'][] = ['active'];

const inList = <T>(list: readonly T[] | undefined, v: T): boolean => list === undefined || list.includes(v);

/** The first indicator the target fails, or null when it meets all of them. */
export function failedIndicator(t: TargetRecord, f: TargetIndicators): keyof TargetIndicators | null {
  if (!inList(f.entityType, t.entityType)) return 'entityType';
  if (!inList(f.scale, t.scale)) return 'scale';
  if (f.industry !== undefined && !f.industry.some((p) => t.industry.startsWith(p))) return 'industry';
  if (!inList(f.region, t.region)) return 'region';
  if (!inList(f.riskLevel, t.riskLevel)) return 'riskLevel';
  if (!inList(f.creditLevel, t.creditLevel)) return 'creditLevel';
  if (f.dishonest !== undefined && f.dishonest !== t.flags.dishonest) return 'dishonest';
  if (f.abnormalOperation !== undefined && f.abnormalOperation !== t.flags.abnormalOperation) return 'abnormalOperation';
  if (f.keyIndustry !== undefined && f.keyIndustry !== t.flags.keyIndustry) return 'keyIndustry';
  if (f.minComplaints !== undefined && t.flags.complaintCount < f.minComplaints) return 'minComplaints';
  return null;
}

/** The reference semantics of a pool filter; the SQL in src/projections/registers must agree (tested). */
export function matchesTargetFilter(t: TargetRecord, specialRegisters: readonly string[], f: TargetFilter): boolean {
  if (!(f.status ?? DEFAULT_POOL_STATUS).includes(t.status)) return false;
  if (f.specialRegister !== undefined && !specialRegisters.includes(f.specialRegister)) return false;
  if (!inList(f.jurisdiction, t.jurisdiction)) return false;
  return failedIndicator(t, f) === null;
}
