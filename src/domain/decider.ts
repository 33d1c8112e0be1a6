import type { Actor } from './actor.js';
import type { SuijiError } from './errors.js';

/**
 * Emmett-style decider: pure functions over plain data. Time and identity arrive in the
 * command's metadata so `decide` never reads a clock or generates an id (STYLE habit 3).
 */
export interface CommandMetadata {
  readonly actor: Actor;
  /** ISO 8601 UTC instant at which the command was received. */
  readonly now: string;
  /** Unique per command; event ids derive from it, so a retried command is idempotent. */
  readonly commandId: string;
}

export interface Command<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
  readonly metadata: CommandMetadata;
}

export interface Event<T extends string = string, P = unknown> {
  readonly type: T;
  readonly payload: P;
}

export interface Decider<C extends Command, E extends Event, S> {
  readonly initialState: S;
  /** Returns the events the command produces, or a coded error; never both, never partial. */
  decide(command: C, state: S): readonly E[] | SuijiError;
  evolve(state: S, event: E): S;
}

export const fold = <E extends Event, S>(decider: Pick<Decider<Command, E, S>, 'evolve' | 'initialState'>, events: readonly E[]): S =>
  events.reduce(decider.evolve, decider.initialState);
