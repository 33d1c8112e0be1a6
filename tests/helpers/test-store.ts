/**
 * Which ledger the API and draw harnesses open. Default: the SQLite file in the test's data
 * directory. With ESDB_URL set (an EventStoreDB server, e.g. `esdb://127.0.0.1:2113?tls=false`):
 * a ledger of its own on that server per data directory — the same one when a test reopens the
 * directory (a restart) — so tests sharing the server never see each other's events.
 */
import { createHash, randomUUID } from 'node:crypto';

export const ESDB_URL = process.env.ESDB_URL ?? '';
export const ESDB_SKIP = 'EventStoreDB: skipped — ESDB_URL not set; no EventStoreDB server can run on this machine';

const RUN = randomUUID().slice(0, 8);

/** `ESDB_URL` with `ledger=NAME` added. */
export const esdbLocation = (ledger: string): string => `${ESDB_URL}${ESDB_URL.includes('?') ? '&' : '?'}ledger=${ledger}`;

/** A fresh ledger name on the shared server (lowercase, ≤ 40 characters). */
export const freshEsdbLedger = (): string => `t${RUN}-${randomUUID().slice(0, 12)}`;

export function testStoreLocation(dataDir: string): string | undefined {
  if (!ESDB_URL) return undefined;
  return esdbLocation(`t${RUN}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
}
