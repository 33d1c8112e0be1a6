/**
 * Request shapes of the draw operations, shared by the HTTP routes and the CLI (one schema,
 * one type: FromSchema). The lottery-core re-checks everything it builds (spec §3).
 */
import type { FromSchema } from 'json-schema-to-ts';
import { expertFilterSchema, inspectorFilterSchema, targetFilterSchema } from '../../domain/registers/index.js';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;
const memberId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const hex32 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
export const instantSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$' } as const;
const reason = { type: 'string', minLength: 1, maxLength: 500 } as const;
const u32 = { type: 'integer', minimum: 0, maximum: 4294967295 } as const;

/** Spec §3.3: a count, or an exact ratio numerator/denominator (never a float, V5). */
export const quotaSchema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['count'], properties: { count: u32 } },
    {
      type: 'object',
      additionalProperties: false,
      required: ['ratio'],
      properties: {
        ratio: {
          type: 'object',
          additionalProperties: false,
          required: ['numerator', 'denominator'],
          properties: { numerator: u32, denominator: { type: 'integer', minimum: 1, maximum: 4294967295 } },
        },
      },
    },
  ],
} as const;

/** Spec §4: at least one source; every source is fixed before any randomness exists (V2). */
export const entropyPlanSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    drand: {
      type: 'object',
      additionalProperties: false,
      required: ['chainHash', 'round'],
      properties: { chainHash: hex32, round: { type: 'integer', minimum: 1 }, fallbackRound: { type: 'integer', minimum: 2 } },
    },
    witnesses: {
      type: 'object',
      additionalProperties: false,
      required: ['members', 'minReveals', 'onMissing'],
      properties: {
        members: {
          type: 'array',
          minItems: 1,
          maxItems: 50,
          items: { type: 'object', additionalProperties: false, required: ['id', 'commitment'], properties: { id: memberId, commitment: hex32 } },
        },
        minReveals: { type: 'integer', minimum: 1, maximum: 50 },
        onMissing: { enum: ['proceed', 'abandon'] },
      },
    },
    ceremony: {
      type: 'object',
      additionalProperties: false,
      required: ['label', 'alphabet', 'length'],
      properties: { label: { type: 'string', minLength: 1, maxLength: 200 }, alphabet: { type: 'string', minLength: 2, maxLength: 200 }, length: { type: 'integer', minimum: 1, maximum: 1024 } },
    },
  },
} as const;

const classes = <const F extends object>(filter: F) =>
  ({
    type: 'array',
    minItems: 1,
    maxItems: 50,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'filter'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, filter, quota: quotaSchema },
    },
  }) as const;

/** T3/L2/PL5: a target draw over register filters, class by class. */
export const commitTargetsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['task', 'item', 'classes', 'entropy', 'revealDeadline'],
  properties: {
    task: id,
    /** G2/L2: the item on the department's current list; its category and ratio cap apply. */
    item: id,
    /** L2: key items only — a random order over every target instead of a sample (quotas ignored). */
    batchOrder: { type: 'boolean' },
    /**
     * PL5: an approved directed special order (专项整治/上级指令) of the department; the entities
     * it names are exempt from the yearly cap. There is no bare `directedSpecial` flag (issue 7 §5).
     */
    directedOrder: id,
    classes: classes(targetFilterSchema),
    entropy: entropyPlanSchema,
    revealDeadline: instantSchema,
    drandFallbackAfter: instantSchema,
  },
} as const;
export type CommitTargetsRequest = FromSchema<typeof commitTargetsSchema>;

/** L5: an expert draw from the expert register. */
export const commitExpertsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['task', 'classes', 'entropy', 'revealDeadline'],
  properties: { task: id, classes: classes(expertFilterSchema), entropy: entropyPlanSchema, revealDeadline: instantSchema, drandFallbackAfter: instantSchema },
} as const;
export type CommitExpertsRequest = FromSchema<typeof commitExpertsSchema>;

const { qualifiedOn: _q, ...inspectorFilterProperties } = inspectorFilterSchema.properties;
/** T9: qualification is checked on the commit date by the service, never left to the caller. */
const inspectorFilter = { type: 'object', additionalProperties: false, properties: inspectorFilterProperties } as const;

/** T7/T8/T10: inspector groups for the targets of the task's completed target draw. */
export const commitInspectorGroupsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['task', 'inspectors', 'groupSize', 'maxLoad', 'entropy', 'revealDeadline'],
  properties: {
    task: id,
    inspectors: inspectorFilter,
    /** T8: joint matching with a neighbouring region's inspectors, used only where local ones run short. */
    neighbours: inspectorFilter,
    groupSize: { type: 'integer', minimum: 2, maximum: 20 },
    maxLoad: { type: 'integer', minimum: 1, maximum: 100000 },
    experts: {
      type: 'object',
      additionalProperties: false,
      required: ['filter', 'perTarget', 'maxLoad'],
      properties: { filter: expertFilterSchema, perTarget: { type: 'integer', minimum: 1, maximum: 20 }, maxLoad: { type: 'integer', minimum: 1, maximum: 100000 } },
    },
    entropy: entropyPlanSchema,
    revealDeadline: instantSchema,
    drandFallbackAfter: instantSchema,
  },
} as const;
export type CommitInspectorGroupsRequest = FromSchema<typeof commitInspectorGroupsSchema>;

/** T10 reasons (inspectors, experts) and E8 reasons (targets: the register status that removed the target). */
const replacementReason = { enum: ['postChange', 'workConflict', 'health', 'deregistered', 'revoked', 'licenceRevoked', 'unreachable', 'movedOut'] } as const;
const replacementList = {
  type: 'array',
  minItems: 1,
  maxItems: 100,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['member', 'reason'],
    properties: {
      member: memberId,
      /** Group draws: the target whose group loses the member. */
      target: memberId,
      /** Class draws (targets, experts): the class the member was drawn in. */
      class: { type: 'string', minLength: 1, maxLength: 100 },
      reason: replacementReason,
    },
  },
} as const;

/** T10/E8: replacement of drawn members for an allowed reason, by task and purpose; the committing principal approves. */
export const commitReplacementSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['task', 'purpose', 'replacements'],
  properties: {
    task: id,
    purpose: { enum: ['targets', 'inspectorGroups', 'experts'] },
    replacements: replacementList,
  },
} as const;
export type CommitReplacementRequest = FromSchema<typeof commitReplacementSchema>;

/** T10/E8 (`POST /draws/:drawId/replacements`): the draw named is the latest completed draw of its lineage. */
export const replaceInDrawSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['replacements'],
  properties: { replacements: replacementList },
} as const;
export type ReplaceInDrawRequest = FromSchema<typeof replaceInDrawSchema>;

/** Spec §7.3 (`POST /draws/:drawId/extensions`): more picks of named classes, with the reason; the committing principal approves. */
export const extendDrawSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['additional', 'reason'],
  properties: {
    additional: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['class', 'count'],
        properties: { class: { type: 'string', minLength: 1, maxLength: 100 }, count: { type: 'integer', minimum: 1, maximum: 100000 } },
      },
    },
    reason,
  },
} as const;
export type ExtendDrawRequest = FromSchema<typeof extendDrawSchema>;

export const revealWitnessSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['witness', 'secret'],
  properties: { witness: memberId, secret: { type: 'string', minLength: 1, maxLength: 1024 } },
} as const;
export const recordDrandSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['round', 'signature'],
  properties: { round: { type: 'integer', minimum: 1 }, signature: { type: 'string', pattern: '^[0-9a-f]{96}$' } },
} as const;
export const recordCeremonySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value'],
  properties: { value: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;
export const abandonSchema = { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason } } as const;

export type RevealWitnessRequest = FromSchema<typeof revealWitnessSchema>;
export type RecordDrandRequest = FromSchema<typeof recordDrandSchema>;
export type RecordCeremonyRequest = FromSchema<typeof recordCeremonySchema>;
export type AbandonRequest = FromSchema<typeof abandonSchema>;

const jsonObject = { type: 'object', additionalProperties: true } as const;

/** The public view of a draw (GET /draws/:id): witness secrets stay hidden while the draw is open. */
export const drawViewSchema = {
  type: 'object',
  required: [
    'drawId', 'task', 'purpose', 'department', 'status', 'commitment', 'commitmentHash', 'revealDeadline', 'dueAt', 'overdue', 'determination', 'awaiting',
    'reveals', 'revealed', 'seed', 'result', 'abandonReason', 'abandonedAt', 'abandonGrounds', 'wouldHaveBeen',
  ],
  additionalProperties: false,
  properties: {
    drawId: { type: 'string' },
    task: { type: 'string' },
    purpose: { type: 'string' },
    department: { type: 'string' },
    status: { enum: ['committed', 'completed', 'abandoned'] },
    commitment: jsonObject,
    commitmentHash: { type: 'string' },
    revealDeadline: { type: 'string' },
    /** When every planned source should be in: the reveal deadline, or the drand fallback instant if later. */
    dueAt: { type: 'string' },
    /** Issue 7 §1: a committed draw past dueAt. */
    overdue: { type: 'boolean' },
    /** V3 (issue 7 §1), committed draws only: open, determined (it can only complete) or mustAbandon (its committed rules say so). */
    determination: { anyOf: [{ enum: ['open', 'determined', 'mustAbandon'] }, { type: 'null' }] },
    /** What an open draw waits for (AWAITING_WITNESSES, AWAITING_DRAND, AWAITING_CEREMONY), or why it must be abandoned. */
    awaiting: { type: ['string', 'null'] },
    limits: { anyOf: [jsonObject, { type: 'null' }] },
    counting: { anyOf: [jsonObject, { type: 'null' }] },
    /** Extensions: the approving principal and the reason (issue 8 §3). */
    approval: { type: 'object', additionalProperties: false, required: ['approvedBy', 'reason'], properties: { approvedBy: { type: 'string' }, reason: { type: 'string' } } },
    reveals: {
      type: 'object',
      required: ['witnesses', 'drandRound', 'ceremony'],
      additionalProperties: false,
      properties: { witnesses: { type: 'array', items: { type: 'string' } }, drandRound: { type: ['integer', 'null'] }, ceremony: { type: 'boolean' } },
    },
    /** Everything revealed, published once the draw is completed or abandoned (secrets, ceremony value, drand round). */
    revealed: { anyOf: [jsonObject, { type: 'null' }] },
    seed: { type: ['string', 'null'] },
    result: { anyOf: [jsonObject, { type: 'null' }] },
    abandonReason: { type: ['string', 'null'] },
    abandonedAt: { type: ['string', 'null'] },
    abandonGrounds: { type: ['string', 'null'] },
    /** An abandoned draw whose entropy fixed a result: that result, NOT taken (issue 7 §1). */
    wouldHaveBeen: {
      anyOf: [
        { type: 'object', required: ['taken', 'seed', 'result'], additionalProperties: false, properties: { taken: { const: false }, seed: { type: 'string' }, result: jsonObject } },
        { type: 'null' },
      ],
    },
  },
} as const;
export type DrawView = FromSchema<typeof drawViewSchema>;
