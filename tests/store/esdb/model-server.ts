/**
 * An in-memory model of the part of EventStoreDB the adapter uses — streams with expected
 * revisions, $all with non-contiguous commit positions and system events, catch-up
 * subscriptions — behind the `@eventstore/db-client` calls the adapter makes. It exists to
 * inject faults no real server would give on demand (a client that dies between two writes,
 * an answer lost after the write, events vanishing from $all); tests/store/esdb.test.ts runs
 * the same adapter against a real server when ESDB_URL is set. Nothing here is production code.
 */
import { EventEmitter } from 'node:events';
import { NO_STREAM, STREAM_EXISTS, StreamNotFoundError, WrongExpectedVersionError, type EventStoreDBClient, type Position } from '@eventstore/db-client';

interface Stored {
  streamId: string;
  revision: bigint;
  type: string;
  id: string;
  data: unknown;
  metadata: unknown;
  created: Date;
  position: Position;
  isJson: true;
}

export class ModelServer {
  readonly all: Stored[] = [];
  private readonly last = new Map<string, bigint>();
  private readonly subscribers = new Set<EventEmitter>();
  private commit = 1000n;

  constructor() {
    // Another application's stream and a system event share $all with the ledger.
    this.write('$stats-127.0.0.1:2113', [{ id: '0', type: '$statsCollected', data: {}, metadata: {} }]);
    this.write('other-app-orders', [{ id: '1', type: 'OrderPlaced', data: {}, metadata: {} }]);
  }

  write(streamId: string, events: readonly { id: string; type: string; data: unknown; metadata: unknown }[]): void {
    let rev = this.last.get(streamId) ?? -1n;
    for (const e of events) {
      rev += 1n;
      // Commit positions have gaps, as EventStoreDB's do: they are byte offsets in its log.
      this.commit += 37n + BigInt(this.all.length % 5);
      this.all.push({ streamId, revision: rev, type: e.type, id: e.id, data: structuredClone(e.data), metadata: structuredClone(e.metadata), created: new Date(), position: { commit: this.commit, prepare: this.commit }, isJson: true });
    }
    this.last.set(streamId, rev);
    for (const s of this.subscribers) s.emit('data', {});
  }

  revision(streamId: string): bigint | undefined {
    return this.last.get(streamId);
  }

  /** Fault: every event of a stream disappears from $all and from the stream (a hard delete after a scavenge). */
  erase(streamId: string): void {
    for (let i = this.all.length - 1; i >= 0; i--) if (this.all[i]!.streamId === streamId) this.all.splice(i, 1);
    this.last.delete(streamId);
  }

  subscribe(): EventEmitter & { unsubscribe(): Promise<void> } {
    const em = Object.assign(new EventEmitter(), { unsubscribe: async () => void this.subscribers.delete(em) });
    this.subscribers.add(em);
    return em;
  }
}

export interface ClientFaults {
  /** Called before each append; 'fail' throws before writing, 'lost' writes then throws, 'crash' fails this and every later call. */
  beforeAppend?: (stream: string, n: number) => 'ok' | 'fail' | 'lost' | 'crash';
}

/** One instance's connection to the model server. */
export function modelClient(server: ModelServer, faults: ClientFaults = {}): EventStoreDBClient & { crashed: boolean } {
  let appends = 0;
  const state = { crashed: false };
  const alive = (): void => {
    if (state.crashed) throw new Error('UNAVAILABLE: model client crashed');
  };
  const client = {
    get crashed() {
      return state.crashed;
    },
    async appendToStream(streamName: string, events: unknown, options: { expectedRevision?: unknown } = {}) {
      await Promise.resolve();
      alive();
      const list = (Array.isArray(events) ? events : [events]) as { id: string; type: string; data: unknown; metadata: unknown }[];
      const fault = faults.beforeAppend?.(streamName, appends++) ?? 'ok';
      if (fault === 'fail') throw new Error('UNAVAILABLE: injected failure before the write');
      if (fault === 'crash') {
        state.crashed = true;
        alive();
      }
      const current = server.revision(streamName);
      const expected = options.expectedRevision ?? 'any';
      const ok =
        expected === 'any' ||
        (expected === NO_STREAM && current === undefined) ||
        (expected === STREAM_EXISTS && current !== undefined) ||
        (typeof expected === 'bigint' && current === expected);
      if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, current: current ?? NO_STREAM, expected } as never);
      server.write(streamName, list);
      if (fault === 'lost') throw new Error('DEADLINE_EXCEEDED: injected, the write happened');
      return { success: true, nextExpectedRevision: server.revision(streamName), position: server.all.at(-1)!.position };
    },
    readStream(streamName: string, options: { fromRevision?: unknown } = {}) {
      return (async function* () {
        await Promise.resolve();
        alive();
        if (server.revision(streamName) === undefined) throw new StreamNotFoundError(undefined, streamName);
        const from = typeof options.fromRevision === 'bigint' ? options.fromRevision : 0n;
        for (const e of server.all.filter((x) => x.streamId === streamName && x.revision >= from)) yield { event: { ...e } };
      })();
    },
    readAll(options: { fromPosition?: unknown; maxCount?: number } = {}) {
      return (async function* () {
        await Promise.resolve();
        alive();
        const from = typeof options.fromPosition === 'object' ? (options.fromPosition as Position).commit : -1n;
        let n = 0;
        for (const e of server.all) {
          if (e.position.commit < from) continue;
          if (n++ >= (options.maxCount ?? Infinity)) return;
          yield { event: { ...e }, commitPosition: e.position.commit };
        }
      })();
    },
    subscribeToAll() {
      return server.subscribe();
    },
    async dispose() {},
  };
  return client as unknown as EventStoreDBClient & { crashed: boolean };
}
