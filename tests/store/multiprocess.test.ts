/**
 * Two OS processes appending to one SQLite file at the same time: SQLite's write lock
 * serialises them, and each reloads the other's Merkle frontier, so the result is one
 * gap-free ledger that verifies and holds every acknowledged event exactly once.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openSqliteStore, verifySqliteLedger } from '../../src/store/index.js';
import { compileForNode } from '../helpers/compile.js';
import { tempDir } from '../helpers/temp-dir.js';

let build: { script: string; remove: () => void };
beforeAll(() => {
  build = compileForNode('tests/store/crash/append-child.ts');
});
afterAll(() => build.remove());

/** Starts a writer that waits at its start barrier; `go()` releases it, `done` yields its acks. */
async function start(dataDir: string, count: number, tag: string): Promise<{ go: () => void; done: Promise<{ position: number; ids: string[] }[]> }> {
  const child = spawn(process.execPath, [build.script, dataDir, String(count), tag], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SUIJI_WAIT_GO: '1', SUIJI_PAUSE_MS: '10' } });
  let stderr = '';
  const ready = new Promise<void>((resolve) =>
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('ready\n')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const done = (async () => {
    const acks: { position: number; ids: string[] }[] = [];
    for await (const line of createInterface({ input: child.stdout })) acks.push(JSON.parse(line) as { position: number; ids: string[] });
    const code = await exited;
    if (code !== 0) throw new Error(`writer ${tag} exited ${String(code)}: ${stderr}`);
    return acks;
  })();
  await Promise.race([ready, exited.then((code) => Promise.reject(new Error(`writer ${tag} exited ${String(code)} before its barrier: ${stderr}`)))]);
  return { go: () => child.stdin.end('go\n'), done };
}

describe('P1: concurrent writers in two processes', () => {
  it('interleave into one gap-free, verifiable ledger without losing or repeating an event', async () => {
    const dir = tempDir('suiji-multi-');
    try {
      // Create the file first so both writers open an existing ledger.
      await openSqliteStore({ dataDir: dir.path }).close();
      const writers = await Promise.all([start(dir.path, 150, 'alpha'), start(dir.path, 150, 'beta')]);
      for (const w of writers) w.go();
      const [a, b] = await Promise.all(writers.map((w) => w.done));
      const store = openSqliteStore({ dataDir: dir.path });
      try {
        const all = await store.readAll();
        const expectedIds = [...a!, ...b!].flatMap((ack) => ack.ids).sort();
        expect(all.map((e) => e.eventId).sort()).toEqual(expectedIds);
        expect(all.map((e) => e.position)).toEqual([...all.keys()]);
        // Both started at the barrier, so they really interleaved (otherwise this test proves little).
        const firstBeta = all.findIndex((e) => e.streamId.startsWith('beta'));
        const lastAlpha = all.map((e) => e.streamId.startsWith('alpha')).lastIndexOf(true);
        expect(firstBeta).toBeLessThan(lastAlpha);
        expect(await verifySqliteLedger(dir.path)).toMatchObject({ ok: true, size: all.length, checkpoints: 300 });
      } finally {
        await store.close();
      }
    } finally {
      dir.remove();
    }
  });
});
