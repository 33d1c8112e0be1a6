/**
 * An optional adapter capability for bulk readers such as projection rebuilds: the events of
 * `readAll({ from, limit })` — same events, same order, same decoding — handed to `fn` one by
 * one, synchronously, without building the page array. Decoded events then die young instead
 * of surviving a whole page (a rebuild over 1,000,000 events spent more time in GC than in
 * SQLite; bench/projection-rebuild.ts). Not part of the EventStore port: callers fall back to
 * `readAll` when an adapter lacks it.
 */
import type { RecordedEvent } from './port.js';

export interface BulkEventReader {
  /**
   * `from`/`limit` as in readAll (`limit` undefined: to the end). Returns the number of events
   * handed to `fn`. An error thrown by `fn` stops the read and propagates unchanged.
   */
  forEachEvent(from: number, limit: number | undefined, fn: (event: RecordedEvent) => void): number;
}

export const isBulkEventReader = (source: object): source is BulkEventReader =>
  typeof (source as { forEachEvent?: unknown }).forEachEvent === 'function';
