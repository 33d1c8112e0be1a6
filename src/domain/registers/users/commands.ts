import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../../decider.js';
import type { SuijiError } from '../../errors.js';
import { ruleViolation } from '../../errors.js';
import { alreadyExists, guard, notFound } from '../guard.js';
import { evolveUser, initialUserState, UserDeactivated, userFieldsSchema, UserRoleChanged, type UserEvent, type UserState } from './events.js';

export const registerUserSchema = userFieldsSchema;
export const changeUserRoleSchema = UserRoleChanged.schema;
export const deactivateUserSchema = UserDeactivated.schema;

export type RegisterUser = Command<'RegisterUser', FromSchema<typeof registerUserSchema>>;
export type ChangeUserRole = Command<'ChangeUserRole', FromSchema<typeof changeUserRoleSchema>>;
export type DeactivateUser = Command<'DeactivateUser', FromSchema<typeof deactivateUserSchema>>;
export type UserCommand = RegisterUser | ChangeUserRole | DeactivateUser;

export const userStreamId = (userId: string): string => `user-${userId}`;

function decide(command: UserCommand, state: UserState): readonly UserEvent[] | SuijiError {
  // G3: only admins manage users (the department given is the user's, for the audit trail).
  const department = command.type === 'DeactivateUser' ? (state.exists ? state.user.department : '') : command.data.department;
  const denied = guard(command.metadata, 'user.manage', department);
  if (denied) return denied;
  switch (command.type) {
    case 'RegisterUser':
      return state.exists ? alreadyExists('用户 user', command.data.userId) : [{ type: 'UserRegistered', payload: command.data }];
    case 'ChangeUserRole': {
      if (!state.exists) return notFound('用户 user', command.data.userId);
      if (!state.user.active) return ruleViolation('G3', '用户已停用', 'the user is deactivated', { field: '/userId' });
      if (state.user.role === command.data.role && state.user.department === command.data.department) return [];
      return [{ type: 'UserRoleChanged', payload: command.data }];
    }
    case 'DeactivateUser':
      if (!state.exists) return notFound('用户 user', command.data.userId);
      return state.user.active ? [{ type: 'UserDeactivated', payload: command.data }] : [];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const userDecider: Decider<UserCommand, UserEvent, UserState> = { initialState: initialUserState, decide, evolve: evolveUser };
