import type { Actor } from '../domain/actor.js';

/**
 * The event-store port. Every adapter (SQLite, PostgreSQL, EventStoreDB) implements it and
 * passes `tests/store/contract`. See docs/store-port.md.
 */

/** `noStream`: the stream must not exist; `streamExists`: it must; `any`: no check; a number: the exact current revision (0-based). */
export type ExpectedRevision = 'noStream' | 'streamExists' | 'any' | number;

/** What a command handler hands to the store. Position, revision, time and hash are the store's. */
export interface NewEvent {
  /** UUID; a retried append with the same ids is idempotent. */
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion?: number;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly payload: unknown;
}

/** The envelope as recorded: the leaf of the ledger (docs/ledger-format.md). */
export interface RecordedEvent<P = unknown> {
  /** Global position, 0-based, gap-free, equal to the Merkle leaf index. */
  readonly position: number;
  readonly streamId: string;
  /** Revision within the stream, 0-based. */
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** UTC, millisecond ISO 8601 (`2026-11-25T07:14:29.123Z`). */
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly payload: P;
  /** Leaf hash, lowercase hex: SHA-256(0x00 ‖ JCS(envelope without `hash`)). */
  readonly hash: string;
}

export interface StreamWrite {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the stream's last event after the append. */
  readonly nextRevision: number;
  /** Position of the last event written (or found, for an idempotent retry). */
  readonly position: number;
  /**
   * Present (true) only when the call was an idempotent retry and wrote nothing: the events
   * were already recorded, by an earlier call of this process or by another process. A caller
   * that must say whether *it* wrote (the Idempotency-Key of the API) reads this.
   */
  readonly replayed?: true;
}

export interface LedgerHead {
  /** Number of leaves (events) in the ledger. */
  readonly size: number;
  /** RFC 6962 Merkle tree hash over all leaves, lowercase hex. */
  readonly root: string;
}

export interface Checkpoint extends LedgerHead {
  readonly recordedAt: string;
}

export interface ReadAllOptions {
  /** First position to return (inclusive). Default 0. */
  readonly from?: number;
  readonly limit?: number;
}

export interface Subscription {
  /** Resolves once the subscription has stopped and no handler call is in flight. */
  close(): Promise<void>;
  /** Rejects if the handler threw; the subscription is then stopped. */
  readonly done: Promise<void>;
}

export type EventHandler = (event: RecordedEvent) => void | Promise<void>;

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Atomic append to several streams, each with its own expected revision: all or nothing.
   * This is how cross-stream invariants (PL5, per-entity yearly cap) hold under concurrency.
   */
  appendMulti(writes: readonly StreamWrite[]): Promise<AppendResult[]>;
  /** The whole stream in revision order; `[]` when it does not exist. */
  readStream(streamId: string, fromRevision?: number): Promise<RecordedEvent[]>;
  /** Current revision of a stream, or -1 when it does not exist. */
  streamRevision(streamId: string): Promise<number>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch up from `from` (inclusive), then deliver live events in order, one at a time, without gaps or duplicates. */
  subscribe(from: number, handler: EventHandler): Subscription;
  head(): Promise<LedgerHead>;
  checkpoints(options?: ReadAllOptions): Promise<Checkpoint[]>;
  close(): Promise<void>;
}

/** Validates one event before it is written; throws SuijiError('VALIDATION_FAILED' | 'UNKNOWN_EVENT_TYPE'). */
export type EventValidator = (event: NewEvent) => void;
