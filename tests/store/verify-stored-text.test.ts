/**
 * P1 / E6, issue 13: `ledger verify` on SQLite hashes the stored JCS text of each row with
 * node:crypto (src/store/leaf-rows.ts); the browser verifier (src/verify, @noble only)
 * re-encodes decoded envelopes. Both must agree on a real ledger and on tampered ones, and the
 * stored-text pass must report every fault exactly as the decoded pass does.
 *
 * Review of issue 13: a row rewritten to another spelling of the same value (member order,
 * whitespace, \u escapes, 1.0/1e0, a repeated name) is a row edited outside the store. Both
 * passes name it (non-canonical-row, or leaf-hash-mismatch when its leaf and the roots were
 * rewritten to match), and the public export refuses to publish a proof of it, so nobody
 * replaying an export is told "pass" about a row `ledger verify` refuses.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { openSqliteStore, verifyLedger, type LedgerVerification, type SqliteEventStore } from '../../src/store/index.js';
import { envelopeLeafHash } from '../../src/verify/ledger.js';
import { merkleRoot, MerkleFrontier } from '../../src/verify/merkle.js';
import { canonicalize } from '../../src/verify/jcs.js';
import { verifyLedgerProof } from '../../src/verify/anchor.js';
import { ledgerProofBundle } from '../../src/app/proofs/index.js';
import { frontierBlob } from '../../src/store/ledger-head.js';
import { isSuijiError } from '../../src/domain/errors.js';
import { storeProofLedger } from '../helpers/proof-ledger.js';
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

/** Default verification (stored-text pass, inline at this size), decoded-only verification, and the @noble verifier, on one file; the stored-text pass read ahead by a worker thread must equal the first. */
async function threeWays(dataDir: string) {
  const store = openSqliteStore({ dataDir, create: false });
  try {
    const rows = vi.spyOn(store, 'forEachRow');
    const reads = vi.spyOn(store, 'readAll');
    const fast = await verifyLedger(store, { pageSize: 7, readAhead: false });
    const usedRows = rows.mock.calls.length;
    const usedDecoded = reads.mock.calls.length;
    rows.mockRestore();
    reads.mockRestore();
    // onEvent needs decoded events, so this is the decoded pass alone.
    const decoded = await verifyLedger(store, { pageSize: 7, onEvent: () => undefined });
    // The stored-text pass over pages read by a worker thread (lane lverify3) gives the same verdict, in every case.
    const pages = vi.spyOn(store, 'leafPages');
    const threaded = await verifyLedger(store, { pageSize: 7, readAhead: true });
    expect(pages).toHaveBeenCalledTimes(1);
    pages.mockRestore();
    expect(threaded).toEqual(fast);
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
      const verdict = await verifyLedger(store, { pageSize: 7, readAhead: false, onPayload: (type, payload) => seen.push({ type, payload: payload() }) });
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

/** Rewrites the stored payload (or actor) text of one row; its hash is kept. */
function respelled(dataDir: string, position: number, column: 'payload' | 'actor', rewrite: (text: string) => string): string {
  let text = '';
  withDb(dataDir, (db) => {
    const row = db.prepare(`SELECT ${column} AS t FROM events WHERE position = ?`).get(position) as { t: string };
    text = rewrite(row.t);
    expect(text).not.toBe(row.t);
    // Same value: only the spelling differs.
    expect(canonicalize(JSON.parse(text))).toBe(row.t);
    db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(text, position);
  });
  return text;
}

/**
 * The DBA who can write the whole file: the row's payload respelled, its leaf set to the hash of
 * the envelope text as now stored, and every later checkpoint and the head recomputed, so the
 * stored text hashes to the stored leaf and every stored root matches.
 */
function respelledConsistently(dataDir: string, position: number, rewrite: (text: string) => string): void {
  respelled(dataDir, position, 'payload', rewrite);
  resealed(dataDir, position);
}

/** The row's leaf set to the hash of its envelope text as now stored (JSON.stringify for the string columns), every later checkpoint and the head recomputed. */
function resealed(dataDir: string, position: number): void {
  withDb(dataDir, (db) => {
    const r = db.prepare('SELECT * FROM events WHERE position = ?').get(position) as Record<string, string | number | null>;
    const text =
      `{"actor":${r.actor},"causationId":${r.causation_id === null ? 'null' : JSON.stringify(r.causation_id)},"correlationId":${JSON.stringify(r.correlation_id)},` +
      `"eventId":${JSON.stringify(r.event_id)},"payload":${r.payload},"position":${position},"recordedAt":${JSON.stringify(r.recorded_at)},"revision":${r.revision},` +
      `"schemaVersion":${r.schema_version},"streamId":${JSON.stringify(r.stream_id)},"type":${JSON.stringify(r.type)}}`;
    const leaf = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(text, 'utf8')])).digest('hex');
    db.prepare('UPDATE events SET hash = ? WHERE position = ?').run(leaf, position);
    const leaves = (db.prepare('SELECT hash FROM events ORDER BY position').all() as { hash: string }[]).map((x) => hexToBytes(x.hash));
    for (const { size } of db.prepare('SELECT size FROM checkpoints WHERE size > ?').all(position) as { size: number }[]) {
      db.prepare('UPDATE checkpoints SET root = ? WHERE size = ?').run(bytesToHex(merkleRoot(leaves.slice(0, size))), size);
    }
    const f = MerkleFrontier.empty();
    for (const l of leaves) f.push(l);
    db.prepare('UPDATE ledger_head SET size = ?, frontier = ? WHERE id = 1').run(leaves.length, frontierBlob(f as never));
  });
}

/** What the public export says of one position: the proof bundle the export builds, checked by the browser verifier. */
async function exportVerdict(store: SqliteEventStore, position: number): Promise<{ ok: boolean; refusedAt?: number }> {
  const log = storeProofLedger(store);
  try {
    const bundle = await ledgerProofBundle(log, store, [position]);
    return { ok: verifyLedgerProof(bundle, [log.key]).ok };
  } catch (err) {
    if (isSuijiError(err) && err.code === 'LEDGER_CORRUPT') return { ok: false, refusedAt: err.details.position as number };
    throw err;
  }
}

describe('P1 / E6: rows the decoded pass refuses, resealed so the stored text hashes to the stored leaf (issue 13, lane lverify3)', () => {
  const POSITION = 22;
  const rewrites: { name: string; column: string; value: string; expected: Partial<LedgerVerification> }[] = [
    // actorOf keeps userId, role and department only: the decoded pass hashes another text.
    { name: 'an actor with a fourth member', column: 'actor', value: '{"department":"dept-a","extra":1,"role":"operator","userId":"u-001"}', expected: { reason: 'leaf-hash-mismatch' } },
  ];
  for (const r of rewrites) {
    it(`P1: ${r.name}: the stored-text pass does not say ok; it gives the decoded pass's verdict at that position`, async () => {
      const dataDir = await buildLedger();
      tampered(dataDir, `UPDATE events SET ${r.column} = ? WHERE position = ?`, r.value, POSITION);
      resealed(dataDir, POSITION);
      const { fast, decoded, noble, usedDecoded } = await threeWays(dataDir);
      expect(fast).toMatchObject({ ok: false, position: POSITION, ...r.expected });
      expect(fast).toEqual(decoded);
      expect(noble.ok).toBe(false);
      expect(usedDecoded).toBeGreaterThan(0);
    });
  }
});

describe('P1 / E6: a row respelled with the same value (issue 13 review)', () => {
  const POSITION = 22;
  const spellings: { name: string; column: 'payload' | 'actor'; rewrite: (t: string) => string }[] = [
    { name: 'members in another order', column: 'payload', rewrite: (t) => { const v = JSON.parse(t) as Record<string, unknown>; return JSON.stringify({ n: v.n, marker: v.marker, name: v.name, nested: v.nested }); } },
    { name: 'whitespace', column: 'payload', rewrite: (t) => t.replace('"n":', '"n" : ') },
    { name: 'a \\u escape of a printable character', column: 'payload', rewrite: (t) => t.replace('"MARK', '"\\u004dARK') },
    { name: 'the number 1 written 1.0', column: 'payload', rewrite: (t) => t.replace('"b":[1,', '"b":[1.0,') },
    { name: 'the number 1 written 1e0', column: 'payload', rewrite: (t) => t.replace('"b":[1,', '"b":[1e0,') },
    { name: 'a repeated name whose last value is the original', column: 'payload', rewrite: (t) => t.replace('{"marker":', '{"marker":"MARK999","marker":') },
    { name: 'the actor with its members in another order', column: 'actor', rewrite: (t) => { const a = JSON.parse(t) as Record<string, unknown>; return JSON.stringify({ userId: a.userId, role: a.role, department: a.department }); } },
  ];

  for (const s of spellings) {
    it(`P1: ${s.name}, hash kept: both passes say non-canonical-row at that position, and the export refuses to prove it`, async () => {
      const dataDir = await buildLedger();
      respelled(dataDir, POSITION, s.column, s.rewrite);
      const { fast, decoded, usedDecoded } = await threeWays(dataDir);
      expect(fast).toMatchObject({ ok: false, position: POSITION, reason: 'non-canonical-row' });
      expect(fast).toEqual(decoded);
      expect(usedDecoded).toBeGreaterThan(0);
      const store = openSqliteStore({ dataDir, create: false });
      try {
        expect(await exportVerdict(store, POSITION)).toEqual({ ok: false, refusedAt: POSITION });
        // The rows around it are sound and still export and verify.
        expect(await exportVerdict(store, POSITION - 1)).toEqual({ ok: true });
      } finally {
        await store.close();
      }
    });
  }

  it('P1: a repeated name reads differently in SQLite (first) and JSON.parse (last): why verification refuses every non-canonical row', async () => {
    const dataDir = await buildLedger();
    respelled(dataDir, POSITION, 'payload', (t) => t.replace('{"marker":', '{"marker":"MARK999","marker":'));
    withDb(dataDir, (db) => {
      const row = db.prepare(`SELECT payload, json_extract(payload, '$.marker') AS sqlite FROM events WHERE position = ?`).get(POSITION) as { payload: string; sqlite: string };
      expect(row.sqlite).toBe('MARK999');
      expect((JSON.parse(row.payload) as { marker: string }).marker).toBe('MARK023');
    });
    const { fast } = await threeWays(dataDir);
    expect(fast).toMatchObject({ ok: false, position: POSITION, reason: 'non-canonical-row' });
  });

  for (const s of spellings.filter((x) => x.column === 'payload')) {
    it(`P1: ${s.name}, with its leaf, the later checkpoints and the head rewritten to match: the stored-text pass does not say ok; every verifier says leaf-hash-mismatch there`, async () => {
      const dataDir = await buildLedger();
      respelledConsistently(dataDir, POSITION, s.rewrite);
      const { fast, decoded, noble, usedRows, usedDecoded } = await threeWays(dataDir);
      expect(fast).toMatchObject({ ok: false, position: POSITION, reason: 'leaf-hash-mismatch' });
      expect(fast).toEqual(decoded);
      expect(noble.ok).toBe(false);
      expect(usedRows).toBeGreaterThan(0);
      expect(usedDecoded).toBeGreaterThan(0);
      const store = openSqliteStore({ dataDir, create: false });
      try {
        expect(await exportVerdict(store, POSITION)).toEqual({ ok: false, refusedAt: POSITION });
      } finally {
        await store.close();
      }
    });
  }
});
