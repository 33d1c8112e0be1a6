/**
 * An in-memory stand-in for EventStoreDB's write model, used only to inject faults: streams
 * with atomic single-stream appends checked against the physical last revision (as ESDB's
 * expected revision), and nothing else — no multi-stream transaction. Each writer gets a
 * session whose operations may fail before writing, fail after writing (the answer is lost),
 * or crash the writer for good (every later call of that session fails, so it never
 * compensates). The clock is the number of operations so far: leases expire as work goes on.
 */
import { PhysicalConflict, type LogEvent, type StreamLog } from '../../../src/store/esdb/protocol.js';

export type Fault = 'ok' | 'failBefore' | 'failAfter' | 'crashBefore' | 'crashAfter';

export class InjectedFault extends Error {}

export class FaultLog {
  readonly streams = new Map<string, LogEvent[]>();
  ops = 0;
  /** Added to the clock: the recovery reader jumps far ahead so every lease has run out. */
  skew = 0;

  now(): number {
    return this.ops + this.skew;
  }

  /** A session that takes its faults from `plan`, one per write (reads fail only after a crash). */
  session(plan: readonly Fault[] = [], schedule: <T>(f: () => Promise<T>) => Promise<T> = (f) => f()): StreamLog & { crashed: boolean } {
    let k = 0;
    const log = this;
    const s = {
      crashed: false,
      now: () => log.now(),
      read: (stream: string) =>
        schedule(async () => {
          log.ops += 1;
          if (s.crashed) throw new InjectedFault('crashed');
          return [...(log.streams.get(stream) ?? [])];
        }),
      append: (stream: string, events: readonly LogEvent[], expectedLast: number) =>
        schedule(async () => {
          log.ops += 1;
          if (s.crashed) throw new InjectedFault('crashed');
          const fault = plan[k++] ?? 'ok';
          if (fault === 'failBefore') throw new InjectedFault('failed before writing');
          if (fault === 'crashBefore') {
            s.crashed = true;
            throw new InjectedFault('crashed before writing');
          }
          const current = log.streams.get(stream) ?? [];
          if (current.length - 1 !== expectedLast) throw new PhysicalConflict(stream);
          log.streams.set(stream, [...current, ...events]);
          if (fault === 'failAfter') throw new InjectedFault('written, answer lost');
          if (fault === 'crashAfter') {
            s.crashed = true;
            throw new InjectedFault('written, then crashed');
          }
        }),
    };
    return s;
  }
}
