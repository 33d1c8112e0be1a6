/**
 * The ledger head as every adapter stores it — size plus the RFC 6962 frontier as one blob of
 * 32-byte subtree roots — and the "no gaps, ever" check every append runs under its write lock
 * (docs/store-port.md §6). Shared so SQLite and PostgreSQL refuse the same way with the same codes.
 */
import { SuijiError } from '../domain/errors.js';
import type { MerkleFrontier } from '../verify/merkle.js';
import { NodeMerkleFrontier } from './frontier.js';
import type { ReadAllOptions } from './port.js';

export interface HeadRow {
  readonly size: number;
  readonly frontier: Uint8Array;
}

const HASH_BYTES = 32;

export function frontierFromRow(row: HeadRow): MerkleFrontier {
  const nodes: Uint8Array[] = [];
  for (let i = 0; i < row.frontier.length; i += HASH_BYTES) nodes.push(Uint8Array.from(row.frontier.subarray(i, i + HASH_BYTES)));
  try {
    return NodeMerkleFrontier.restore(row.size, nodes);
  } catch {
    throw new SuijiError('LEDGER_CORRUPT', { reason: 'head-corrupt', size: row.size });
  }
}

export function frontierBlob(f: MerkleFrontier): Buffer {
  return Buffer.concat(f.subtreeRoots.map((n) => Buffer.from(n.buffer, n.byteOffset, n.byteLength)));
}

/**
 * No gaps, ever (issue 7 §4): the recorded head, the last event row and the last checkpoint
 * must agree, and the ledger must not be shorter than this connection has seen it. A row
 * deleted by hand, or a database swapped for an older copy under a running process, stops
 * every append here instead of writing past a permanent gap.
 * `last` is max(position) (-1 when empty), `lastCheckpoint` max(checkpoint size) (0 when none).
 */
export function checkHeadAgrees(size: number, last: number, lastCheckpoint: number, highWater: number): void {
  if (last !== size - 1 || lastCheckpoint !== size) {
    throw new SuijiError('LEDGER_CORRUPT', { reason: 'head-rows-mismatch', headSize: size, lastPosition: last, lastCheckpoint }, {
      zh: `账本头记录 ${size} 条事件，但最后一条事件位置为 ${last}、最后检查点为 ${lastCheckpoint}：拒绝追加，以免留下空缺`,
      en: `Ledger head records ${size} events but the last event row is at ${last} and the last checkpoint at ${lastCheckpoint}: append refused so no gap is written`,
    });
  }
  if (size < highWater) {
    throw new SuijiError('LEDGER_CORRUPT', { reason: 'head-shrank', headSize: size, seen: highWater }, {
      zh: `账本从 ${highWater} 条事件缩短为 ${size} 条：拒绝追加`,
      en: `Ledger shrank from ${highWater} to ${size} events under this process: append refused`,
    });
  }
}

/** readAll/checkpoints paging, checked; `limit` -1 means no limit. */
export function pageBounds(options: ReadAllOptions): { from: number; limit: number } {
  const from = options.from ?? 0;
  const limit = options.limit ?? -1;
  if (!Number.isSafeInteger(from) || from < 0) throw new SuijiError('VALIDATION_FAILED', { field: 'from', reason: 'must be an integer >= 0' });
  if (options.limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new SuijiError('VALIDATION_FAILED', { field: 'limit', reason: 'must be an integer >= 0' });
  }
  return { from, limit };
}
