/**
 * Schema fragments of check forms (检查表, E2) and methods (检查方式, E3): one `as const`
 * source for Ajv validation and the TypeScript types (STYLE habit 1).
 */
import { idSchema, inspectionMethods, longTextSchema, reasonSchema, textSchema } from '../registers/schemas.js';

/** A question id, stable within its item across versions, so answers of two versions line up. */
export const questionIdSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;
export const formVersionSchema = { type: 'integer', minimum: 1, maximum: 100000 } as const;

/** conformity: 符合 / 不符合 / 不适用; number: a measured value (with its unit); text: free text. */
export const answerKinds = ['conformity', 'number', 'text'] as const;

export const questionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['questionId', 'text', 'legalBasis', 'answer', 'photoRequired'],
  properties: {
    questionId: questionIdSchema,
    /** The question as the inspector reads it (Chinese). */
    text: longTextSchema,
    /** The clause it checks (法律依据). */
    legalBasis: longTextSchema,
    answer: { enum: answerKinds },
    /** Only with answer = number: the unit the value is in (e.g. 升, ℃). */
    unit: { type: 'string', minLength: 1, maxLength: 20 },
    /** A photo must be attached to the answer (E10 evidence). */
    photoRequired: { type: 'boolean' },
  },
} as const;

/**
 * E3: one method of an item, with what it needs. The fields a kind needs are checked by the
 * decider (checks.ts), so a missing one is a coded error naming the field, not an Ajv oneOf dump.
 */
export const methodSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    /** The glossary's method names (same enum as the item list's `method`). */
    kind: { enum: inspectionMethods },
    /** samplingTest: what it needs (samples, quantities, the test standard) — required. */
    needs: longTextSchema,
    /** samplingTest: the testing body (检验检测机构), when already named. */
    testingBody: textSchema,
    /** reuse: the other authority's document whose conclusion is reused (文书名称、文号) — required. */
    citedDocument: longTextSchema,
    /** thirdParty: the commissioned agency (受委托的第三方机构) — required. */
    agency: textSchema,
    /** thirdParty: the commissioning unit, which supervises the agency — required. */
    commissioningUnit: idSchema,
    note: longTextSchema,
  },
} as const;

/** What a publisher sends: the whole template of the next version. */
export const formContentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['questions', 'methods', 'reason'],
  properties: {
    questions: { type: 'array', minItems: 1, maxItems: 500, items: questionSchema },
    methods: { type: 'array', minItems: 1, maxItems: 20, items: methodSchema },
    reason: reasonSchema,
  },
} as const;

/** E2: a manual choice of template versions for one visit, with why. */
export const visitFormChoiceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['forms', 'reason'],
  properties: {
    forms: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: { type: 'object', additionalProperties: false, required: ['itemId', 'version'], properties: { itemId: idSchema, version: formVersionSchema } },
    },
    reason: reasonSchema,
  },
} as const;
