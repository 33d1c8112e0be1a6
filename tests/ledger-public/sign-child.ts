/**
 * Child process for tests/ledger-public/signer.test.ts: appends and signs `count` times on one
 * data directory, racing another copy of itself; prints one line per signature it made.
 *
 *   node sign-child.js <dataDir> <count> <tag>
 */
import { randomUUID } from 'node:crypto';
import { openSqliteStore } from '../../src/store/index.js';
import { openLedgerPublic } from '../../src/app/ledger/index.js';

const [dataDir, countText, tag] = process.argv.slice(2) as [string, string, string];
const store = openSqliteStore({ dataDir });
const { ledger, close } = openLedgerPublic(dataDir, { minIntervalMs: 0 });
process.stderr.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
const actor = { userId: 'sign-child', role: 'system', department: 'test' } as const;
for (let i = 0; i < Number(countText); i++) {
  await store.append(`${tag}-${i % 3}`, [{ eventId: randomUUID(), type: 'SignProbe', actor, correlationId: `c-${i}`, payload: { i } }], 'any');
  const signed = await ledger.signHead();
  if (signed) process.stdout.write(`${JSON.stringify({ size: signed.size })}\n`);
}
close();
await store.close();
