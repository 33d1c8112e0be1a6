import { defineEvent, type DomainEvent, type PayloadOf } from '../../event-definition.js';
import { idSchema, personStatuses, reasonSchema, regionSchema, textSchema, usccSchema } from '../schemas.js';
import { expertiseSchema } from '../inspectors/events.js';

export const mutableExpertProperties = {
  name: textSchema,
  expertise: expertiseSchema,
  organisation: textSchema,
  title: textSchema,
  region: regionSchema,
} as const;

/** L5: one entry of the expert register (专家库), maintained by a department. */
export const expertFieldsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['expertId', 'name', 'department', 'expertise', 'organisation', 'title', 'region', 'status'],
  properties: { expertId: idSchema, ...mutableExpertProperties, department: idSchema, status: { enum: personStatuses } },
} as const;

const conflictSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['expertId', 'uscc', 'reason'],
  properties: { expertId: idSchema, uscc: usccSchema, reason: reasonSchema },
} as const;

export const ExpertRegistered = defineEvent('ExpertRegistered', 1, expertFieldsSchema);
export const ExpertUpdated = defineEvent('ExpertUpdated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['expertId', 'changes', 'reason'],
  properties: {
    expertId: idSchema,
    changes: { type: 'object', additionalProperties: false, minProperties: 1, properties: mutableExpertProperties },
    reason: reasonSchema,
  },
} as const);
export const ExpertStatusChanged = defineEvent('ExpertStatusChanged', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['expertId', 'from', 'status', 'reason'],
  properties: { expertId: idSchema, from: { enum: personStatuses }, status: { enum: personStatuses }, reason: reasonSchema },
} as const);
/** T10 applies to experts too: a conflicted expert is never drawn for that target. */
export const ExpertConflictDeclared = defineEvent('ExpertConflictDeclared', 1, conflictSchema);
export const ExpertConflictWithdrawn = defineEvent('ExpertConflictWithdrawn', 1, conflictSchema);

export const expertEventDefinitions = [ExpertRegistered, ExpertUpdated, ExpertStatusChanged, ExpertConflictDeclared, ExpertConflictWithdrawn] as const;
export type ExpertEvent = DomainEvent<(typeof expertEventDefinitions)[number]>;
export type ExpertRecord = PayloadOf<typeof ExpertRegistered>;

export type ExpertState = { readonly exists: false } | { readonly exists: true; readonly expert: ExpertRecord; readonly conflicts: readonly string[] };
export const initialExpertState: ExpertState = { exists: false };

export function evolveExpert(state: ExpertState, event: ExpertEvent): ExpertState {
  if (event.type === 'ExpertRegistered') return { exists: true, expert: event.payload, conflicts: [] };
  if (!state.exists) return state;
  switch (event.type) {
    case 'ExpertUpdated':
      return { ...state, expert: { ...state.expert, ...event.payload.changes } };
    case 'ExpertStatusChanged':
      return { ...state, expert: { ...state.expert, status: event.payload.status } };
    case 'ExpertConflictDeclared':
      return { ...state, conflicts: [...state.conflicts, event.payload.uscc].sort() };
    case 'ExpertConflictWithdrawn':
      return { ...state, conflicts: state.conflicts.filter((u) => u !== event.payload.uscc) };
    default:
      return state;
  }
}
