/**
 * An optional adapter capability for read-your-writes (issue 8 §1): the ledger size right after
 * the latest append made through this store object. A server then makes a read wait for the
 * events it appended itself — a client's acknowledged write — and not for a backlog another
 * process is appending (a CLI import). Not part of the EventStore port: without it, callers
 * treat the whole head as their own (the old, slower, still correct behaviour).
 */
export interface OwnAppends {
  /** Ledger size after this object's latest committed (or idempotently replayed) append; 0 before any. */
  readonly appendedSize: number;
}

export const isOwnAppends = (source: object): source is OwnAppends =>
  typeof (source as { appendedSize?: unknown }).appendedSize === 'number';
