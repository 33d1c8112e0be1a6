import { defineEvent, type DomainEvent, type PayloadOf } from '../../event-definition.js';
import { dateSchema, idSchema, personStatuses, reasonSchema, regionSchema, textSchema, usccSchema } from '../schemas.js';

/** L3/T9: 执法资格 with validity; only inspectors qualified on the draw date can be drawn. */
export const qualificationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['number', 'validFrom', 'validTo'],
  properties: { number: textSchema, validFrom: dateSchema, validTo: dateSchema },
} as const;

export const expertiseSchema = { type: 'array', maxItems: 50, uniqueItems: true, items: textSchema } as const;

export const mutableInspectorProperties = {
  name: textSchema,
  qualification: qualificationSchema,
  expertise: expertiseSchema,
  region: regionSchema,
} as const;

/** L3: one entry of a department's inspector register (执法检查人员名录库). */
export const inspectorFieldsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'name', 'department', 'qualification', 'expertise', 'region', 'status'],
  properties: { inspectorId: idSchema, ...mutableInspectorProperties, department: idSchema, status: { enum: personStatuses } },
} as const;

export const InspectorRegistered = defineEvent('InspectorRegistered', 1, inspectorFieldsSchema);
export const InspectorUpdated = defineEvent('InspectorUpdated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'changes'],
  properties: {
    inspectorId: idSchema,
    changes: { type: 'object', additionalProperties: false, minProperties: 1, properties: mutableInspectorProperties },
    reason: reasonSchema,
  },
} as const);
export const InspectorStatusChanged = defineEvent('InspectorStatusChanged', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'from', 'status', 'reason'],
  properties: { inspectorId: idSchema, from: { enum: personStatuses }, status: { enum: personStatuses }, reason: reasonSchema },
} as const);
/** T10: a declared conflict of interest; the inspector is never drawn for that target. */
export const InspectorConflictDeclared = defineEvent('InspectorConflictDeclared', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'uscc', 'reason'],
  properties: { inspectorId: idSchema, uscc: usccSchema, reason: reasonSchema },
} as const);
export const InspectorConflictWithdrawn = defineEvent('InspectorConflictWithdrawn', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'uscc', 'reason'],
  properties: { inspectorId: idSchema, uscc: usccSchema, reason: reasonSchema },
} as const);

export const inspectorEventDefinitions = [
  InspectorRegistered,
  InspectorUpdated,
  InspectorStatusChanged,
  InspectorConflictDeclared,
  InspectorConflictWithdrawn,
] as const;
export type InspectorEvent = DomainEvent<(typeof inspectorEventDefinitions)[number]>;
export type InspectorRecord = PayloadOf<typeof InspectorRegistered>;

export type InspectorState =
  | { readonly exists: false }
  | { readonly exists: true; readonly inspector: InspectorRecord; readonly conflicts: readonly string[] };
export const initialInspectorState: InspectorState = { exists: false };

export function evolveInspector(state: InspectorState, event: InspectorEvent): InspectorState {
  if (event.type === 'InspectorRegistered') return { exists: true, inspector: event.payload, conflicts: [] };
  if (!state.exists) return state;
  switch (event.type) {
    case 'InspectorUpdated':
      return { ...state, inspector: { ...state.inspector, ...event.payload.changes } };
    case 'InspectorStatusChanged':
      return { ...state, inspector: { ...state.inspector, status: event.payload.status } };
    case 'InspectorConflictDeclared':
      return { ...state, conflicts: [...state.conflicts, event.payload.uscc].sort() };
    case 'InspectorConflictWithdrawn':
      return { ...state, conflicts: state.conflicts.filter((u) => u !== event.payload.uscc) };
    default:
      return state;
  }
}
