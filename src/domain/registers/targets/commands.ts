import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../../decider.js';
import { ruleViolation, type SuijiError } from '../../errors.js';
import { validateUscc } from '../../uscc.js';
import { alreadyExists, changedFields, guard, notFound } from '../guard.js';
import { dateSchema, idSchema, reasonSchema, targetStatuses, usccSchema } from '../schemas.js';
import { evolveTarget, flagsSchema, initialTargetState, mutableTargetProperties, targetFieldsSchema, type TargetEvent, type TargetRecord, type TargetState } from './events.js';
import { failedIndicator, indicatorsSchema, type TargetIndicators } from './filter.js';

export const registerTargetSchema = targetFieldsSchema;
/** Upsert used by imports: registers, or changes only what differs (no events when nothing does). */
export const syncTargetSchema = {
  ...targetFieldsSchema,
  properties: { ...targetFieldsSchema.properties, reason: reasonSchema },
} as const;
export const updateTargetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'changes', 'reason'],
  properties: {
    uscc: usccSchema,
    changes: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { ...mutableTargetProperties, flags: { ...flagsSchema, required: [] } },
    },
    reason: reasonSchema,
  },
} as const;
export const changeTargetStatusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'status', 'reason'],
  properties: { uscc: usccSchema, status: { enum: targetStatuses }, reason: reasonSchema },
} as const;
export const transferTargetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'toDepartment', 'reason', 'approvedBy', 'approvedOn'],
  properties: { uscc: usccSchema, toDepartment: idSchema, reason: reasonSchema, approvedBy: idSchema, approvedOn: dateSchema },
} as const;
/**
 * The application reads the special register's current standard (its stream) and passes it
 * here; the event records the version checked, so an auditor can re-check the admission.
 */
export const admitTargetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'registerId', 'standard'],
  properties: {
    uscc: usccSchema,
    registerId: idSchema,
    standard: {
      type: 'object',
      additionalProperties: false,
      required: ['version', 'indicators'],
      properties: { version: { type: 'integer', minimum: 1 }, indicators: indicatorsSchema },
    },
  },
} as const;
export const removeTargetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['uscc', 'registerId', 'reason'],
  properties: { uscc: usccSchema, registerId: idSchema, reason: reasonSchema },
} as const;

export type RegisterTarget = Command<'RegisterTarget', FromSchema<typeof registerTargetSchema>>;
export type SyncTarget = Command<'SyncTarget', FromSchema<typeof syncTargetSchema>>;
export type UpdateTarget = Command<'UpdateTarget', FromSchema<typeof updateTargetSchema>>;
export type ChangeTargetStatus = Command<'ChangeTargetStatus', FromSchema<typeof changeTargetStatusSchema>>;
export type TransferTarget = Command<'TransferTarget', FromSchema<typeof transferTargetSchema>>;
export type AdmitTargetToSpecialRegister = Command<'AdmitTargetToSpecialRegister', FromSchema<typeof admitTargetSchema>>;
export type RemoveTargetFromSpecialRegister = Command<'RemoveTargetFromSpecialRegister', FromSchema<typeof removeTargetSchema>>;
export type TargetCommand =
  | RegisterTarget
  | SyncTarget
  | UpdateTarget
  | ChangeTargetStatus
  | TransferTarget
  | AdmitTargetToSpecialRegister
  | RemoveTargetFromSpecialRegister;

export const targetStreamId = (uscc: string): string => `target-${uscc}`;

type Existing = Extract<TargetState, { exists: true }>;
const KIND = '检查对象 target';

/** TargetUpdated for what changed, then removals from special registers whose standard is no longer met (L4). */
function updateEvents(state: Existing, next: Partial<TargetRecord>, reason: string | undefined): TargetEvent[] {
  const changes = changedFields(state.target, next);
  if (Object.keys(changes).length === 0) return [];
  const events: TargetEvent[] = [{ type: 'TargetUpdated', payload: { uscc: state.target.uscc, changes, ...(reason ? { reason } : {}) } }];
  const after: TargetRecord = { ...state.target, ...changes };
  for (const registerId of Object.keys(state.memberships).sort()) {
    const failed = failedIndicator(after, state.memberships[registerId]!.indicators as TargetIndicators);
    if (failed) {
      events.push({
        type: 'TargetRemovedFromSpecialRegister',
        payload: { uscc: state.target.uscc, registerId, reason: `L4: standard no longer met (${failed})` },
      });
    }
  }
  return events;
}

function register(command: RegisterTarget | SyncTarget): readonly TargetEvent[] | SuijiError {
  const { reason: _reason, ...record } = command.data as FromSchema<typeof syncTargetSchema>;
  return guard(command.metadata, 'target.write', record.jurisdiction) ?? [{ type: 'TargetRegistered', payload: record }];
}

function sync(command: SyncTarget, state: Existing): readonly TargetEvent[] | SuijiError {
  const { reason, jurisdiction, status, uscc: _uscc, ...attributes } = command.data;
  if (jurisdiction !== state.target.jurisdiction) {
    return ruleViolation('L4', `管辖部门变更须经迁移审批（当前：${state.target.jurisdiction}）`, `a change of jurisdiction needs an approved transfer (current: ${state.target.jurisdiction})`, {
      field: '/jurisdiction',
    });
  }
  const events = updateEvents(state, attributes, reason);
  if (status !== state.target.status) {
    events.push({ type: 'TargetStatusChanged', payload: { uscc: state.target.uscc, from: state.target.status, status, reason: reason ?? 'sync' } });
  }
  return events;
}

function decide(command: TargetCommand, state: TargetState): readonly TargetEvent[] | SuijiError {
  const bad = validateUscc(command.data.uscc, '/uscc');
  if (bad) return bad;
  if (command.type === 'RegisterTarget') return state.exists ? alreadyExists(KIND, command.data.uscc) : register(command);
  if (command.type === 'SyncTarget' && !state.exists) return register(command);
  if (!state.exists) return notFound(KIND, command.data.uscc);
  // L4 谁管辖、谁维护: every change is made by the department with jurisdiction.
  const denied = guard(command.metadata, 'target.write', state.target.jurisdiction);
  if (denied) return denied;
  const uscc = state.target.uscc;
  switch (command.type) {
    case 'SyncTarget':
      return sync(command, state);
    case 'UpdateTarget': {
      const { flags, ...rest } = command.data.changes;
      const next: Partial<TargetRecord> = flags ? { ...rest, flags: { ...state.target.flags, ...flags } } : rest;
      return updateEvents(state, next, command.data.reason);
    }
    case 'ChangeTargetStatus':
      return command.data.status === state.target.status
        ? []
        : [{ type: 'TargetStatusChanged', payload: { uscc, from: state.target.status, status: command.data.status, reason: command.data.reason } }];
    case 'TransferTarget': {
      const { toDepartment, reason, approvedBy, approvedOn } = command.data;
      if (toDepartment === state.target.jurisdiction) return [];
      return [{ type: 'TargetTransferred', payload: { uscc, fromDepartment: state.target.jurisdiction, toDepartment, reason, approvedBy, approvedOn } }];
    }
    case 'AdmitTargetToSpecialRegister': {
      const { registerId, standard } = command.data;
      const failed = failedIndicator(state.target, standard.indicators);
      if (failed) {
        return ruleViolation('L4', `不符合专项库建库标准：${failed}`, `the target does not meet the register standard: ${failed}`, {
          field: `/standard/indicators/${failed}`,
          registerId,
          indicator: failed,
        });
      }
      if (state.memberships[registerId]?.standardVersion === standard.version) return [];
      return [{ type: 'TargetAdmittedToSpecialRegister', payload: { uscc, registerId, standardVersion: standard.version, indicators: standard.indicators } }];
    }
    case 'RemoveTargetFromSpecialRegister':
      return state.memberships[command.data.registerId] === undefined
        ? []
        : [{ type: 'TargetRemovedFromSpecialRegister', payload: { uscc, registerId: command.data.registerId, reason: command.data.reason } }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const targetDecider: Decider<TargetCommand, TargetEvent, TargetState> = { initialState: initialTargetState, decide, evolve: evolveTarget };
