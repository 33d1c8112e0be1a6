import type { Command, Decider, Event } from '../domain/decider.js';
import { SuijiError } from '../domain/errors.js';
import { deriveEventId } from './event-id.js';
import type { AppendResult, EventStore, NewEvent, RecordedEvent } from './port.js';

export interface HandleOptions<C extends Command, E extends Event, S> {
  readonly streamId: string;
  readonly decider: Decider<C, E, S>;
  readonly command: C;
  /** Bounded optimistic-concurrency retries (STYLE habit 4). */
  readonly maxRetries?: number;
}

export interface Handled<E extends Event> {
  readonly events: readonly E[];
  /** null when the command decided no events (a no-op). */
  readonly appended: AppendResult | null;
}

/** Rebuilds decider state from a stream's recorded events. */
export const foldStream = <E extends Event, S>(decider: Pick<Decider<Command, E, S>, 'evolve' | 'initialState'>, recorded: readonly RecordedEvent[]): S =>
  recorded.reduce((s, r) => decider.evolve(s, { type: r.type, payload: r.payload } as E), decider.initialState);

export const toNewEvents = (command: Command, events: readonly Event[]): NewEvent[] =>
  events.map((e, i) => ({
    eventId: deriveEventId(command.metadata.commandId, i),
    type: e.type,
    actor: command.metadata.actor,
    correlationId: command.metadata.commandId,
    causationId: command.metadata.commandId,
    payload: e.payload,
  }));

/**
 * Load → decide → append with the expected revision; on a concurrency conflict, reload and
 * decide again, at most `maxRetries` times. A refused command throws and writes nothing.
 */
export async function handleCommand<C extends Command, E extends Event, S>(
  store: EventStore,
  { streamId, decider, command, maxRetries = 3 }: HandleOptions<C, E, S>,
): Promise<Handled<E>> {
  for (let attempt = 0; ; attempt++) {
    const recorded = await store.readStream(streamId);
    const state = foldStream(decider, recorded);
    const decided = decider.decide(command, state);
    if (decided instanceof SuijiError) throw decided;
    if (decided.length === 0) return { events: [], appended: null };
    const expected = recorded.length === 0 ? 'noStream' : recorded[recorded.length - 1]!.revision;
    try {
      const appended = await store.append(streamId, toNewEvents(command, decided), expected);
      return { events: decided, appended };
    } catch (e) {
      if (!(e instanceof SuijiError) || e.code !== 'WRONG_EXPECTED_REVISION' || attempt >= maxRetries) throw e;
    }
  }
}
