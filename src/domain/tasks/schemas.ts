/**
 * Schema fragments of a task (抽查任务, T1–T4, PL6): one `as const` source for Ajv validation and
 * the TypeScript types (STYLE habit 1).
 */
import { dateSchema, idSchema, reasonSchema, textSchema } from '../registers/schemas.js';
import { targetFilterSchema } from '../registers/targets/filter.js';
import { ratioSchema } from '../plans/schemas.js';

const u32 = { type: 'integer', minimum: 0, maximum: 4294967295 } as const;

/** A count, or an exact ratio (V5: never a float) — the lottery's quota shape (spec §3.3). */
export const taskQuotaSchema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['count'], properties: { count: u32 } },
    { type: 'object', additionalProperties: false, required: ['ratio'], properties: { ratio: ratioSchema } },
  ],
} as const;

/** T3: one target class of the task — the pool filter and its quota; the draw takes it unchanged. */
export const taskClassSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'filter', 'quota'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, filter: targetFilterSchema, quota: taskQuotaSchema },
} as const;

export const taskWindowSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: dateSchema, to: dateSchema },
} as const;

/** T2/PL6: what the department asks for when it creates a task; the number is allocated by the system. */
export const taskDraftSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'name', 'items', 'directional', 'classes', 'window', 'executingUnits', 'publishList'],
  properties: {
    departmentId: idSchema,
    name: textSchema,
    /** Items of the department's plan in force (or, ad hoc, of its current list). */
    items: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: idSchema },
    /** T3: false = the whole register (no attribute filter), true = filtered classes. */
    directional: { type: 'boolean' },
    classes: { type: 'array', minItems: 1, maxItems: 50, items: taskClassSchema },
    window: taskWindowSchema,
    /** T4: units the drawn targets are dispatched to, by jurisdiction. */
    executingUnits: { type: 'array', minItems: 1, maxItems: 200, uniqueItems: true, items: idSchema },
    /** Joint task: participating departments; each contributes inspectors to every visit's group (the task's department leads). */
    participants: { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: idSchema },
    /** Whether the drawn list is published with the task notice (P2). */
    publishList: { type: 'boolean' },
    /** PL6: an ad-hoc (临时) task, outside the plan; it needs `adHocReason`. */
    adHoc: { type: 'boolean' },
    adHocReason: reasonSchema,
  },
} as const;

export const taskIdSchema = idSchema;
export const taskStatuses = ['created', 'locked', 'dispatched'] as const;
