import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../../decider.js';
import { ruleViolation, type SuijiError } from '../../errors.js';
import { validateUscc } from '../../uscc.js';
import { alreadyExists, changedFields, guard, invalid, notFound } from '../guard.js';
import { idSchema, personStatuses, reasonSchema, usccSchema } from '../schemas.js';
import {
  evolveInspector,
  initialInspectorState,
  inspectorFieldsSchema,
  mutableInspectorProperties,
  type InspectorEvent,
  type InspectorRecord,
  type InspectorState,
} from './events.js';

export const registerInspectorSchema = inspectorFieldsSchema;
export const syncInspectorSchema = { ...inspectorFieldsSchema, properties: { ...inspectorFieldsSchema.properties, reason: reasonSchema } } as const;
export const updateInspectorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'changes', 'reason'],
  properties: {
    inspectorId: idSchema,
    changes: { type: 'object', additionalProperties: false, minProperties: 1, properties: mutableInspectorProperties },
    reason: reasonSchema,
  },
} as const;
export const changeInspectorStatusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'status', 'reason'],
  properties: { inspectorId: idSchema, status: { enum: personStatuses }, reason: reasonSchema },
} as const;
export const inspectorConflictSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inspectorId', 'uscc', 'reason'],
  properties: { inspectorId: idSchema, uscc: usccSchema, reason: reasonSchema },
} as const;

export type RegisterInspector = Command<'RegisterInspector', FromSchema<typeof registerInspectorSchema>>;
export type SyncInspector = Command<'SyncInspector', FromSchema<typeof syncInspectorSchema>>;
export type UpdateInspector = Command<'UpdateInspector', FromSchema<typeof updateInspectorSchema>>;
export type ChangeInspectorStatus = Command<'ChangeInspectorStatus', FromSchema<typeof changeInspectorStatusSchema>>;
export type DeclareInspectorConflict = Command<'DeclareInspectorConflict', FromSchema<typeof inspectorConflictSchema>>;
export type WithdrawInspectorConflict = Command<'WithdrawInspectorConflict', FromSchema<typeof inspectorConflictSchema>>;
export type InspectorCommand = RegisterInspector | SyncInspector | UpdateInspector | ChangeInspectorStatus | DeclareInspectorConflict | WithdrawInspectorConflict;

export const inspectorStreamId = (inspectorId: string): string => `inspector-${inspectorId}`;

const KIND = '执法检查人员 inspector';

/** L3/T9: a qualification's validity must be a real interval. */
function checkQualification(q: InspectorRecord['qualification'] | undefined, field: string): SuijiError | null {
  if (q && q.validFrom > q.validTo) return invalid(`${field}/validTo`, '资格有效期止不能早于有效期起', 'qualification validTo is before validFrom', 'L3');
  return null;
}

function decide(command: InspectorCommand, state: InspectorState): readonly InspectorEvent[] | SuijiError {
  if (command.type === 'RegisterInspector' || (command.type === 'SyncInspector' && !state.exists)) {
    const { reason: _reason, ...record } = command.data as FromSchema<typeof syncInspectorSchema>;
    const denied = guard(command.metadata, 'inspector.write', record.department);
    if (denied) return denied;
    if (state.exists) return alreadyExists(KIND, record.inspectorId);
    return checkQualification(record.qualification, '/qualification') ?? [{ type: 'InspectorRegistered', payload: record }];
  }
  if (!state.exists) return notFound(KIND, command.data.inspectorId);
  // L3: each department maintains its own inspector register.
  const denied = guard(command.metadata, 'inspector.write', state.inspector.department);
  if (denied) return denied;
  const inspectorId = state.inspector.inspectorId;
  switch (command.type) {
    case 'SyncInspector': {
      const { reason, department, status, inspectorId: _id, ...attributes } = command.data;
      if (department !== state.inspector.department) {
        return ruleViolation('L3', `所属部门变更须由原部门办理调动（当前：${state.inspector.department}）`, `a change of department is a transfer (current: ${state.inspector.department})`, {
          field: '/department',
        });
      }
      const bad = checkQualification(attributes.qualification, '/qualification');
      if (bad) return bad;
      const changes = changedFields(state.inspector, attributes);
      const events: InspectorEvent[] = Object.keys(changes).length === 0 ? [] : [{ type: 'InspectorUpdated', payload: { inspectorId, changes, ...(reason ? { reason } : {}) } }];
      if (status !== state.inspector.status) {
        events.push({ type: 'InspectorStatusChanged', payload: { inspectorId, from: state.inspector.status, status, reason: reason ?? 'sync' } });
      }
      return events;
    }
    case 'UpdateInspector': {
      const bad = checkQualification(command.data.changes.qualification, '/changes/qualification');
      if (bad) return bad;
      const changes = changedFields(state.inspector, command.data.changes);
      return Object.keys(changes).length === 0 ? [] : [{ type: 'InspectorUpdated', payload: { inspectorId, changes, reason: command.data.reason } }];
    }
    case 'ChangeInspectorStatus':
      return command.data.status === state.inspector.status
        ? []
        : [{ type: 'InspectorStatusChanged', payload: { inspectorId, from: state.inspector.status, status: command.data.status, reason: command.data.reason } }];
    case 'DeclareInspectorConflict': {
      const bad = validateUscc(command.data.uscc, '/uscc');
      if (bad) return bad;
      return state.conflicts.includes(command.data.uscc) ? [] : [{ type: 'InspectorConflictDeclared', payload: command.data }];
    }
    case 'WithdrawInspectorConflict':
      return state.conflicts.includes(command.data.uscc) ? [{ type: 'InspectorConflictWithdrawn', payload: command.data }] : [];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const inspectorDecider: Decider<InspectorCommand, InspectorEvent, InspectorState> = {
  initialState: initialInspectorState,
  decide,
  evolve: evolveInspector,
};
