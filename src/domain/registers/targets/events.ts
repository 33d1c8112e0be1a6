import { defineEvent, type DomainEvent, type PayloadOf } from '../../event-definition.js';
import { dateSchema, entityTypes, idSchema, industrySchema, levels, reasonSchema, regionSchema, scales, targetStatuses, textSchema, usccSchema } from '../schemas.js';

export const flagsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dishonest', 'abnormalOperation', 'keyIndustry', 'complaintCount'],
  properties: {
    dishonest: { type: 'boolean' },
    abnormalOperation: { type: 'boolean' },
    keyIndustry: { type: 'boolean' },
    complaintCount: { type: 'integer', minimum: 0, maximum: 1000000 },
  },
} as const;

/** Attributes an operator may change without a transfer or status procedure. */
export const mutableTargetProperties = {
  name: textSchema,
  entityType: { enum: entityTypes },
  scale: { enum: scales },
  industry: industrySchema,
  region: regionSchema,
  riskLevel: { enum: levels },
  creditLevel: { enum: levels },
  flags: flagsSchema,
} as const;

/** L4/L6: one entry of the comprehensive register (综合主体名录库). */
export const targetFieldsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'name', 'entityType', 'scale', 'industry', 'region', 'jurisdiction', 'riskLevel', 'creditLevel', 'flags', 'status'],
  properties: {
    uscc: usccSchema,
    ...mutableTargetProperties,
    /** The department with jurisdiction: it alone maintains the entry (L4 谁管辖、谁维护). */
    jurisdiction: idSchema,
    status: { enum: targetStatuses },
  },
} as const;

export const TargetRegistered = defineEvent('TargetRegistered', 1, targetFieldsSchema);
export const TargetUpdated = defineEvent('TargetUpdated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'changes'],
  properties: {
    uscc: usccSchema,
    /** Only the fields whose value changed, with their new values. */
    changes: { type: 'object', additionalProperties: false, minProperties: 1, properties: mutableTargetProperties },
    reason: reasonSchema,
  },
} as const);
export const TargetStatusChanged = defineEvent('TargetStatusChanged', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'from', 'status', 'reason'],
  properties: { uscc: usccSchema, from: { enum: targetStatuses }, status: { enum: targetStatuses }, reason: reasonSchema },
} as const);
/** E8: a move to another jurisdiction, after approval. */
export const TargetTransferred = defineEvent('TargetTransferred', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'fromDepartment', 'toDepartment', 'reason', 'approvedBy', 'approvedOn'],
  properties: {
    uscc: usccSchema,
    fromDepartment: idSchema,
    toDepartment: idSchema,
    reason: reasonSchema,
    approvedBy: idSchema,
    approvedOn: dateSchema,
  },
} as const);
/** L4: membership of a special register, recorded with the standard version it was checked against. */
export const TargetAdmittedToSpecialRegister = defineEvent('TargetAdmittedToSpecialRegister', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'registerId', 'standardVersion', 'indicators'],
  properties: {
    uscc: usccSchema,
    registerId: idSchema,
    standardVersion: { type: 'integer', minimum: 1 },
    indicators: { type: 'object' },
  },
} as const);
export const TargetRemovedFromSpecialRegister = defineEvent('TargetRemovedFromSpecialRegister', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'registerId', 'reason'],
  properties: { uscc: usccSchema, registerId: idSchema, reason: reasonSchema },
} as const);

export const targetEventDefinitions = [
  TargetRegistered,
  TargetUpdated,
  TargetStatusChanged,
  TargetTransferred,
  TargetAdmittedToSpecialRegister,
  TargetRemovedFromSpecialRegister,
] as const;
export type TargetEvent = DomainEvent<(typeof targetEventDefinitions)[number]>;
export type TargetRecord = PayloadOf<typeof TargetRegistered>;

export interface Membership {
  readonly standardVersion: number;
  /** The indicators as admitted: re-checked on every update so a member that stops meeting them leaves. */
  readonly indicators: Record<string, unknown>;
}

export type TargetState =
  | { readonly exists: false }
  | { readonly exists: true; readonly target: TargetRecord; readonly memberships: Readonly<Record<string, Membership>> };
export const initialTargetState: TargetState = { exists: false };

export function evolveTarget(state: TargetState, event: TargetEvent): TargetState {
  if (event.type === 'TargetRegistered') return { exists: true, target: event.payload, memberships: {} };
  if (!state.exists) return state;
  switch (event.type) {
    case 'TargetUpdated':
      return { ...state, target: { ...state.target, ...event.payload.changes } };
    case 'TargetStatusChanged':
      return { ...state, target: { ...state.target, status: event.payload.status } };
    case 'TargetTransferred':
      return { ...state, target: { ...state.target, jurisdiction: event.payload.toDepartment } };
    case 'TargetAdmittedToSpecialRegister':
      return {
        ...state,
        memberships: { ...state.memberships, [event.payload.registerId]: { standardVersion: event.payload.standardVersion, indicators: event.payload.indicators } },
      };
    case 'TargetRemovedFromSpecialRegister': {
      const { [event.payload.registerId]: _gone, ...rest } = state.memberships;
      return { ...state, memberships: rest };
    }
    default:
      return state;
  }
}
