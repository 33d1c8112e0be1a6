import { defineEvent, type DomainEvent, type PayloadOf } from '../../event-definition.js';
import { idSchema, longTextSchema, reasonSchema, textSchema } from '../schemas.js';
import { indicatorsSchema } from '../targets/filter.js';

/** L4: 建库标准 — name, object type, classification indicators, supervision requirements. */
export const registerStandardSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'objectType', 'indicators', 'supervisionRequirements'],
  properties: {
    name: textSchema,
    objectType: textSchema,
    /** A filter over target attributes (same semantics as pool filters, see targets/filter.ts). */
    indicators: indicatorsSchema,
    supervisionRequirements: longTextSchema,
  },
} as const;

export const SpecialRegisterDefined = defineEvent('SpecialRegisterDefined', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['registerId', 'department', 'version', 'standard'],
  properties: { registerId: idSchema, department: idSchema, version: { const: 1 }, standard: registerStandardSchema },
} as const);
export const RegisterStandardRevised = defineEvent('RegisterStandardRevised', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['registerId', 'version', 'standard', 'reason'],
  properties: { registerId: idSchema, version: { type: 'integer', minimum: 2 }, standard: registerStandardSchema, reason: reasonSchema },
} as const);

export const specialRegisterEventDefinitions = [SpecialRegisterDefined, RegisterStandardRevised] as const;
export type SpecialRegisterEvent = DomainEvent<(typeof specialRegisterEventDefinitions)[number]>;
export type RegisterStandard = PayloadOf<typeof SpecialRegisterDefined>['standard'];

export type SpecialRegisterState =
  | { readonly exists: false }
  | { readonly exists: true; readonly registerId: string; readonly department: string; readonly version: number; readonly standard: RegisterStandard };
export const initialSpecialRegisterState: SpecialRegisterState = { exists: false };

export function evolveSpecialRegister(state: SpecialRegisterState, event: SpecialRegisterEvent): SpecialRegisterState {
  switch (event.type) {
    case 'SpecialRegisterDefined':
      return { exists: true, registerId: event.payload.registerId, department: event.payload.department, version: 1, standard: event.payload.standard };
    case 'RegisterStandardRevised':
      return state.exists ? { ...state, version: event.payload.version, standard: event.payload.standard } : state;
    default:
      return state;
  }
}
