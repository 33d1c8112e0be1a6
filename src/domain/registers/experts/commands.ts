import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../../decider.js';
import type { SuijiError } from '../../errors.js';
import { validateUscc } from '../../uscc.js';
import { alreadyExists, changedFields, guard, notFound } from '../guard.js';
import {
  evolveExpert,
  expertFieldsSchema,
  ExpertConflictDeclared,
  ExpertStatusChanged,
  ExpertUpdated,
  initialExpertState,
  type ExpertEvent,
  type ExpertState,
} from './events.js';

export const registerExpertSchema = expertFieldsSchema;
export const updateExpertSchema = ExpertUpdated.schema;
export const changeExpertStatusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['expertId', 'status', 'reason'],
  properties: { expertId: ExpertStatusChanged.schema.properties.expertId, status: ExpertStatusChanged.schema.properties.status, reason: ExpertStatusChanged.schema.properties.reason },
} as const;
export const expertConflictSchema = ExpertConflictDeclared.schema;

export type RegisterExpert = Command<'RegisterExpert', FromSchema<typeof registerExpertSchema>>;
export type UpdateExpert = Command<'UpdateExpert', FromSchema<typeof updateExpertSchema>>;
export type ChangeExpertStatus = Command<'ChangeExpertStatus', FromSchema<typeof changeExpertStatusSchema>>;
export type DeclareExpertConflict = Command<'DeclareExpertConflict', FromSchema<typeof expertConflictSchema>>;
export type WithdrawExpertConflict = Command<'WithdrawExpertConflict', FromSchema<typeof expertConflictSchema>>;
export type ExpertCommand = RegisterExpert | UpdateExpert | ChangeExpertStatus | DeclareExpertConflict | WithdrawExpertConflict;

export const expertStreamId = (expertId: string): string => `expert-${expertId}`;

const KIND = '专家 expert';

function decide(command: ExpertCommand, state: ExpertState): readonly ExpertEvent[] | SuijiError {
  if (command.type === 'RegisterExpert') {
    const denied = guard(command.metadata, 'expert.write', command.data.department);
    if (denied) return denied;
    return state.exists ? alreadyExists(KIND, command.data.expertId) : [{ type: 'ExpertRegistered', payload: command.data }];
  }
  if (!state.exists) return notFound(KIND, command.data.expertId);
  // L5 under L4: the department that keeps the expert entry maintains it.
  const denied = guard(command.metadata, 'expert.write', state.expert.department);
  if (denied) return denied;
  switch (command.type) {
    case 'UpdateExpert': {
      const changes = changedFields(state.expert, command.data.changes);
      return Object.keys(changes).length === 0 ? [] : [{ type: 'ExpertUpdated', payload: { ...command.data, changes } }];
    }
    case 'ChangeExpertStatus':
      return command.data.status === state.expert.status ? [] : [{ type: 'ExpertStatusChanged', payload: { ...command.data, from: state.expert.status } }];
    case 'DeclareExpertConflict':
      return validateUscc(command.data.uscc, '/uscc') ?? (state.conflicts.includes(command.data.uscc) ? [] : [{ type: 'ExpertConflictDeclared', payload: command.data }]);
    case 'WithdrawExpertConflict':
      return state.conflicts.includes(command.data.uscc) ? [{ type: 'ExpertConflictWithdrawn', payload: command.data }] : [];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const expertDecider: Decider<ExpertCommand, ExpertEvent, ExpertState> = { initialState: initialExpertState, decide, evolve: evolveExpert };
