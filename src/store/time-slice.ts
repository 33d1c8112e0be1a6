/**
 * Cooperative slicing for long synchronous work on the server's one thread (issue 8 §1): a
 * loop calls `slice.pass()` between units of work; once the slice has run `budgetMs`, it
 * yields to the event loop with setImmediate, so pending I/O — a `GET /health`, a register
 * read — is served before the next slice. A microtask (`await Promise.resolve()`) is not
 * enough: I/O callbacks run only in a later macrotask.
 *
 * The budget is measured per slice, not a guessed row count: a slice is as many units as fit
 * in `budgetMs` on this machine (bench/responsiveness.ts measures the resulting latency).
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Default slice: well under the 100 ms p99 goal of bench/responsiveness.ts, leaving room for one indivisible unit. */
export const DEFAULT_SLICE_MS = 5;

export class TimeSlice {
  private started = performance.now();
  /** How many times this slice yielded (tests check that long work did yield). */
  yields = 0;

  constructor(private readonly budgetMs = DEFAULT_SLICE_MS) {}

  /** Yields when the current slice has used its budget; otherwise resolves at once (no macrotask). */
  pass(): Promise<void> | undefined {
    if (performance.now() - this.started < this.budgetMs) return undefined;
    return this.yieldNow();
  }

  async yieldNow(): Promise<void> {
    this.yields += 1;
    await yieldToEventLoop();
    this.started = performance.now();
  }
}
