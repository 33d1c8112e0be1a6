/**
 * Events of the lottery's ledger side (V1: a commitment first, the result after). The draw's
 * own bytes — commitment, pools, revealed entropy, seed, result — are the lottery-core's
 * (docs/lottery-spec.md); these schemas check their outline at append time, and the deciders
 * parse them strictly with the lottery-core's readers before relying on them.
 */
import { defineEvent, type DomainEvent, type PayloadOf } from '../event-definition.js';

const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const hash = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$' } as const;
const reason = { type: 'string', minLength: 1, maxLength: 500 } as const;
const uscc = { type: 'string', pattern: '^[0-9A-Z]{18}$' } as const;

/** The slot a draw occupies: one open commitment per task and purpose (V3). */
export const drawPurposes = ['targets', 'experts', 'batchOrder', 'inspectorGroups'] as const;
export type DrawPurpose = (typeof drawPurposes)[number];

/** T10: the only reasons a drawn inspector may be replaced. */
export const replacementReasons = ['postChange', 'workConflict', 'health'] as const;
export type ReplacementReason = (typeof replacementReasons)[number];
/** E8: a drawn target is replaced only when the target register records it gone (its status then). */
export const targetRemovalReasons = ['deregistered', 'revoked', 'licenceRevoked', 'unreachable', 'movedOut'] as const;
export type TargetRemovalReason = (typeof targetRemovalReasons)[number];

/** PL5 exemptions; `directedSpecial`: the entity is named by an approved directed special order (专项整治/上级指令). */
export const pl5Exemptions = ['keyIndustry', 'repeatedComplaints', 'abnormalOperation', 'dishonest', 'seriousViolation', 'directedSpecial'] as const;
export type Pl5Exemption = (typeof pl5Exemptions)[number];

/**
 * PL5: the recorded fact an exemption rests on — the reason and the ledger position of the
 * event that established it (before the draw's pool position), and for `directedSpecial` the
 * order id — so an auditor can check it against the ledger.
 */
export const exemptionFactSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason', 'position'],
  properties: { reason: { enum: pl5Exemptions }, position: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' }, order: id },
} as const;

const ratio = {
  type: 'object',
  additionalProperties: false,
  required: ['numerator', 'denominator'],
  properties: { numerator: { type: 'integer', minimum: 0 }, denominator: { type: 'integer', minimum: 1 } },
} as const;

/** L2: the item the draw serves and the ratio cap in force when it was committed (A4: configuration). */
export const drawLimitsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['item', 'category'],
  properties: {
    item: id,
    category: { enum: ['general', 'key'] },
    maxRatio: ratio,
  },
} as const;

/** PL5: how this draw counts against the yearly cap; null for draws that do not count (key items). */
export const countingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['year', 'cap', 'exempt'],
  properties: {
    /** Calendar year in Asia/Shanghai of committedAt. */
    year: { type: 'integer', minimum: 2000, maximum: 2999 },
    cap: { type: 'integer', minimum: 1, maximum: 1000 },
    /** Pool members that are drawn but not counted, with why. */
    exempt: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'reasons'],
        // `facts` is absent only in draws committed before exemption facts were recorded.
        properties: { id, reasons: { type: 'array', minItems: 1, items: { enum: pl5Exemptions } }, facts: { type: 'array', minItems: 1, items: exemptionFactSchema } },
      },
    },
  },
} as const;

/** The lottery-core's commitment (spec §3); checked in full by `parseCommitment`. */
const commitmentSchema = {
  type: 'object',
  required: ['algorithm', 'drawId', 'task', 'purpose', 'kind', 'committedAt', 'source'],
  properties: {
    algorithm: { const: 'suiji-draw/1' },
    drawId: id,
    task: id,
    purpose: id,
    kind: { enum: ['targets', 'experts', 'batchOrder', 'inspectorGroups', 'extension', 'replacement'] },
    committedAt: instant,
    source: { type: 'object' },
  },
} as const;

export const DrawCommitted = defineEvent('DrawCommitted', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['drawId', 'task', 'purpose', 'department', 'commitment', 'commitmentHash', 'pools', 'revealDeadline', 'drandFallbackAfter', 'limits', 'counting'],
  properties: {
    drawId: id,
    task: id,
    purpose: { enum: drawPurposes },
    /** The committing actor's department: it owns the draw (G3). */
    department: id,
    commitment: commitmentSchema,
    commitmentHash: hash,
    /** Member lists keyed by pool hash, exactly as in the public record (spec §8). */
    pools: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    /** V3: witnesses reveal before it (and, with drand, before the beacon round exists). */
    revealDeadline: instant,
    /** V3: the drand fallback round is accepted only from this instant on, if the planned round was not recorded; null without drand. */
    drandFallbackAfter: { anyOf: [instant, { type: 'null' }] },
    limits: { anyOf: [drawLimitsSchema, { type: 'null' }] },
    counting: { anyOf: [countingSchema, { type: 'null' }] },
    /**
     * An extension's approval (issue 8 §3): the principal who committed it and why. Spec §3.5 has
     * no such members in an extension commitment, so the ledger records them (a replacement's
     * reason and approver are inside its commitment).
     */
    approval: {
      type: 'object',
      additionalProperties: false,
      required: ['approvedBy', 'reason'],
      properties: { approvedBy: id, reason },
    },
  },
});

export const WitnessSecretRevealed = defineEvent('WitnessSecretRevealed', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['drawId', 'witness', 'secret'],
  properties: { drawId: id, witness: id, secret: { type: 'string', minLength: 1, maxLength: 1024 } },
});

export const DrandBeaconRecorded = defineEvent('DrandBeaconRecorded', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['drawId', 'round', 'signature', 'randomness'],
  properties: {
    drawId: id,
    round: { type: 'integer', minimum: 1 },
    signature: { type: 'string', pattern: '^[0-9a-f]{96}$' },
    randomness: hash,
  },
});

export const CeremonyValueRecorded = defineEvent('CeremonyValueRecorded', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['drawId', 'value'],
  properties: { drawId: id, value: { type: 'string', minLength: 1, maxLength: 4096 } },
});

export const DrawCompleted = defineEvent('DrawCompleted', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['drawId', 'commitmentHash', 'revealed', 'seed', 'result'],
  properties: {
    drawId: id,
    commitmentHash: hash,
    /** Spec §4 revealed entropy as used for the seed; absent for follow-ups (they reuse the root's seed). */
    revealed: { anyOf: [{ type: 'object' }, { type: 'null' }] },
    seed: hash,
    /** Spec §7 result, in draw order. */
    result: { type: 'object' },
  },
});

/**
 * V3 (issue 7 §1): why an abandon was allowed. A draw whose outcome is fixed can only complete;
 * it may be abandoned before any entropy is revealed, when the committed fallback rules require
 * it, or when the completion cannot be computed at all (e.g. a follow-up whose parent lineage is
 * gone). `yearlyCapReached` is no longer decided (PL5 is counted at the task's lock, issue 9); it
 * stays in the enum so abandons recorded before that remain valid.
 */
export const abandonGrounds = ['noEntropyRevealed', 'planRequiresAbandon', 'yearlyCapReached', 'cannotComplete'] as const;
export type AbandonGrounds = (typeof abandonGrounds)[number];

export const DrawAbandoned = defineEvent('DrawAbandoned', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['drawId', 'commitmentHash', 'reason'],
  properties: {
    drawId: id,
    commitmentHash: hash,
    reason,
    /** The command's instant: the would-be result is computed with the entropy as it stood then. Absent in events before issue 7. */
    at: instant,
    grounds: { enum: abandonGrounds },
  },
});

/** PL5: one random draw of one entity in one year, on stream `drawcount-<uscc>-<year>`; revision + 1 = count. */
export const DrawCounted = defineEvent('DrawCounted', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'year', 'drawId', 'task', 'count'],
  properties: {
    uscc,
    year: { type: 'integer', minimum: 2000, maximum: 2999 },
    drawId: id,
    task: id,
    /** The entity's count in that year including this draw. */
    count: { type: 'integer', minimum: 1 },
  },
});

export const drawEventDefinitions = [
  DrawCommitted,
  WitnessSecretRevealed,
  DrandBeaconRecorded,
  CeremonyValueRecorded,
  DrawCompleted,
  DrawAbandoned,
  DrawCounted,
] as const;

export type DrawCommittedPayload = PayloadOf<typeof DrawCommitted>;
export type DrawCompletedPayload = PayloadOf<typeof DrawCompleted>;
export type DrawCountedPayload = PayloadOf<typeof DrawCounted>;
export type DrawLimits = PayloadOf<typeof DrawCommitted>['limits'];
export type Counting = PayloadOf<typeof DrawCommitted>['counting'];
export type ExemptionFact = NonNullable<NonNullable<Counting>['exempt'][number]['facts']>[number];

/** Events of a draw slot stream (counter events live on their own streams). */
export type DrawEvent =
  | DomainEvent<typeof DrawCommitted>
  | DomainEvent<typeof WitnessSecretRevealed>
  | DomainEvent<typeof DrandBeaconRecorded>
  | DomainEvent<typeof CeremonyValueRecorded>
  | DomainEvent<typeof DrawCompleted>
  | DomainEvent<typeof DrawAbandoned>;
