/**
 * Real-file manipulations for issue 7 §4 tests: copy a live ledger as a crash would leave it,
 * restore an old copy, cut the WAL. Only files; no fakes of the store.
 */
import { copyFileSync, existsSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { mintToken } from '../../src/api/tokens.js';
import { tokenDecider, tokenStreamId } from '../../src/domain/tokens/index.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { cliMetadata } from '../../src/cli/cli-actor.js';
import type { EventStore } from '../../src/store/port.js';

const FILES = ['suiji.db', 'suiji.db-wal'];

/** Copies the ledger's db and WAL as they are on disk now (no write in flight: what a kill -9 leaves). */
export function snapshotLedger(dataDir: string, dest: string): void {
  for (const f of FILES) if (existsSync(join(dataDir, f))) copyFileSync(join(dataDir, f), join(dest, f));
}

/** Puts a snapshot back in place of the ledger (the server must be stopped), as restoring a backup would. */
export function restoreLedger(snapshot: string, dataDir: string): void {
  for (const f of [...FILES, 'suiji.db-shm']) rmSync(join(dataDir, f), { force: true });
  for (const f of FILES) if (existsSync(join(snapshot, f))) copyFileSync(join(snapshot, f), join(dataDir, f));
}

/** Keeps the WAL header and the first `keepFraction` of its frames: the tail of the log is lost. */
export function truncateWal(dir: string, keepFraction: number): { before: number; after: number } {
  const wal = join(dir, 'suiji.db-wal');
  const before = statSync(wal).size;
  const frame = 24 + 4096; // frame header + page (SQLite's default page size)
  const frames = Math.floor((before - 32) / frame);
  const after = 32 + Math.floor(frames * keepFraction) * frame;
  truncateSync(wal, after);
  return { before, after };
}

/** Issues a bootstrap admin token as `suiji token create` does; returns the bearer text. */
export async function issueToken(store: EventStore, userId = 'boot'): Promise<string> {
  const minted = mintToken();
  await handleCommand(store, {
    streamId: tokenStreamId(minted.tokenId),
    decider: tokenDecider,
    command: {
      type: 'IssueToken',
      data: { tokenId: minted.tokenId, userId, role: 'admin', department: 'd', secretHash: minted.secretHash },
      metadata: cliMetadata('d'),
    },
  });
  return minted.token;
}
