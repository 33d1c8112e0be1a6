import { SuijiError } from '../../domain/errors.js';
import { routeRegisterCommand, type RegisterCommand } from '../../domain/registers/index.js';
import { toNewEvents } from '../../store/handle-command.js';
import type { NewEvent, StreamWrite } from '../../store/port.js';

/**
 * The fast path for seeding an EMPTY store: decides every command in memory (the same
 * deciders, the same event ids as `handleCommand` would derive) and groups the events per
 * stream, in order of first appearance, each write expecting `noStream`. Append them with
 * `appendMulti` in chunks (e.g. 2,000 writes). A refused command throws: demo data must be valid.
 */
export function planDemoWrites(commands: readonly RegisterCommand[]): StreamWrite[] {
  const states = new Map<string, unknown>();
  const events = new Map<string, NewEvent[]>();
  for (const command of commands) {
    routeRegisterCommand(command, ({ streamId, decider, command: c }) => {
      const state = states.has(streamId) ? (states.get(streamId) as typeof decider.initialState) : decider.initialState;
      const decided = decider.decide(c, state);
      if (decided instanceof SuijiError) throw decided;
      states.set(streamId, decided.reduce(decider.evolve, state));
      const list = events.get(streamId) ?? [];
      list.push(...toNewEvents(c, decided));
      events.set(streamId, list);
    });
  }
  return [...events.entries()].filter(([, es]) => es.length > 0).map(([streamId, es]) => ({ streamId, events: es, expected: 'noStream' as const }));
}
