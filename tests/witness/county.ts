/**
 * A real county for witness tests: the ledger in a SQLite file, the signer, the cosignature
 * service, and the HTTP API listening on a free port. The signer signs on every request that
 * finds the head grown (minIntervalMs 0), so a test never waits for a clock.
 */
import { execFile } from 'node:child_process';
import { cpSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { openLedgerPublic } from '../../src/app/ledger/index.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { issueToken } from '../helpers/ledger-files.js';
import { cliPath } from '../cli/run-cli.js';

export interface County {
  readonly url: string;
  readonly rt: Runtime;
  /** Appends `n` real events (token issues). */
  grow(n: number, tag: string): Promise<void>;
  close(): Promise<void>;
}

export async function startCounty(dataDir: string): Promise<County> {
  const rt = await openRuntime(dataDir, { cosignatures: true });
  const cosignatures = rt.cosignatures!;
  const signer = openLedgerPublic(dataDir, { minIntervalMs: 0, warn: () => undefined, cosignatures: (size) => cosignatures.linesAt(size) });
  let app: FastifyInstance;
  try {
    app = await buildApp({ store: rt.store, projections: rt.projections, ledger: signer.ledger, cosignatures }, { publicRateLimit: false });
  } catch (e) {
    signer.close();
    await rt.close();
    throw e;
  }
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    rt,
    async grow(n, tag) {
      for (let i = 0; i < n; i++) await issueToken(rt.store, `${tag}-${i}`);
    },
    async close() {
      await app.close();
      signer.close();
      await rt.close();
    },
  };
}

/** A copy of a stopped county's data directory: same key, same origin, same history so far. */
export const copyCounty = (from: string, to: string): void => cpSync(from, to, { recursive: true });

/** Runs the built CLI as its own process without blocking this one (the county answers it from here). */
export function suiji(args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}
