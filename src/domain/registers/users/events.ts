import { defineEvent, type DomainEvent, type PayloadOf } from '../../event-definition.js';
import { idSchema, reasonSchema, textSchema, userRoles } from '../schemas.js';

/** G3: users belong to one department and have one role; P1 needs every actor to be a known user. */
export const userFieldsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'name', 'role', 'department'],
  properties: { userId: idSchema, name: textSchema, role: { enum: userRoles }, department: idSchema },
} as const;

export const UserRegistered = defineEvent('UserRegistered', 1, userFieldsSchema);
export const UserRoleChanged = defineEvent('UserRoleChanged', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'role', 'department'],
  properties: { userId: idSchema, role: { enum: userRoles }, department: idSchema },
} as const);
export const UserDeactivated = defineEvent('UserDeactivated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'reason'],
  properties: { userId: idSchema, reason: reasonSchema },
} as const);

export const userEventDefinitions = [UserRegistered, UserRoleChanged, UserDeactivated] as const;
export type UserEvent = DomainEvent<(typeof userEventDefinitions)[number]>;
export type UserRecord = PayloadOf<typeof UserRegistered> & { readonly active: boolean };

export type UserState = { readonly exists: false } | { readonly exists: true; readonly user: UserRecord };
export const initialUserState: UserState = { exists: false };

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return { exists: true, user: { ...event.payload, active: true } };
    case 'UserRoleChanged':
      return state.exists ? { exists: true, user: { ...state.user, role: event.payload.role, department: event.payload.department } } : state;
    case 'UserDeactivated':
      return state.exists ? { exists: true, user: { ...state.user, active: false } } : state;
    default:
      return state;
  }
}
