/**
 * Signed checkpoints and proofs (issue 11) at ledger scale, each beside its floor measured in
 * the same run: checkpoint signing (append one event, then sign the head: rotating leaf audit,
 * root from the node cache, consistency check, Ed25519, BEGIN IMMEDIATE insert with fsync)
 * versus raw Ed25519 signing of the same note text; inclusion and consistency proof generation
 * versus raw SHA-256 of an interior node (SHA-256(0x01 ‖ left ‖ right), node:crypto).
 *
 *   BENCH_SCALE=1  1,000,000 events (default 100,000, for CI time); BENCH_CHECKPOINT_EVENTS overrides
 *   BENCH_CHECKPOINT_KEEP_DIR=/path  keep the ledger; reuse it when it already holds that many events
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { initLogKey, loadLogKey, LedgerPublic } from '../src/app/ledger/index.js';
import { openSqliteStore, SqliteLedgerTree } from '../src/store/index.js';
import { nodeHashFast } from '../src/store/frontier.js';
import type { NewEvent } from '../src/store/port.js';
import { formatCheckpoint } from '../src/verify/checkpoint.js';
import { envInt, rate, writeResult } from './util.js';

const actor = { userId: 'bench-user', role: 'inspector', department: 'dept-bench' } as const;
const BATCH = 1000;
const makeBatch = (from: number, n: number): NewEvent[] =>
  Array.from({ length: n }, (_, k) => ({
    eventId: randomUUID(),
    type: 'InspectionResultEntered',
    actor,
    correlationId: `corr-${from + k}`,
    payload: { taskId: `task-${Math.floor((from + k) / 50)}`, result: 'no-problem', notes: '现场检查未发现问题' },
  }));

/** Deterministic indices so runs compare (a 32-bit LCG). */
function* indices(seed: number, below: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    yield x % below;
  }
}

export async function benchCheckpoint(): Promise<object> {
  const total = envInt('BENCH_CHECKPOINT_EVENTS', process.env.BENCH_SCALE === '1' ? 1_000_000 : 100_000);
  const signings = envInt('BENCH_CHECKPOINT_SIGNINGS', 100);
  const proofs = envInt('BENCH_CHECKPOINT_PROOFS', 5000);
  const keep = process.env.BENCH_CHECKPOINT_KEEP_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'suiji-bench-ckpt-'));
  const store = openSqliteStore({ dataDir: dir });
  let tree: SqliteLedgerTree | undefined;
  try {
    const existing = (await store.head()).size;
    const b0 = performance.now();
    for (let i = existing; i < total; i += BATCH) await store.append(`task-${(i / BATCH) % 500}`, makeBatch(i, Math.min(BATCH, total - i)), 'any');
    const buildMs = performance.now() - b0;
    if (!loadLogKey(dir)) initLogKey(dir, { origin: 'bench.suiji.example/ledger' });
    const key = loadLogKey(dir)!;
    tree = new SqliteLedgerTree(dir);
    const ledger = new LedgerPublic({ tree, loadKey: () => key, minIntervalMs: 0, warn: () => undefined });

    // First signature on this ledger: fills the node cache from every stored leaf (once).
    const f0 = performance.now();
    const first = await ledger.signHead();
    const firstSignMs = performance.now() - f0;
    const size0 = first?.size ?? (await store.head()).size;

    // Steady state: one new event, then one new signed checkpoint.
    let signMs = 0;
    for (let i = 0; i < signings; i++) {
      await store.append('bench-tail', makeBatch(total + i, 1), 'any');
      const s0 = performance.now();
      if (!(await ledger.signHead())) throw new Error('nothing signed');
      signMs += performance.now() - s0;
    }
    const body = formatCheckpoint({ origin: key.name, size: size0, root: (await store.head()).root });
    const msg = new TextEncoder().encode(body);
    const e0 = performance.now();
    for (let i = 0; i < signings * 20; i++) ed25519.sign(msg, key.secretKey);
    const ed25519Ms = performance.now() - e0;

    const size = (await store.head()).size;
    const pick = indices(20261202, size);
    const i0 = performance.now();
    let hashes = 0;
    for (let i = 0; i < proofs; i++) hashes += (await ledger.inclusion(pick.next().value!, size)).proof.length;
    const inclusionMs = performance.now() - i0;
    const c0 = performance.now();
    for (let i = 0; i < proofs; i++) await ledger.consistency(1 + (pick.next().value! % (size - 1)), size);
    const consistencyMs = performance.now() - c0;

    const left = new Uint8Array(32).fill(1);
    const right = new Uint8Array(32).fill(2);
    const h0 = performance.now();
    for (let i = 0; i < proofs * 100; i++) nodeHashFast(left, right);
    const shaMs = performance.now() - h0;

    const signPerSec = +(signings / (signMs / 1000)).toFixed(1);
    const ed25519PerSec = rate(signings * 20, ed25519Ms);
    const inclusionPerSec = rate(proofs, inclusionMs);
    const consistencyPerSec = rate(proofs, consistencyMs);
    const sha256NodePerSec = rate(proofs * 100, shaMs);
    const result = {
      events: size,
      buildEventsPerSec: total > existing ? rate(total - existing, buildMs) : null,
      cachedBlocks: tree.cachedBlocks(),
      firstSignatureSeconds: +(firstSignMs / 1000).toFixed(2),
      checkpointSignaturesPerSec: signPerSec,
      rawEd25519SignaturesPerSec: ed25519PerSec,
      signRatio: +(signPerSec / ed25519PerSec).toFixed(4),
      inclusionProofsPerSec: inclusionPerSec,
      consistencyProofsPerSec: consistencyPerSec,
      meanInclusionProofHashes: +(hashes / proofs).toFixed(1),
      rawSha256NodeHashesPerSec: sha256NodePerSec,
      inclusionRatio: +(inclusionPerSec / sha256NodePerSec).toFixed(5),
      consistencyRatio: +(consistencyPerSec / sha256NodePerSec).toFixed(5),
      note: 'checkpoint signing = one append (untimed) then signHead (audit of 256 cached 16-leaf blocks = 4,096 leaves re-hashed, root from cache, consistency check, Ed25519, BEGIN IMMEDIATE insert with fsync); proofs at the head size over random indices/sizes; ratios against raw Ed25519 signing and raw SHA-256 interior-node hashing (node:crypto) in the same run',
    };
    writeResult('checkpoint', result);
    return result;
  } finally {
    tree?.close();
    await store.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchCheckpoint(), null, 2));
}
