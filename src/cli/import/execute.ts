import { routeRegisterCommand } from '../../domain/registers/index.js';
import { handleCommand } from '../../store/handle-command.js';
import type { EventStore } from '../../store/port.js';
import type { ExecuteCommand } from './run.js';

/** The executor the CLI and `POST /imports` use: the command handler on the event store. */
export const storeExecutor =
  (store: EventStore): ExecuteCommand =>
  async (command) => {
    const handled = await routeRegisterCommand(command, (r) => handleCommand(store, r));
    return handled.events.map((e) => e.type);
  };
