import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/app.js';
import { openRuntime } from '../src/cli/runtime.js';
import { seedDemoAdmin } from './demo-admin.js';
import { envInt, writeResult } from './util.js';

const MiB = 1024 * 1024;
/** A JPEG start-of-image and JFIF header (accepted type), then random bytes: each file distinct, so none is deduplicated. */
const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
const files = (count: number, size: number): Uint8Array<ArrayBuffer>[] =>
  Array.from({ length: count }, () => {
    const b = randomFillSync(new Uint8Array(size));
    b.set(JPEG_HEAD);
    return b;
  });

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

const mbps = (bytes: number, ms: number): number => +((bytes / MiB) / (ms / 1000)).toFixed(1);

/**
 * E10: evidence upload throughput through the real route over loopback HTTP (stream to a temp
 * file while hashing and sniffing, fsync, link, fsync the directory, then one EvidenceStored
 * append with its own fsync) versus `fs.writeFile` of the same bytes in the same run — the
 * floor of "just put the bytes on disk" (no hash, no fsync, no ledger).
 */
export async function benchEvidence(): Promise<object> {
  const sets = [
    { label: '1 MiB', files: files(envInt('BENCH_EVIDENCE_SMALL', 200), MiB) },
    { label: '20 MiB', files: files(envInt('BENCH_EVIDENCE_LARGE', 10), 20 * MiB) },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'suiji-bench-evidence-'));
  const rt = await openRuntime(join(dir, 'data'));
  const bearer = await seedDemoAdmin(rt.store);
  await rt.projections.start();
  const app = await buildApp({ store: rt.store, projections: rt.projections, evidence: rt.evidence }, { publicRateLimit: false });
  const url = await listen(app);
  const plain = join(dir, 'plain');
  mkdirSync(plain);
  try {
    const results = [];
    for (const set of sets) {
      const bytes = set.files.reduce((n, f) => n + f.length, 0);
      let t0 = performance.now();
      for (const [i, f] of set.files.entries()) await writeFile(join(plain, `${set.label}-${i}`), f);
      const writeFileMs = performance.now() - t0;
      // The durable floor: the same bytes written and fsynced, as the store must (crash safety).
      t0 = performance.now();
      for (const [i, f] of set.files.entries()) {
        const h = await open(join(plain, `${set.label}-sync-${i}`), 'w');
        await h.writeFile(f);
        await h.sync();
        await h.close();
      }
      const syncedMs = performance.now() - t0;
      t0 = performance.now();
      for (const f of set.files) {
        const res = await fetch(`${url}/evidence`, { method: 'POST', headers: { authorization: bearer, 'content-type': 'application/octet-stream' }, body: f });
        if (res.status !== 201) throw new Error(`POST /evidence: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
      const uploadMs = performance.now() - t0;
      const uploadMBps = mbps(bytes, uploadMs);
      const writeFileMBps = mbps(bytes, writeFileMs);
      results.push({ files: set.files.length, fileSize: set.label, totalMiB: bytes / MiB, uploadMBps, writeFileMBps, ratioToWriteFile: +(uploadMBps / writeFileMBps).toFixed(3), writeFileFsyncMBps: mbps(bytes, syncedMs), ratioToWriteFileFsync: +(uploadMBps / mbps(bytes, syncedMs)).toFixed(3) });
    }
    const result = {
      route: 'POST /evidence, one upload at a time over loopback HTTP (hash + sniff + fsync + link + EvidenceStored append)',
      baseline: 'fs.writeFile of the same bytes, same run (no hash, no fsync, no ledger); and writeFile + fsync, the durable floor',
      results,
    };
    writeResult('evidence', result);
    return result;
  } finally {
    await app.close();
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
