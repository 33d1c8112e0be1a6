import { SuijiError } from '../../domain/errors.js';
import { routeRegisterCommand, type RegisterCommand } from '../../domain/registers/index.js';
import { foldStream, handleCommand, toNewEvents } from '../../store/handle-command.js';
import { isBulkStreamReader } from '../../store/bulk-streams.js';
import type { EventStore, NewEvent, RecordedEvent, StreamWrite } from '../../store/port.js';
import { TimeSlice } from '../../store/time-slice.js';
import type { ExecuteBatch, ExecuteCommand, Outcome } from './run.js';

async function handle(store: EventStore, command: RegisterCommand): Promise<readonly string[]> {
  const handled = await routeRegisterCommand(command, (r) => handleCommand(store, r));
  return handled.events.map((e) => e.type);
}

/**
 * The executor the CLI and `POST /imports` use: the command handler on the event store.
 *
 * A row's command id is fixed by (file, row), so re-importing the same file after someone
 * else changed that entry decides a different change under event ids the first import already
 * used: the store answers IDEMPOTENCY_CONFLICT. The file is the bureau's statement of the
 * register, so the row is then decided again under an id salted with the stream's current
 * revision. Still idempotent: a retry after that append decides no change.
 */
export const storeExecutor =
  (store: EventStore): ExecuteCommand =>
  async (command) => {
    try {
      return await handle(store, command);
    } catch (e) {
      if (!(e instanceof SuijiError) || e.code !== 'IDEMPOTENCY_CONFLICT') throw e;
      const revision = await routeRegisterCommand(command, (r) => store.streamRevision(r.streamId));
      return handle(store, { ...command, metadata: { ...command.metadata, commandId: `${command.metadata.commandId}@${revision}` } });
    }
  };

const refused = (e: unknown): e is SuijiError => e instanceof SuijiError && e.status < 500;

/**
 * Many rows per ledger transaction (`slice`: where it yields to the event loop): the ledger is synchronous=FULL, so one append per row
 * costs one fsync per row (100,000 rows ≈ 10 minutes on a busy disk; bench/import.ts).
 * Each command is decided exactly as `handleCommand` would (same deciders, same derived
 * event ids), then the batch is appended with `appendMulti`, every stream at the revision
 * it was read at — all or nothing. If that append is refused (another writer got there
 * first, or the catalogue refuses an event), the batch is redone row by row so every row
 * still gets its own outcome; the derived event ids keep that redo idempotent.
 */
export const storeBatchExecutor =
  (store: EventStore, slice: TimeSlice = new TimeSlice()): ExecuteBatch =>
  async (commands) => {
    const streams = new Map<string, { state: unknown; revision: number; events: NewEvent[] }>();
    // One read for the whole batch when the adapter can (most rows of a first import are new
    // streams: one empty SELECT each was ~9% of an import; docs/performance.md "Imports").
    let recordedOf: Map<string, RecordedEvent[]> | undefined;
    if (isBulkStreamReader(store)) {
      const ids = new Set<string>();
      for (const command of commands) routeRegisterCommand(command, ({ streamId }) => ids.add(streamId));
      recordedOf = await store.readStreams([...ids]);
    }
    const outcomes: Outcome[] = [];
    for (const command of commands) {
      // Deciding reads each stream: yield between rows once the slice is used (issue 8 §1).
      await slice.pass();
      const outcome = await routeRegisterCommand(command, async ({ streamId, decider, command: c }): Promise<Outcome> => {
        let s = streams.get(streamId);
        if (!s) {
          const recorded = recordedOf ? (recordedOf.get(streamId) ?? []) : await store.readStream(streamId);
          s = { state: foldStream(decider, recorded), revision: recorded.at(-1)?.revision ?? -1, events: [] };
          streams.set(streamId, s);
        }
        const state = s.state as typeof decider.initialState;
        const decided = decider.decide(c, state);
        if (decided instanceof SuijiError) return decided;
        s.state = decided.reduce(decider.evolve, state);
        s.events.push(...toNewEvents(c, decided));
        return decided.map((e) => e.type);
      });
      outcomes.push(outcome);
    }
    const writes: StreamWrite[] = [...streams.entries()]
      .filter(([, s]) => s.events.length > 0)
      .map(([streamId, s]) => ({ streamId, events: s.events, expected: s.revision < 0 ? 'noStream' : s.revision }));
    if (writes.length === 0) return outcomes;
    try {
      await store.appendMulti(writes);
      return outcomes;
    } catch (e) {
      if (!refused(e)) throw e;
      const one = storeExecutor(store);
      const redone: Outcome[] = [];
      for (const c of commands) {
        await slice.pass();
        try {
          redone.push(await one(c));
        } catch (err) {
          if (!refused(err)) throw err;
          redone.push(err);
        }
      }
      return redone;
    }
  };
