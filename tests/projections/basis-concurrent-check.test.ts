import Database from 'better-sqlite3';
import { bytesToHex } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { LedgerBasis } from '../../src/projections/basis.js';
import { NodeMerkleFrontier } from '../../src/store/frontier.js';
import type { Checkpoint, LedgerHead, RecordedEvent } from '../../src/store/port.js';

const leaf = (i: number): Uint8Array => sha256(new TextEncoder().encode(`leaf ${i}`));
const event = (position: number) => ({ position, hash: bytesToHex(leaf(position)) }) as RecordedEvent;
const rootOf = (n: number): string => {
  const f = NodeMerkleFrontier.empty();
  for (let i = 0; i < n; i++) f.push(leaf(i));
  return bytesToHex(f.root());
};

describe('read-model basis check under a concurrent catch-up', () => {
  // Regression: the check read the basis size, waited for the ledger, then compared the ledger's
  // root at that size with the basis root as it was AFTER the wait. A catch-up serving another
  // request advanced the basis meanwhile, so the same history was called different and the read
  // models were dropped mid-request (tests/api/tasks "concurrent creations" got 400 "not a
  // registered department" on PostgreSQL, whose reads really wait).
  it('a basis advanced by another catch-up while its check waits on the ledger is not a different history', async () => {
    const basis = new LedgerBasis(new Database(':memory:'));
    for (let i = 0; i < 2; i++) basis.advance(event(i));
    const store = {
      async head(): Promise<LedgerHead> {
        basis.advance(event(2)); // the other request's catch-up, while this check waits
        return { size: 3, root: rootOf(3) };
      },
      async checkpoints(): Promise<Checkpoint[]> {
        return [{ size: 2, root: rootOf(2), recordedAt: '2026-12-02T00:00:00.000Z' }];
      },
      async readAll(): Promise<RecordedEvent[]> {
        return [event(1)];
      },
    };
    expect(await basis.fault(store, false)).toBeNull();
    expect(basis.size).toBe(3);
  });

  it('a ledger whose root at the basis size differs is still a different history', async () => {
    const basis = new LedgerBasis(new Database(':memory:'));
    for (let i = 0; i < 2; i++) basis.advance(event(i));
    const store = {
      head: async (): Promise<LedgerHead> => ({ size: 3, root: rootOf(3) }),
      checkpoints: async (): Promise<Checkpoint[]> => [{ size: 2, root: rootOf(1), recordedAt: '2026-12-02T00:00:00.000Z' }],
      readAll: async (): Promise<RecordedEvent[]> => [event(1)],
    };
    expect(await basis.fault(store, false)).toEqual({ reason: 'different-history', basisSize: 2 });
  });
});
