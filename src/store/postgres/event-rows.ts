/**
 * How an append's event rows reach PostgreSQL. node-postgres sends a JS array parameter as one
 * array-literal string with every element's `"` and `\` escaped (pg/lib/utils.js `arrayString`),
 * so the province's whole-register DrawCommitted (~13.8 million quoted credit codes and the PL5
 * exemptions: hundreds of millions of characters of JSON) grew past V8's largest string
 * (536,870,888 characters) in the escaping — `RangeError: Invalid string length` — where SQLite
 * binds the same text as it is; at ~400 MB, the escaping under the ledger-head lock outlasted
 * the server's 30 s idle-in-transaction timeout. Hence: an event whose text is above
 * `largeEventChars` is inserted by its own statement with plain parameters (its text goes to the
 * wire unescaped, never copied into a literal), and the ordinary small events still go in unnest
 * statements — one round trip for a batch — of at most BATCH_FACTOR × largeEventChars characters
 * each. The caller runs all of them in the append's one transaction.
 */
import type { PreparedEvent } from '../prepare.js';

/** Default `largeEventChars`: far above any ordinary event (a register event is ~1 KB), far below the limit. */
export const DEFAULT_LARGE_EVENT_CHARS = 1 << 20;

/** An unnest statement carries at most this many times `largeEventChars` of event text; escaping at most doubles it. */
export const BATCH_FACTOR = 16;

/** One events row, in EVENT_COLUMNS order (src/store/rows.ts). */
export type EventRowValues = readonly unknown[];

const COLUMN_COUNT = 12;
const ACTOR = 7;
const PAYLOAD = 10;

/** The characters of an event that can be large: its payload and actor JCS (the other columns are short, bounded ids). */
export const eventChars = (e: Pick<PreparedEvent, 'payloadJson' | 'actorJson'>): number => e.payloadJson.length + e.actorJson.length;

const rowChars = (row: EventRowValues): number => (row[PAYLOAD] as string).length + (row[ACTOR] as string).length;

export interface RowPlan {
  /** Inserted one statement each, with plain parameters. */
  readonly single: EventRowValues[];
  /** Inserted as unnest arrays, one statement per batch; never empty (the last may have no rows). */
  readonly batches: EventRowValues[][];
}

export function planRows(rows: readonly EventRowValues[], largeEventChars: number): RowPlan {
  const single: EventRowValues[] = [];
  const batches: EventRowValues[][] = [[]];
  const batchChars = largeEventChars * BATCH_FACTOR;
  let chars = 0;
  for (const row of rows) {
    const n = rowChars(row);
    if (n > largeEventChars) {
      single.push(row);
      continue;
    }
    if (chars + n > batchChars && batches.at(-1)!.length > 0) {
      batches.push([]);
      chars = 0;
    }
    batches.at(-1)!.push(row);
    chars += n;
  }
  return { single, batches };
}

/** A batch's rows as the twelve column arrays of the unnest statements. */
export function columns(rows: readonly EventRowValues[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: COLUMN_COUNT }, () => new Array<unknown>(rows.length));
  rows.forEach((row, i) => row.forEach((v, k) => (cols[k]![i] = v)));
  return cols;
}
