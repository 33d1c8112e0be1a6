/**
 * The worker thread of src/store/sqlite/leaf-page-threads.ts: opens the ledger file read-only, reads
 * its share of the pages (every `stride`-th from `first`) with readAll's query, packs each
 * (src/store/leaf-pages.ts) and transfers it to the verifying thread, at most `ahead` pages ahead
 * of what that thread has taken. Any error is posted as `{ error }`; the verifier then fails.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { EVENT_COLUMNS, type EventRow } from '../rows.js';
import { packLeafPage, pageTransfer } from '../leaf-pages.js';
import type { ActorTexts } from '../leaf-rows.js';

export interface LeafPageWorkerData {
  readonly file: string;
  readonly from: number;
  readonly until: number;
  readonly pageSize: number;
  readonly first: number;
  readonly stride: number;
  readonly ahead: number;
}

const port = parentPort!;
const { file, from, until, pageSize, first, stride, ahead } = workerData as LeafPageWorkerData;
const start = (k: number): number => from + k * pageSize;

let db: Database.Database | null = null;
let read: Database.Statement | null = null;
const actors: ActorTexts = new Map();
let credit = ahead;
let k = first;

function pump(): void {
  try {
    if (db === null) {
      db = new Database(file, { readonly: true, fileMustExist: true });
      read = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?`).raw();
    }
    while (credit > 0 && start(k) < until) {
      const at = start(k);
      const rows = read!.all(at, Math.min(pageSize, until - at)) as EventRow[];
      const page = packLeafPage(rows, at, actors);
      port.postMessage({ page }, pageTransfer(page));
      credit -= 1;
      k += stride;
    }
    if (start(k) >= until) {
      db.close();
      port.close();
    }
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
    port.close();
  }
}

port.on('message', (more: number) => {
  credit += more;
  pump();
});
pump();
