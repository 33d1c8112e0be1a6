/**
 * P1 / E6, issue 13: `ledger verify` on SQLite hashes the stored JCS text of each row with
 * node:crypto (src/store/leaf-rows.ts); the browser verifier (src/verify, @noble only)
 * re-encodes decoded envelopes. Both must agree on a real ledger and on tampered ones, and the
 * stored-text pass must report every fault exactly as the decoded pass does.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bytesToHex } from '@noble/hashes/utils.js';
import { openSqliteStore, verifyLedger, type LedgerVerification, type SqliteEventStore } from '../../src/store/index.js';
import { envelopeLeafHash } from '../../src/verify/ledger.js';
import { merkleRoot } from '../../src/verify/merkle.js';
import type { Actor } from '../../src/domain/actor.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newEvent } from '../helpers/events.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const actors: Actor[] = [
  { userId: 'u-001', role: 'operator', department: 'dept-a' },
  { userId: '检查员-7', role: 'inspector', department: '市场监管局 "东区"' },
];

/** 40 events over 15 appends: CJK, escapes, emoji, nested payloads, null and set causation ids. */
async function buildLedger(): Promise<string> {
  const d = tempDir('suiji-verify-text-');
  dirs.push(d);
  const store = openSqliteStore({ dataDir: d.path });
  let n = 0;
  for (let a = 0; a < 15; a++) {
    const events = Array.from({ length: 1 + (a % 4) }, () => {
      n += 1;
      return newEvent({
        actor: actors[n % 2]!,
        causationId: n % 3 === 0 ? `cause-${n}` : null,
        correlationId: `corr-${n}`,
        payload: { n, name: `企业-${n} "引号" \\ 😀`, nested: { b: [1, 2.5, -3e-7, null, true], a: 'x\u0001\n' }, marker: `MARK${String(n).padStart(3, '0')}` },
      });
    });
    await store.append(`stream-${a % 5}`, events, 'any');
  }
  await store.close();
  return d.path;
}

const withDb = (dataDir: string, fn: (db: Database.Database) => void): void => {
  const db = new Database(join(dataDir, 'suiji.db'));
  try {
    fn(db);
  } finally {
    db.close();
  }
};

/** The browser verifier's view: every leaf via src/verify (@noble), every checkpoint and the head root via merkleRoot. */
async function nobleVerdict(store: SqliteEventStore): Promise<{ ok: boolean; root: string }> {
  const events = await store.readAll();
  const leaves = events.map(({ hash: _h, ...envelope }) => envelopeLeafHash(envelope));
  const leavesOk = events.every((e, i) => e.position === i && e.hash === bytesToHex(leaves[i]!));
  const checkpoints = await store.checkpoints({ from: 1, limit: 1000 });
  const cpsOk = checkpoints.every((cp) => cp.size <= leaves.length && bytesToHex(merkleRoot(leaves.slice(0, cp.size))) === cp.root);
  const head = await store.head();
  const root = bytesToHex(merkleRoot(leaves));
  return { ok: leavesOk && cpsOk && head.size === leaves.length && root === head.root, root };
}

/** Default verification (stored-text pass), decoded-only verification, and the @noble verifier, on one file. */
async function threeWays(dataDir: string) {
  const store = openSqliteStore({ dataDir, create: false });
  try {
    const rows = vi.spyOn(store, 'forEachRow');
    const reads = vi.spyOn(store, 'readAll');
    const fast = await verifyLedger(store, { pageSize: 7 });
    const usedRows = rows.mock.calls.length;
    const usedDecoded = reads.mock.calls.length;
    rows.mockRestore();
    reads.mockRestore();
    // onEvent needs decoded events, so this is the decoded pass alone.
    const decoded = await verifyLedger(store, { pageSize: 7, onEvent: () => undefined });
    const noble = await nobleVerdict(store).catch(() => ({ ok: false, root: '' }));
    return { fast, decoded, noble, usedRows, usedDecoded };
  } finally {
    await store.close();
  }
}

const tampered = (dataDir: string, sql: string, ...params: unknown[]): void => withDb(dataDir, (db) => void db.prepare(sql).run(...params));

describe('P1 / E6: stored-text verification agrees with the @noble verifier', () => {
  it('P1: on a sound ledger the stored-text pass alone says ok, with the root the @noble verifier computes', async () => {
    const dataDir = await buildLedger();
    const { fast, decoded, noble, usedRows, usedDecoded } = await threeWays(dataDir);
    expect(fast).toEqual(decoded);
    expect(fast).toMatchObject({ ok: true, size: 36, checkpoints: 15 });
    expect(noble.ok).toBe(true);
    expect((fast as Extract<LedgerVerification, { ok: true }>).root).toBe(noble.root);
    expect(usedRows).toBeGreaterThan(0);
    expect(usedDecoded).toBe(0);
  });

  it('P1: onPayload (the CLI evidence hook) keeps the stored-text pass and hands over every type and payload as decoded', async () => {
    const dataDir = await buildLedger();
    const store = openSqliteStore({ dataDir, create: false });
    try {
      const rows = vi.spyOn(store, 'forEachRow');
      const reads = vi.spyOn(store, 'readAll');
      const seen: { type: string; payload: unknown }[] = [];
      const verdict = await verifyLedger(store, { pageSize: 7, onPayload: (type, payload) => seen.push({ type, payload: payload() }) });
      expect(verdict).toMatchObject({ ok: true, size: 36 });
      expect(rows).toHaveBeenCalled();
      expect(reads).not.toHaveBeenCalled();
      reads.mockRestore();
      expect(seen).toEqual((await store.readAll()).map((e) => ({ type: e.type, payload: e.payload })));
    } finally {
      await store.close();
    }
  });

  const cases: { name: string; tamper: (dataDir: string) => void; expected: Partial<LedgerVerification>; nobleOk: boolean }[] = [
    {
      name: 'a payload value changed (hash kept) is a leaf-hash mismatch at that position',
      tamper: (d) => tampered(d, `UPDATE events SET payload = replace(payload, 'MARK017', 'MARX017') WHERE position = 16`),
      expected: { ok: false, position: 16, reason: 'leaf-hash-mismatch' },
      nobleOk: false,
    },
    {
      name: 'a payload and its stored hash rewritten are caught by the checkpoint of that append',
      tamper: (d) =>
        withDb(d, (db) => {
          const row = db.prepare('SELECT * FROM events WHERE position = 20').get() as Record<string, unknown>;
          const payload = (row.payload as string).replace('MARK021', 'MARX021');
          const envelope = {
            position: 20, streamId: row.stream_id, revision: row.revision, eventId: row.event_id, type: row.type, schemaVersion: row.schema_version,
            recordedAt: row.recorded_at, actor: JSON.parse(row.actor as string), correlationId: row.correlation_id, causationId: row.causation_id, payload: JSON.parse(payload),
          };
          db.prepare('UPDATE events SET payload = ?, hash = ? WHERE position = 20').run(payload, bytesToHex(envelopeLeafHash(envelope)));
        }),
      expected: { ok: false, reason: 'checkpoint-root-mismatch' },
      nobleOk: false,
    },
    {
      name: "an actor's role changed is a leaf-hash mismatch",
      tamper: (d) => tampered(d, `UPDATE events SET actor = replace(actor, 'inspector', 'admin') WHERE position = 4`),
      expected: { ok: false, position: 4, reason: 'leaf-hash-mismatch' },
      nobleOk: false,
    },
    {
      name: 'a revision that is not an integer is an unparseable row, as before',
      tamper: (d) => tampered(d, `UPDATE events SET revision = 'r' || revision WHERE position = 9`),
      expected: { ok: false, position: 9, reason: 'unparseable-row' },
      nobleOk: false,
    },
    {
      name: 'a deleted row is a position gap',
      tamper: (d) => tampered(d, 'DELETE FROM events WHERE position = 30'),
      expected: { ok: false, position: 30, reason: 'position-gap' },
      nobleOk: false,
    },
    {
      name: 'a payload re-spaced to other JSON text of the same value still verifies, as on the decoded path',
      tamper: (d) => tampered(d, `UPDATE events SET payload = replace(payload, '"n":', '"n" : ') WHERE position = 3`),
      expected: { ok: true, size: 36 },
      nobleOk: true,
    },
  ];

  for (const c of cases) {
    it(`P1: ${c.name}; stored-text, decoded and @noble verifiers agree`, async () => {
      const dataDir = await buildLedger();
      c.tamper(dataDir);
      const { fast, decoded, noble, usedRows, usedDecoded } = await threeWays(dataDir);
      expect(fast).toMatchObject(c.expected);
      expect(fast).toEqual(decoded);
      expect(noble.ok).toBe(c.nobleOk);
      expect(usedRows).toBeGreaterThan(0);
      // Any doubt sends verification to the decoded pass, which names the fault.
      expect(usedDecoded).toBeGreaterThan(0);
    });
  }
});
