/**
 * Child process for tests/store/crash.test.ts and multiprocess.test.ts: appends (forever, or
 * `count` times) and prints one JSON line per acknowledged append. The crash test kills it
 * with SIGKILL at an arbitrary moment.
 *
 *   node append-child.js <dataDir | postgres://URL> [count] [tag]
 */
import { randomUUID } from 'node:crypto';
import { isPostgresUrl, openSqliteStore, openStore } from '../../../src/store/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: append-child <dataDir | postgres://URL> [count] [tag]');
const count = process.argv[3] ? Number(process.argv[3]) : Infinity;
const tag = process.argv[4] ?? 'crash';
const pauseMs = Number(process.env.SUIJI_PAUSE_MS ?? 0);
const store = isPostgresUrl(dataDir) ? await openStore({ dataDir: '', store: dataDir }) : openSqliteStore({ dataDir });

// A start barrier for the multiprocess test: say "ready" on stderr, then wait for a line on
// stdin, so two writers begin at the same moment however long each took to start.
if (process.env.SUIJI_WAIT_GO === '1') {
  process.stderr.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
}
const actor = { userId: 'crash-child', role: 'system', department: 'test' } as const;

for (let i = 0; i < count; i++) {
  const events = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
    eventId: randomUUID(),
    type: 'CrashProbe',
    actor,
    correlationId: `run-${i}`,
    payload: { i, k, filler: 'x'.repeat(200) },
  }));
  const result = await store.append(`${tag}-${i % 5}`, events, 'any');
  process.stdout.write(`${JSON.stringify({ position: result.position, ids: events.map((e) => e.eventId) })}\n`);
  // SQLite's lock is not fair: a writer that appends back to back can keep it while the other
  // sleeps in its busy handler. A pause between appends lets two writers really interleave.
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
await store.close();
