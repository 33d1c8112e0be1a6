import type { Command, Decider, Event } from '../decider.js';
import { departmentDecider, departmentStreamId, registerDepartmentSchema, updateDepartmentSchema, type DepartmentCommand } from './departments/commands.js';
import {
  changeExpertStatusSchema,
  expertConflictSchema,
  expertDecider,
  expertStreamId,
  registerExpertSchema,
  updateExpertSchema,
  type ExpertCommand,
} from './experts/commands.js';
import {
  changeInspectorStatusSchema,
  inspectorConflictSchema,
  inspectorDecider,
  inspectorStreamId,
  registerInspectorSchema,
  syncInspectorSchema,
  updateInspectorSchema,
  type InspectorCommand,
} from './inspectors/commands.js';
import { itemListDecider, itemListStreamId, publishItemListSchema, type ItemListCommand } from './item-list/commands.js';
import { defineSpecialRegisterSchema, reviseRegisterStandardSchema, specialRegisterDecider, specialRegisterStreamId, type SpecialRegisterCommand } from './special-registers/commands.js';
import {
  admitTargetSchema,
  changeTargetStatusSchema,
  registerTargetSchema,
  removeTargetSchema,
  syncTargetSchema,
  targetDecider,
  targetStreamId,
  transferTargetSchema,
  updateTargetSchema,
  type TargetCommand,
} from './targets/commands.js';
import { changeUserRoleSchema, deactivateUserSchema, registerUserSchema, userDecider, userStreamId, type UserCommand } from './users/commands.js';

export type RegisterCommand = DepartmentCommand | UserCommand | ItemListCommand | TargetCommand | SpecialRegisterCommand | InspectorCommand | ExpertCommand;
export type RegisterCommandType = RegisterCommand['type'];

/** JSON Schema of every register command's `data`, for HTTP routes and the CLI (unknown keys refused). */
export const registerCommandSchemas = {
  RegisterDepartment: registerDepartmentSchema,
  UpdateDepartment: updateDepartmentSchema,
  RegisterUser: registerUserSchema,
  ChangeUserRole: changeUserRoleSchema,
  DeactivateUser: deactivateUserSchema,
  PublishItemList: publishItemListSchema,
  RegisterTarget: registerTargetSchema,
  SyncTarget: syncTargetSchema,
  UpdateTarget: updateTargetSchema,
  ChangeTargetStatus: changeTargetStatusSchema,
  TransferTarget: transferTargetSchema,
  AdmitTargetToSpecialRegister: admitTargetSchema,
  RemoveTargetFromSpecialRegister: removeTargetSchema,
  DefineSpecialRegister: defineSpecialRegisterSchema,
  ReviseRegisterStandard: reviseRegisterStandardSchema,
  RegisterInspector: registerInspectorSchema,
  SyncInspector: syncInspectorSchema,
  UpdateInspector: updateInspectorSchema,
  ChangeInspectorStatus: changeInspectorStatusSchema,
  DeclareInspectorConflict: inspectorConflictSchema,
  WithdrawInspectorConflict: inspectorConflictSchema,
  RegisterExpert: registerExpertSchema,
  UpdateExpert: updateExpertSchema,
  ChangeExpertStatus: changeExpertStatusSchema,
  DeclareExpertConflict: expertConflictSchema,
  WithdrawExpertConflict: expertConflictSchema,
} as const satisfies Record<RegisterCommandType, object>;

export const registerCommandTypes = Object.keys(registerCommandSchemas) as RegisterCommandType[];

export interface RoutedCommand<C extends Command, E extends Event, S> {
  readonly streamId: string;
  readonly decider: Decider<C, E, S>;
  readonly command: C;
}

/** Called with the stream and decider of a command, keeping the types tied (e.g. `(r) => handleCommand(store, r)`). */
export type CommandRunner<R> = <C extends Command, E extends Event, S>(routed: RoutedCommand<C, E, S>) => R;

/**
 * Stream id scheme: `department-<id>`, `user-<id>`, `itemList-<departmentId>`,
 * `target-<uscc>`, `specialRegister-<id>`, `inspector-<id>`, `expert-<id>`.
 */
export function routeRegisterCommand<R>(command: RegisterCommand, run: CommandRunner<R>): R {
  switch (command.type) {
    case 'RegisterDepartment':
    case 'UpdateDepartment':
      return run({ streamId: departmentStreamId(command.data.departmentId), decider: departmentDecider, command });
    case 'RegisterUser':
    case 'ChangeUserRole':
    case 'DeactivateUser':
      return run({ streamId: userStreamId(command.data.userId), decider: userDecider, command });
    case 'PublishItemList':
      return run({ streamId: itemListStreamId(command.data.departmentId), decider: itemListDecider, command });
    case 'RegisterTarget':
    case 'SyncTarget':
    case 'UpdateTarget':
    case 'ChangeTargetStatus':
    case 'TransferTarget':
    case 'AdmitTargetToSpecialRegister':
    case 'RemoveTargetFromSpecialRegister':
      return run({ streamId: targetStreamId(command.data.uscc), decider: targetDecider, command });
    case 'DefineSpecialRegister':
    case 'ReviseRegisterStandard':
      return run({ streamId: specialRegisterStreamId(command.data.registerId), decider: specialRegisterDecider, command });
    case 'RegisterInspector':
    case 'SyncInspector':
    case 'UpdateInspector':
    case 'ChangeInspectorStatus':
    case 'DeclareInspectorConflict':
    case 'WithdrawInspectorConflict':
      return run({ streamId: inspectorStreamId(command.data.inspectorId), decider: inspectorDecider, command });
    case 'RegisterExpert':
    case 'UpdateExpert':
    case 'ChangeExpertStatus':
    case 'DeclareExpertConflict':
    case 'WithdrawExpertConflict':
      return run({ streamId: expertStreamId(command.data.expertId), decider: expertDecider, command });
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}
