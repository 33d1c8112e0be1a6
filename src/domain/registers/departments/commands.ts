import type { FromSchema } from 'json-schema-to-ts';
import type { Command, Decider } from '../../decider.js';
import type { SuijiError } from '../../errors.js';
import { alreadyExists, changedFields, guard, invalid, notFound } from '../guard.js';
import { departmentFieldsSchema, DepartmentUpdated, evolveDepartment, initialDepartmentState, type DepartmentEvent, type DepartmentState } from './events.js';

export const registerDepartmentSchema = departmentFieldsSchema;
export const updateDepartmentSchema = DepartmentUpdated.schema;

export type RegisterDepartment = Command<'RegisterDepartment', FromSchema<typeof registerDepartmentSchema>>;
export type UpdateDepartment = Command<'UpdateDepartment', FromSchema<typeof updateDepartmentSchema>>;
export type DepartmentCommand = RegisterDepartment | UpdateDepartment;

export const departmentStreamId = (departmentId: string): string => `department-${departmentId}`;

function decide(command: DepartmentCommand, state: DepartmentState): readonly DepartmentEvent[] | SuijiError {
  // G3: the organisation chart is managed by admins only.
  const denied = guard(command.metadata, 'department.manage', command.data.departmentId);
  if (denied) return denied;
  switch (command.type) {
    case 'RegisterDepartment': {
      if (state.exists) return alreadyExists('部门 department', command.data.departmentId);
      if (command.data.parentDepartment === command.data.departmentId) {
        return invalid('/parentDepartment', '上级部门不能是自身', 'a department cannot be its own parent', 'G3');
      }
      return [{ type: 'DepartmentRegistered', payload: command.data }];
    }
    case 'UpdateDepartment': {
      if (!state.exists) return notFound('部门 department', command.data.departmentId);
      if (command.data.changes.parentDepartment === command.data.departmentId) {
        return invalid('/changes/parentDepartment', '上级部门不能是自身', 'a department cannot be its own parent', 'G3');
      }
      const changes = changedFields(state.department, command.data.changes);
      return Object.keys(changes).length === 0 ? [] : [{ type: 'DepartmentUpdated', payload: { departmentId: command.data.departmentId, changes } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const departmentDecider: Decider<DepartmentCommand, DepartmentEvent, DepartmentState> = {
  initialState: initialDepartmentState,
  decide,
  evolve: evolveDepartment,
};
