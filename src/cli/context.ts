import type { ProjectionRunner } from '../projections/runner.js';
import type { EventStore } from '../store/port.js';

/** What draw and order commands need opened; in-process tests pass their own stack. */
export interface DrawRuntime {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  close(): Promise<void>;
}
export type OpenDrawRuntime = (dataDir: string) => Promise<DrawRuntime>;

/** Where a command writes and what it opens: the real process in main.ts, a harness in tests. */
export interface CliContext {
  /** One line to stdout. */
  readonly out: (line: string) => void;
  /** Raw text to stdout (a record printed whole). */
  readonly write: (text: string) => void;
  /** Raw text to stderr (help after a usage error, notes). */
  readonly err: (text: string) => void;
  readonly openDraw: OpenDrawRuntime;
}

/** An action's outcome is its exit code (0 ok, 1 verify failure, 2 usage); `act` records it for runProgram. */
export interface ExitBox {
  code: number;
}

/** Wraps an action so its exit code lands in the box (commander ignores an action's result). */
export const act =
  <A extends unknown[]>(box: ExitBox, run: (...args: A) => Promise<number>) =>
  async (...args: A): Promise<void> => {
    box.code = await run(...args);
  };
