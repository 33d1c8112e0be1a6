/**
 * A catch-up-then-live subscription over any adapter that can read the ledger in pages
 * (docs/store-port.md §5). One handler call at a time, in position order; a page that
 * skips a position is not delivered past the hole until it fills, so a subscriber never
 * sees a gap (the PostgreSQL high-water-mark problem, STYLE.md "Avoid").
 */
import type { EventHandler, RecordedEvent, Subscription } from './port.js';
import type { ChangeNotifier } from './notifier.js';

export interface SubscriptionSource {
  readPage(from: number, limit: number): Promise<RecordedEvent[]>;
  readonly notifier: ChangeNotifier;
}

export function pagedSubscription(
  source: SubscriptionSource,
  from: number,
  handler: EventHandler,
  pageSize = 500,
): Subscription & { stop(): Promise<void> } {
  const abort = new AbortController();
  let stopped = false;

  const run = async (): Promise<void> => {
    let next = from;
    while (!stopped) {
      const seen = source.notifier.seq;
      const page = await source.readPage(next, pageSize);
      let delivered = 0;
      for (const event of page) {
        if (stopped) return;
        if (event.position !== next) break;
        await handler(event);
        next += 1;
        delivered += 1;
      }
      if (stopped) return;
      if (page.length === pageSize && delivered === page.length) continue;
      await source.notifier.wait(seen, abort.signal);
    }
  };

  const done = run();
  // `done` is for whoever wants it; an unobserved handler failure must not crash the process.
  done.catch(() => undefined);
  const stop = async (): Promise<void> => {
    stopped = true;
    abort.abort();
    await done.catch(() => undefined);
  };
  return { done, close: stop, stop };
}
