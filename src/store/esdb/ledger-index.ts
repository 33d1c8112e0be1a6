/**
 * The ledger as this instance reads it from EventStoreDB (docs/store-port.md §10.2): this
 * ledger's committed events in `$all` order get positions 0, 1, 2, …; leaf hashes and the
 * Merkle frontier follow; the bookkeeping stream `<ledger>~ledger` holds the recorded leaf
 * hashes and checkpoints. Every instance builds the same index from the same `$all`.
 * Catch-ups and checkpoint writes run one at a time per store object (one chain), so the
 * counters below are only ever changed by one of them.
 */
import { randomUUID } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils.js';
import { FORWARDS, jsonEvent, NO_STREAM, START, StreamNotFoundError, WrongExpectedVersionError, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import { SuijiError } from '../../domain/errors.js';
import type { Checkpoint, LedgerHead, RecordedEvent } from '../port.js';
import type { IdRow } from '../idempotency.js';
import { envelopeLeaf } from '../envelope.js';
import { NodeMerkleFrontier } from '../frontier.js';
import { resolveTx, type ProtocolOptions } from './protocol.js';
import { bodyOf, type EsdbLog, type StoredBody, type StoredEvent, type StreamNames } from './esdb-log.js';
import { esdbGuarded, mapEsdbError } from './errors.js';

const PAGE = 500;
const CHECKPOINT_TYPE = 'LedgerCheckpoint';

interface CheckpointData {
  readonly size: number;
  readonly root: string;
  readonly recordedAt: string;
  /** Leaf hashes of positions [previous size, size). */
  readonly leaves: readonly string[];
}

interface Indexed {
  readonly event: RecordedEvent;
  readonly payloadJson: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const samePosition = (a: Position | null, b: Position | undefined): boolean => !!a && !!b && a.commit === b.commit && a.prepare === b.prepare;

export class LedgerIndex {
  private readonly events: Indexed[] = [];
  private readonly byId = new Map<string, Indexed>();
  private readonly byStream = new Map<string, RecordedEvent[]>();
  private readonly frontier = NodeMerkleFrontier.empty();
  private allPosition: Position | null = null;
  /** True when the last catch-up stopped at an undecided reservation. */
  private blocked = false;

  // The bookkeeping stream as read so far.
  private ledgerRevision = -1;
  private readonly recordedLeaves: string[] = [];
  private readonly cps: Checkpoint[] = [];

  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly names: StreamNames,
    private readonly log: EsdbLog,
    private readonly protocol: ProtocolOptions,
  ) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Reads the bookkeeping stream, then $all from where the index stopped. A reservation still
   * undecided holds the index back (`wait`: until its transaction is decided, or its lease
   * runs out and it is released).
   */
  catchUp(wait: boolean): Promise<void> {
    return this.serial(() => this.index(wait));
  }

  /** Appends one checkpoint for the index's current size, unless an instance already has. */
  checkpoint(now: () => Date): Promise<void> {
    return this.serial(() => this.writeCheckpoint(now));
  }

  get head(): LedgerHead {
    return { size: this.events.length, root: bytesToHex(this.frontier.root()) };
  }

  page(from: number, limit: number): RecordedEvent[] {
    const end = limit < 0 ? this.events.length : Math.min(this.events.length, from + limit);
    return this.events.slice(from, end).map((i) => this.recorded(i.event));
  }

  stream(streamId: string, fromRevision: number): RecordedEvent[] {
    return (this.byStream.get(streamId) ?? []).slice(fromRevision).map((e) => this.recorded(e));
  }

  streamRevision(streamId: string): number {
    return (this.byStream.get(streamId)?.length ?? 0) - 1;
  }

  checkpoints(from: number, limit: number): Checkpoint[] {
    const all = this.cps.filter((c) => c.size >= from);
    return (limit < 0 ? all : all.slice(0, limit)).map((c) => ({ ...c }));
  }

  byEventId(eventId: string): RecordedEvent | undefined {
    return this.byId.get(eventId)?.event;
  }

  idRow(eventId: string): IdRow | undefined {
    const i = this.byId.get(eventId);
    if (!i) return undefined;
    const e = i.event;
    return { position: e.position, stream_id: e.streamId, revision: e.revision, type: e.type, schema_version: e.schemaVersion, payload: i.payloadJson };
  }

  /** No gaps, ever: the bookkeeping stream must not record more leaves than $all still holds. */
  checkNotShrunk(): void {
    if (!this.blocked && this.recordedLeaves.length > this.events.length) {
      throw new SuijiError('LEDGER_CORRUPT', { reason: 'head-rows-mismatch', headSize: this.recordedLeaves.length, lastPosition: this.events.length - 1 }, {
        zh: `账本记录了 ${this.recordedLeaves.length} 条事件，但 $all 中只剩 ${this.events.length} 条：拒绝追加，以免留下空缺`,
        en: `The ledger records ${this.recordedLeaves.length} events but $all holds only ${this.events.length}: append refused so no gap is written`,
      });
    }
  }

  /** The event as read: with the leaf hash the bookkeeping stream recorded for its position, so a changed event fails verification there. */
  private recorded(e: RecordedEvent): RecordedEvent {
    const h = this.recordedLeaves[e.position];
    return h === undefined || h === e.hash ? e : { ...e, hash: h };
  }

  private async readLedgerStream(): Promise<void> {
    try {
      const read = this.client.readStream<StoredEvent>(this.names.ledgerStream, { fromRevision: BigInt(this.ledgerRevision + 1), direction: FORWARDS });
      for await (const r of read) {
        const e = r.event;
        if (!e) continue;
        const d = e.data as unknown as CheckpointData;
        const from = this.recordedLeaves.length;
        if (e.type !== CHECKPOINT_TYPE || !Array.isArray(d.leaves) || d.size !== from + d.leaves.length || typeof d.root !== 'string') {
          throw new SuijiError('LEDGER_CORRUPT', { reason: 'unparseable-checkpoint', position: from, revision: Number(e.revision) });
        }
        this.recordedLeaves.push(...d.leaves);
        this.cps.push({ size: d.size, root: d.root, recordedAt: d.recordedAt });
        this.ledgerRevision = Number(e.revision);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return;
      throw mapEsdbError(err);
    }
  }

  private async index(wait: boolean): Promise<void> {
    await this.readLedgerStream();
    for (;;) {
      let read = 0;
      let stoppedAtPending = false;
      await esdbGuarded(async () => {
        const page = this.client.readAll({ fromPosition: this.allPosition ?? START, direction: FORWARDS, maxCount: PAGE });
        for await (const r of page) {
          read += 1;
          const e = r.event;
          if (!e) {
            // Nothing to index (an unresolved link); step past it so a page of them cannot loop.
            if (r.commitPosition !== undefined) this.allPosition = { commit: r.commitPosition, prepare: r.commitPosition };
            continue;
          }
          if (samePosition(this.allPosition, e.position)) continue;
          if (e.streamId.startsWith(this.names.domainPrefix)) {
            const tx = (e.metadata as StoredEvent['metadata'] | undefined)?.suijiTx;
            const state = tx ? await resolveTx(this.log, tx, this.protocol) : 'committed';
            if (state === 'pending') {
              stoppedAtPending = true;
              break;
            }
            if (state === 'committed') this.add(e.streamId.slice(this.names.domainPrefix.length), e.type, bodyOf(e.data, { streamId: e.streamId, revision: Number(e.revision) }));
          }
          this.allPosition = e.position;
        }
      });
      this.blocked = stoppedAtPending;
      if (stoppedAtPending) {
        if (!wait) return;
        await sleep(25);
        continue;
      }
      if (read < PAGE) return;
    }
  }

  private add(streamId: string, type: string, b: StoredBody): void {
    const position = this.events.length;
    const stream = this.byStream.get(streamId) ?? [];
    const revision = stream.length;
    const prepared = {
      eventId: b.eventId, type, schemaVersion: b.schemaVersion, actorJson: b.actor,
      correlationId: b.correlationId, causationId: b.causationId, payloadJson: b.payload,
    };
    const { leaf, hex } = envelopeLeaf(prepared, { position, streamId, revision, recordedAt: b.recordedAt });
    let actor: RecordedEvent['actor'];
    let payload: unknown;
    try {
      actor = JSON.parse(b.actor) as RecordedEvent['actor'];
      payload = JSON.parse(b.payload);
    } catch {
      throw new SuijiError('LEDGER_CORRUPT', { reason: 'unparseable-row', position });
    }
    const event: RecordedEvent = {
      position, streamId, revision, eventId: b.eventId, type, schemaVersion: b.schemaVersion, recordedAt: b.recordedAt,
      actor, correlationId: b.correlationId, causationId: b.causationId, payload, hash: hex,
    };
    const indexed = { event, payloadJson: b.payload };
    this.events.push(indexed);
    // The first occurrence answers retries (docs/store-port.md §10.1: ids are unique only per checked write).
    if (!this.byId.has(b.eventId)) this.byId.set(b.eventId, indexed);
    stream.push(event);
    this.byStream.set(streamId, stream);
    this.frontier.push(leaf);
  }

  private async writeCheckpoint(now: () => Date): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await this.readLedgerStream();
      const size = this.events.length;
      const from = this.recordedLeaves.length;
      if (size <= from) return;
      const data: CheckpointData = {
        size,
        root: bytesToHex(this.frontier.root()),
        recordedAt: now().toISOString(),
        leaves: this.events.slice(from, size).map((e) => e.event.hash),
      };
      try {
        await this.client.appendToStream(this.names.ledgerStream, jsonEvent({ id: randomUUID(), type: CHECKPOINT_TYPE, data: data as unknown as Record<string, unknown> }), {
          expectedRevision: this.ledgerRevision < 0 ? NO_STREAM : BigInt(this.ledgerRevision),
        });
        this.recordedLeaves.push(...data.leaves);
        this.cps.push({ size, root: data.root, recordedAt: data.recordedAt });
        this.ledgerRevision += 1;
        return;
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError)) throw mapEsdbError(err);
        // Another instance checkpointed meanwhile: read it, and add ours only beyond it.
      }
    }
  }
}
