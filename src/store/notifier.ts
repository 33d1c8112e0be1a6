/**
 * Wakes subscriptions when the ledger may have grown: immediately on an append by this
 * process, and after `pollMs` otherwise, so appends by another process on the same store
 * are seen too. `seq` prevents a lost wake-up between a read and the wait.
 */
export class ChangeNotifier {
  private counter = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly pollMs: number) {}

  get seq(): number {
    return this.counter;
  }

  bump(): void {
    this.counter += 1;
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `seq` moves past `after`, after the poll interval, or on abort. */
  wait(after: number, signal: AbortSignal): Promise<void> {
    if (this.counter !== after || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, this.pollMs);
      this.waiters.add(finish);
      signal.addEventListener('abort', finish, { once: true });
    });
  }
}
