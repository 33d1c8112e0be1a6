import type { FromSchema } from 'json-schema-to-ts';
import { dateSchema, idSchema, personStatuses, regionSchema, textSchema, usccSchema } from '../schemas.js';
import { compileValidator } from '../validate.js';
import type { InspectorRecord } from './events.js';

const list = <const S extends object>(items: S) => ({ type: 'array', minItems: 1, maxItems: 500, uniqueItems: true, items }) as const;

/**
 * Inspector pool filter (T9, T10). AND across fields, OR within a list; absent = no
 * constraint; empty lists refused (as for targets).
 * - `qualifiedOn`: validFrom ≤ date ≤ validTo (both inclusive). A draw MUST pass it (T9).
 * - `status`: absent means ['active'].
 * - `expertise`: the inspector has at least one of the listed fields.
 * - `notConflictedWith`: drops inspectors who declared a conflict with any listed target (T10 回避).
 */
export const inspectorFilterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    qualifiedOn: dateSchema,
    status: list({ enum: personStatuses }),
    department: list(idSchema),
    region: list(regionSchema),
    expertise: list(textSchema),
    notConflictedWith: list(usccSchema),
  },
} as const;
export type InspectorFilter = FromSchema<typeof inspectorFilterSchema>;
export const parseInspectorFilter = compileValidator<InspectorFilter>(inspectorFilterSchema, 'inspector filter');

/** Expert pool filter (L5): the same fields minus qualification. */
export const expertFilterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: inspectorFilterSchema.properties.status,
    department: inspectorFilterSchema.properties.department,
    region: inspectorFilterSchema.properties.region,
    expertise: inspectorFilterSchema.properties.expertise,
    notConflictedWith: inspectorFilterSchema.properties.notConflictedWith,
  },
} as const;
export type ExpertFilter = FromSchema<typeof expertFilterSchema>;
export const parseExpertFilter = compileValidator<ExpertFilter>(expertFilterSchema, 'expert filter');

export const DEFAULT_PERSON_STATUS: readonly InspectorRecord['status'][] = ['active'];

interface Person {
  readonly department: string;
  readonly region: string;
  readonly expertise: readonly string[];
  readonly status: InspectorRecord['status'];
}

/** Shared by inspectors and experts. */
export function matchesPersonFilter(p: Person, conflicts: readonly string[], f: ExpertFilter): boolean {
  if (!(f.status ?? DEFAULT_PERSON_STATUS).includes(p.status)) return false;
  if (f.department && !f.department.includes(p.department)) return false;
  if (f.region && !f.region.includes(p.region)) return false;
  if (f.expertise && !f.expertise.some((e) => p.expertise.includes(e))) return false;
  if (f.notConflictedWith && f.notConflictedWith.some((u) => conflicts.includes(u))) return false;
  return true;
}

/** Reference semantics of the inspector pool; the SQL query must agree (tested). */
export function matchesInspectorFilter(i: InspectorRecord, conflicts: readonly string[], f: InspectorFilter): boolean {
  const { qualifiedOn, ...rest } = f;
  if (qualifiedOn !== undefined && !(i.qualification.validFrom <= qualifiedOn && qualifiedOn <= i.qualification.validTo)) return false;
  return matchesPersonFilter(i, conflicts, rest);
}
