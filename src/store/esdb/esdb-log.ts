/**
 * The protocol's `StreamLog` over `@eventstore/db-client`: one stream per call, EventStoreDB's
 * expected revision on the physical revision. Every stream of a ledger is prefixed: domain
 * streams `<ledger>/<streamId>`, bookkeeping `<ledger>~ledger` and `<ledger>~tx-<id>`.
 */
import { randomUUID } from 'node:crypto';
import {
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type EventStoreDBClient,
  type JSONEventType,
} from '@eventstore/db-client';
import { SuijiError } from '../../domain/errors.js';
import { DECISION_PREFIX, PhysicalConflict, type LogEvent, type StreamLog } from './protocol.js';
import { mapEsdbError } from './errors.js';

/** A domain event as stored in EventStoreDB's `data`: actor and payload as the JCS text that is hashed. */
export type StoredBody = {
  readonly eventId: string;
  readonly schemaVersion: number;
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly payload: string;
  readonly recordedAt: string;
};

export type TxMeta = {
  readonly suijiTx?: { readonly id: string; readonly at: number };
};

export type StoredEvent = JSONEventType<string, Record<string, unknown>, TxMeta>;

export class StreamNames {
  constructor(readonly ledger: string) {}
  get ledgerStream(): string {
    return `${this.ledger}~ledger`;
  }
  get domainPrefix(): string {
    return `${this.ledger}/`;
  }
  physical(name: string): string {
    return name.startsWith(DECISION_PREFIX) ? `${this.ledger}~tx-${name.slice(DECISION_PREFIX.length)}` : `${this.ledger}/${name}`;
  }
}

/** Reads a body back; anything else in a ledger stream is a corrupt row. */
export function bodyOf(data: unknown, where: Record<string, unknown>): StoredBody {
  const d = data as Partial<StoredBody> | null;
  const ok =
    d !== null && typeof d === 'object' && typeof d.eventId === 'string' && Number.isSafeInteger(d.schemaVersion) &&
    typeof d.actor === 'string' && typeof d.correlationId === 'string' && (d.causationId === null || typeof d.causationId === 'string') &&
    typeof d.payload === 'string' && typeof d.recordedAt === 'string';
  if (!ok) throw new SuijiError('LEDGER_CORRUPT', { reason: 'unparseable-row', ...where });
  return d as StoredBody;
}

export class EsdbLog implements StreamLog<StoredBody> {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly names: StreamNames,
  ) {}

  now(): number {
    return Date.now();
  }

  async append(stream: string, events: readonly LogEvent<StoredBody>[], expectedLast: number): Promise<void> {
    // A fresh EventStoreDB id per physical event: the server's own id-based deduplication must
    // never turn a re-reservation of released events into a silent no-op (suiji's event id is in `data`).
    const data = events.map((e) =>
      jsonEvent<StoredEvent>({ id: randomUUID(), type: e.type, data: (e.body ?? {}) as Record<string, unknown>, metadata: e.tx ? { suijiTx: e.tx } : {} }),
    );
    try {
      await this.client.appendToStream(this.names.physical(stream), data, { expectedRevision: expectedLast < 0 ? NO_STREAM : BigInt(expectedLast) });
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) throw new PhysicalConflict(stream);
      throw mapEsdbError(err);
    }
  }

  async read(stream: string): Promise<LogEvent<StoredBody>[]> {
    const out: LogEvent<StoredBody>[] = [];
    try {
      for await (const r of this.client.readStream<StoredEvent>(this.names.physical(stream), { fromRevision: START, direction: FORWARDS })) {
        const e = r.event;
        if (!e) continue;
        const tx = e.metadata?.suijiTx;
        out.push({ type: e.type, tx, body: e.data as unknown as StoredBody });
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return [];
      throw mapEsdbError(err);
    }
    return out;
  }
}
