/**
 * LeafPageReader (src/store/leaf-pages.ts) for the SQLite file: worker threads read and pack the
 * pages while the verifying thread hashes. Reading the rows, checking their columns and splicing
 * the envelope text were about 55 % of `ledger verify` at 1,000,000 events, hashing about 20 %
 * (docs/performance.md, "Ledger verification", lane lverify3): on two cores the two halves overlap.
 *
 * With `readers` workers, worker i reads pages i, i + readers, …; pages are handed out in order.
 * A worker that fails — an error it reports, an uncaught error, an exit before its last page, a
 * message that is not a page — fails the stream: `next()` rejects with STORE_UNAVAILABLE, and the
 * verification reports a store error (never ok).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SuijiError } from '../../domain/errors.js';
import type { LeafPage, LeafPageStream } from '../leaf-pages.js';
import type { LeafPageWorkerData } from './leaf-page-worker.js';

export interface LeafPageThreadOptions {
  /** Worker threads reading (default 1: with the verifying thread, the two cores of this machine). */
  readonly readers?: number;
  /** Pages a worker may read ahead of the verifier (default 4; memory is about that many pages per worker). */
  readonly ahead?: number;
  /** Starts a worker (tests: one that fails). Default: leaf-page-worker. */
  readonly spawn?: (data: LeafPageWorkerData) => Worker;
}

const compiled = new URL('./leaf-page-worker.js', import.meta.url);
let bundled: string | undefined;

/**
 * The worker from dist/ when built; from the TypeScript sources (vitest runs them), bundled once
 * per process with esbuild into a CommonJS script, since Node 20 cannot run a .ts worker.
 */
export function spawnLeafPageWorker(data: LeafPageWorkerData): Worker {
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData: data });
  if (bundled === undefined) {
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./leaf-page-worker.ts', import.meta.url))],
      bundle: true, platform: 'node', format: 'cjs', write: false, external: ['better-sqlite3'], logLevel: 'silent',
    });
    // An eval'd worker resolves modules from the working directory: name better-sqlite3 by its path.
    bundled = out.outputFiles[0]!.text.replaceAll('require("better-sqlite3")', `require(${JSON.stringify(require.resolve('better-sqlite3'))})`);
  }
  return new Worker(bundled, { eval: true, workerData: data });
}

const failure = (why: string): SuijiError =>
  new SuijiError('STORE_UNAVAILABLE', { reason: 'ledger-reader-thread', why }, {
    zh: `账本读取线程失败：${why}`,
    en: `The ledger reader thread failed: ${why}`,
  });

const isPage = (m: unknown): m is { page: LeafPage } => {
  const p = (m as { page?: Partial<LeafPage> } | null)?.page;
  return typeof p === 'object' && p !== null && typeof p.from === 'number' && typeof p.count === 'number' && typeof p.sound === 'number' &&
    p.bytes instanceof Uint8Array && p.ends instanceof Uint32Array && p.payloads instanceof Uint32Array && p.hashes instanceof Uint8Array &&
    p.typeOf instanceof Uint16Array && Array.isArray(p.types) && p.sound <= p.count && p.ends.length >= p.sound &&
    p.payloads.length >= 2 * p.sound && p.hashes.length >= 32 * p.sound && p.typeOf.length >= p.sound;
};

export function openLeafPageThreads(file: string, from: number, until: number, pageSize: number, options: LeafPageThreadOptions = {}): LeafPageStream {
  const readers = Math.max(1, options.readers ?? 1);
  const ahead = Math.max(1, options.ahead ?? 4);
  const spawn = options.spawn ?? spawnLeafPageWorker;
  const pages = Math.max(0, Math.ceil((until - from) / pageSize));
  const queues: LeafPage[][] = [];
  const workers: Worker[] = [];
  let failed: SuijiError | null = null;
  let closed = false;
  let next = 0;
  let waiting: { worker: number; resolve: (p: LeafPage) => void; reject: (e: Error) => void } | null = null;

  const fail = (why: string): void => {
    if (failed !== null || closed) return;
    failed = failure(why);
    waiting?.reject(failed);
    waiting = null;
    for (const w of workers) void w.terminate();
  };

  for (let i = 0; i < Math.min(readers, pages); i++) {
    const expected = Math.ceil((pages - i) / readers);
    let received = 0;
    queues.push([]);
    const worker = spawn({ file, from, until, pageSize, first: i, stride: readers, ahead });
    workers.push(worker);
    worker.on('message', (m: unknown) => {
      if (!isPage(m)) return fail(typeof (m as { error?: unknown } | null)?.error === 'string' ? (m as { error: string }).error : 'unexpected message from the reader');
      received += 1;
      if (waiting !== null && waiting.worker === i) {
        const { resolve } = waiting;
        waiting = null;
        resolve(m.page);
      } else queues[i]!.push(m.page);
    });
    worker.on('error', (err) => fail(err instanceof Error ? err.message : String(err)));
    worker.on('messageerror', () => fail('a page could not be received'));
    // Checked a turn later, so that pages posted just before the exit are counted first.
    worker.on('exit', (code) => setImmediate(() => {
      if (received < expected) fail(`reader ${i} exited (code ${code}) after ${received} of ${expected} pages`);
    }));
  }

  return {
    next(): Promise<LeafPage | null> {
      if (failed !== null) return Promise.reject(failed);
      if (closed || next >= pages) return Promise.resolve(null);
      const k = next;
      next += 1;
      const i = k % workers.length;
      // Taking a page lets its reader read one more.
      workers[i]!.postMessage(1);
      const queued = queues[i]!.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        waiting = { worker: i, resolve, reject };
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      waiting?.reject(failure('closed'));
      waiting = null;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
