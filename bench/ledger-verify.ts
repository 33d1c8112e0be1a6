/**
 * Full ledger verification (verifyLedger: read, rehash every envelope, rebuild the root, check
 * every checkpoint) versus the floor: raw SHA-256 (noble) of the same canonical leaf bytes.
 *
 *   BENCH_VERIFY_EVENTS (default 1000000)  ledger size, built with 1000-event appends
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalBytes } from '../src/verify/jcs.js';
import { openSqliteStore, verifyLedger } from '../src/store/index.js';
import type { NewEvent, RecordedEvent } from '../src/store/port.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench-user', role: 'inspector', department: 'dept-bench' } as const;
const BATCH = 1000;

const makeBatch = (from: number): NewEvent[] =>
  Array.from({ length: BATCH }, (_, k) => ({
    eventId: randomUUID(),
    type: 'InspectionResultEntered',
    actor,
    correlationId: `corr-${from + k}`,
    payload: { taskId: `task-${Math.floor((from + k) / 50)}`, uscc: `91350100M0001${String((from + k) % 100000).padStart(5, '0')}`, result: 'no-problem', notes: '现场检查未发现问题' },
  }));

const leafInput = (e: RecordedEvent): Uint8Array => {
  const { hash: _hash, ...envelope } = e;
  const body = canonicalBytes(envelope);
  const input = new Uint8Array(body.length + 1);
  input.set(body, 1); // 0x00 prefix (RFC 6962 §2.1)
  return input;
};

export async function benchLedgerVerify(): Promise<object> {
  const total = envInt('BENCH_VERIFY_EVENTS', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-verify-'));
  const store = openSqliteStore({ dataDir: dir });
  try {
    const b0 = performance.now();
    for (let i = 0; i < total; i += BATCH) await store.append(`task-${(i / BATCH) % 500}`, makeBatch(i), 'any');
    const buildMs = performance.now() - b0;

    const v0 = performance.now();
    const verdict = await verifyLedger(store, { pageSize: 2000 });
    const verifyMs = performance.now() - v0;
    if (!verdict.ok) throw new Error(`verification failed: ${JSON.stringify(verdict)}`);

    // Same canonical bytes, hashed alone: only the hashing is timed.
    let hashMs = 0;
    for (let from = 0; from < total; from += 2000) {
      const inputs = (await store.readAll({ from, limit: 2000 })).map(leafInput);
      const h0 = performance.now();
      for (const input of inputs) sha256(input);
      hashMs += performance.now() - h0;
    }
    const verifyRate = rate(total, verifyMs);
    const hashRate = rate(total, hashMs);
    const result = {
      events: total,
      buildEventsPerSec: rate(total, buildMs),
      verifyLedgerEventsPerSec: verifyRate,
      rawSha256EventsPerSec: hashRate,
      ratio: +(verifyRate / hashRate).toFixed(3),
      verifySeconds: +(verifyMs / 1000).toFixed(1),
      checkpoints: verdict.checkpoints,
    };
    writeResult('ledger-verify', result);
    return result;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchLedgerVerify(), null, 2));
}
