import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../../decider.js';
import type { SuijiError } from '../../errors.js';
import { alreadyExists, guard, notFound, sameValue } from '../guard.js';
import { idSchema, reasonSchema } from '../schemas.js';
import {
  evolveSpecialRegister,
  initialSpecialRegisterState,
  registerStandardSchema,
  type SpecialRegisterEvent,
  type SpecialRegisterState,
} from './events.js';

export const defineSpecialRegisterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['registerId', 'department', 'standard'],
  properties: { registerId: idSchema, department: idSchema, standard: registerStandardSchema },
} as const;
export const reviseRegisterStandardSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['registerId', 'standard', 'reason'],
  properties: { registerId: idSchema, standard: registerStandardSchema, reason: reasonSchema },
} as const;

export type DefineSpecialRegister = Command<'DefineSpecialRegister', FromSchema<typeof defineSpecialRegisterSchema>>;
export type ReviseRegisterStandard = Command<'ReviseRegisterStandard', FromSchema<typeof reviseRegisterStandardSchema>>;
export type SpecialRegisterCommand = DefineSpecialRegister | ReviseRegisterStandard;

export const specialRegisterStreamId = (registerId: string): string => `specialRegister-${registerId}`;

const KIND = '分类专项名录库 special register';

function decide(command: SpecialRegisterCommand, state: SpecialRegisterState): readonly SpecialRegisterEvent[] | SuijiError {
  switch (command.type) {
    case 'DefineSpecialRegister': {
      const { registerId, department, standard } = command.data;
      // L4: the department leading the business line sets the standard of its special register.
      const denied = guard(command.metadata, 'specialRegister.write', department);
      if (denied) return denied;
      if (state.exists) return alreadyExists(KIND, registerId);
      return [{ type: 'SpecialRegisterDefined', payload: { registerId, department, version: 1, standard } }];
    }
    case 'ReviseRegisterStandard': {
      if (!state.exists) return notFound(KIND, command.data.registerId);
      const denied = guard(command.metadata, 'specialRegister.write', state.department);
      if (denied) return denied;
      if (sameValue(state.standard, command.data.standard)) return [];
      return [{ type: 'RegisterStandardRevised', payload: { ...command.data, version: state.version + 1 } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const specialRegisterDecider: Decider<SpecialRegisterCommand, SpecialRegisterEvent, SpecialRegisterState> = {
  initialState: initialSpecialRegisterState,
  decide,
  evolve: evolveSpecialRegister,
};
