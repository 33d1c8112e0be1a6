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

async function run(dataDir: string, count: number, tag: string): Promise<{ position: number; ids: string[] }[]> {
  const child = spawn(process.execPath, [build.script, dataDir, String(count), tag], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const acks: { position: number; ids: string[] }[] = [];
  for await (const line of createInterface({ input: child.stdout })) acks.push(JSON.parse(line) as { position: number; ids: string[] });
  const code = await exited;
  if (code !== 0) throw new Error(`writer ${tag} exited ${String(code)}: ${stderr}`);
  return acks;
}

describe('P1: concurrent writers in two processes', () => {
  it('interleave into one gap-free, verifiable ledger without losing or repeating an event', async () => {
    const dir = tempDir('suiji-multi-');
    try {
      // Create the file first so both writers open an existing ledger.
      await openSqliteStore({ dataDir: dir.path }).close();
      const [a, b] = await Promise.all([run(dir.path, 150, 'alpha'), run(dir.path, 150, 'beta')]);
      const store = openSqliteStore({ dataDir: dir.path });
      try {
        const all = await store.readAll();
        const expectedIds = [...a!, ...b!].flatMap((ack) => ack.ids).sort();
        expect(all.map((e) => e.eventId).sort()).toEqual(expectedIds);
        expect(all.map((e) => e.position)).toEqual([...all.keys()]);
        // The two writers really interleaved (otherwise this test proves little).
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
