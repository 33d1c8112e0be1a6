import { defineEvent, type DomainEvent, type PayloadOf } from '../../event-definition.js';
import { departmentKinds, idSchema, regionCodeSchema, textSchema } from '../schemas.js';

/** G3: departments (科室/单位) under the county bureau; T8 neighbouring regions for joint matching. */
export const neighbourSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['regionCode', 'name'],
  properties: { regionCode: regionCodeSchema, name: textSchema },
} as const;

export const departmentFieldsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'name', 'kind', 'parentDepartment', 'regionCode', 'neighbouringRegions'],
  properties: {
    departmentId: idSchema,
    name: textSchema,
    kind: { enum: departmentKinds },
    /** null for the top of the hierarchy (the county bureau). */
    parentDepartment: { anyOf: [idSchema, { type: 'null' }] },
    regionCode: regionCodeSchema,
    neighbouringRegions: { type: 'array', maxItems: 50, items: neighbourSchema },
  },
} as const;

export const DepartmentRegistered = defineEvent('DepartmentRegistered', 1, departmentFieldsSchema);
export const DepartmentUpdated = defineEvent('DepartmentUpdated', 1, {
  type: 'object',
  additionalProperties: false,
  required: ['departmentId', 'changes'],
  properties: {
    departmentId: idSchema,
    changes: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        name: textSchema,
        parentDepartment: { anyOf: [idSchema, { type: 'null' }] },
        regionCode: regionCodeSchema,
        neighbouringRegions: departmentFieldsSchema.properties.neighbouringRegions,
      },
    },
  },
} as const);

export const departmentEventDefinitions = [DepartmentRegistered, DepartmentUpdated] as const;
export type DepartmentEvent = DomainEvent<(typeof departmentEventDefinitions)[number]>;
export type DepartmentRecord = PayloadOf<typeof DepartmentRegistered>;

export type DepartmentState = { readonly exists: false } | { readonly exists: true; readonly department: DepartmentRecord };
export const initialDepartmentState: DepartmentState = { exists: false };

export function evolveDepartment(state: DepartmentState, event: DepartmentEvent): DepartmentState {
  switch (event.type) {
    case 'DepartmentRegistered':
      return { exists: true, department: event.payload };
    case 'DepartmentUpdated':
      return state.exists ? { exists: true, department: { ...state.department, ...event.payload.changes } } : state;
    default:
      return state;
  }
}
