/**
 * An optional adapter capability for batch writers such as register imports (issue 13): the
 * events of several streams in one read — for each stream, exactly what `readStream(id)` returns —
 * instead of one query per stream. A 1,000,000-row import read one (mostly empty) stream per
 * row before deciding: ~9% of its time (docs/performance.md "Imports"). Not part of the
 * EventStore port: callers fall back to `readStream` when an adapter lacks it.
 */
import type { RecordedEvent } from './port.js';

export interface BulkStreamReader {
  /** Every stream's events in revision order; a stream with no events is absent from the map. */
  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
}

export const isBulkStreamReader = (store: object): store is BulkStreamReader =>
  typeof (store as { readStreams?: unknown }).readStreams === 'function';
