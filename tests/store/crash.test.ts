/**
 * Durability (P1): every append acknowledged before a SIGKILL is on disk, intact, after
 * reopening, and the ledger verifies. The writer is a real separate process.
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

interface Ack {
  readonly position: number;
  readonly ids: string[];
}

async function runAndKill(dataDir: string, killAfter: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [build.script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const acks: Ack[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    // Lines are single small pipe writes (atomic below PIPE_BUF), but a kill could still cut
    // the last one; a cut line was never a complete acknowledgement.
    let ack: Ack;
    try {
      ack = JSON.parse(line) as Ack;
    } catch {
      continue;
    }
    acks.push(ack);
    if (acks.length === killAfter) child.kill('SIGKILL');
  }
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`child ended without being killed: ${stderr}`);
  return acks;
}

describe('P1: crash safety of the SQLite store', () => {
  it('after SIGKILL mid-load, every acknowledged event is present and intact and the ledger verifies', async () => {
    const dir = tempDir('suiji-crash-');
    try {
      // Two rounds: the second starts from the crashed file, so recovery of a crashed WAL is exercised too.
      const acks = [...(await runAndKill(dir.path, 150)), ...(await runAndKill(dir.path, 250))];
      const store = openSqliteStore({ dataDir: dir.path });
      try {
        const all = await store.readAll();
        const byId = new Map(all.map((e) => [e.eventId, e]));
        for (const ack of acks) {
          const n = ack.ids.length;
          ack.ids.forEach((id, k) => expect(byId.get(id)?.position).toBe(ack.position - n + 1 + k));
        }
        const lastAck = Math.max(...acks.map((a) => a.position));
        expect(all.length).toBeGreaterThan(lastAck);
        expect(all.map((e) => e.position)).toEqual([...all.keys()]);
        const result = await verifySqliteLedger(dir.path);
        expect(result).toMatchObject({ ok: true, size: all.length });
        expect(await store.append('after-crash', [{ eventId: crypto.randomUUID(), type: 'X', actor: { userId: 'u', role: 'system', department: 'd' }, correlationId: 'c', payload: {} }], 'noStream')).toMatchObject({ position: all.length });
      } finally {
        await store.close();
      }
    } finally {
      dir.remove();
    }
  });
});
