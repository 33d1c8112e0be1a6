/**
 * P1 / E6: the ledger is tamper-evident. Each test builds a real ledger file, changes it behind
 * the store's back, and checks that the CLI-level verification fails naming the position.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, verifySqliteLedger } from '../../src/store/index.js';
import { envelopeLeafHashHex } from '../../src/verify/ledger.js';
import { MerkleFrontier } from '../../src/verify/merkle.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newEvent, newEvents } from '../helpers/events.js';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

/** 12 events: positions 0..9 one per append, then one batch of two (10, 11). Position 6 is marked. */
async function buildLedger(): Promise<string> {
  const d = tempDir('suiji-tamper-');
  dirs.push(d);
  const store = openSqliteStore({ dataDir: d.path });
  for (let i = 0; i < 10; i++) {
    const payload = i === 6 ? { name: 'MARKER-PAYLOAD-SIX', amount: 6 } : { name: `entity-${i}`, amount: i };
    await store.append(`entity-${i % 3}`, [newEvent({ payload })], 'any');
  }
  await store.append('batch', newEvents(2), 'noStream');
  expect(await verifySqliteLedger(d.path)).toMatchObject({ ok: true, size: 12 });
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

describe('P1: ledger tamper evidence', () => {
  it('one byte flipped in a payload inside the SQLite file is found at that position', async () => {
    const dataDir = await buildLedger();
    const file = join(dataDir, 'suiji.db');
    const bytes = readFileSync(file);
    const at = bytes.indexOf('MARKER-PAYLOAD-SIX');
    expect(at).toBeGreaterThan(0);
    expect(bytes.indexOf('MARKER-PAYLOAD-SIX', at + 1)).toBe(-1);
    bytes[at] = 'N'.charCodeAt(0); // MARKER -> NARKER: still valid JSON, different content
    writeFileSync(file, bytes);
    const result = await verifySqliteLedger(dataDir);
    expect(result).toMatchObject({ ok: false, position: 6, reason: 'leaf-hash-mismatch' });
  });

  it('an event rewritten together with its stored hash is caught by the checkpoint of its append', async () => {
    const dataDir = await buildLedger();
    withDb(dataDir, (db) => {
      const row = db.prepare('SELECT * FROM events WHERE position = 6').get() as Record<string, string | number | null>;
      const payload = { name: 'MARKER-PAYLOAD-SIX', amount: 6000 };
      const envelope = {
        position: 6, streamId: row.stream_id, revision: row.revision, eventId: row.event_id, type: row.type,
        schemaVersion: row.schema_version, recordedAt: row.recorded_at, actor: JSON.parse(String(row.actor)),
        correlationId: row.correlation_id, causationId: row.causation_id, payload,
      };
      db.prepare('UPDATE events SET payload = ?, hash = ? WHERE position = 6').run(JSON.stringify(payload), envelopeLeafHashHex(envelope));
    });
    // Single-event appends have a checkpoint after every leaf, so the culprit is named exactly.
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 6, until: 7, reason: 'checkpoint-root-mismatch' });
  });

  it('inside a batch, a rewritten event and hash is narrowed to the batch after the last good checkpoint', async () => {
    const dataDir = await buildLedger();
    withDb(dataDir, (db) => {
      const row = db.prepare('SELECT * FROM events WHERE position = 11').get() as Record<string, string | number | null>;
      const envelope = {
        position: 11, streamId: row.stream_id, revision: row.revision, eventId: row.event_id, type: row.type,
        schemaVersion: row.schema_version, recordedAt: row.recorded_at, actor: JSON.parse(String(row.actor)),
        correlationId: row.correlation_id, causationId: row.causation_id, payload: { forged: true },
      };
      db.prepare('UPDATE events SET payload = ?, hash = ? WHERE position = 11').run('{"forged":true}', envelopeLeafHashHex(envelope));
    });
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 10, until: 12, reason: 'checkpoint-root-mismatch' });
  });

  it('a garbled row (not JSON) is unparseable-row at its position, not a crash', async () => {
    const dataDir = await buildLedger();
    withDb(dataDir, (db) => db.prepare(`UPDATE events SET payload = '{"name": garbled' WHERE position = 3`).run());
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 3, reason: 'unparseable-row' });
    withDb(dataDir, (db) => db.prepare(`UPDATE events SET payload = '{}', actor = x'00ff' WHERE position = 2`).run());
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 2, reason: 'unparseable-row' });
  });

  it('a deleted event is a position gap; deleted tail events are missing events', async () => {
    const dataDir = await buildLedger();
    withDb(dataDir, (db) => db.prepare('DELETE FROM events WHERE position = 4').run());
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 4, reason: 'position-gap' });
    const other = await buildLedger();
    withDb(other, (db) => db.prepare('DELETE FROM events WHERE position >= 10').run());
    expect(await verifySqliteLedger(other)).toMatchObject({ ok: false, position: 10, reason: 'missing-events' });
  });

  it('a truncated ledger (tail events deleted, head forged to match) is caught by the later checkpoint', async () => {
    const dataDir = await buildLedger();
    withDb(dataDir, (db) => {
      const hashes = db.prepare('SELECT hash FROM events WHERE position < 10 ORDER BY position').pluck().all() as string[];
      const frontier = MerkleFrontier.empty();
      for (const h of hashes) frontier.push(hexToBytes(h));
      db.prepare('DELETE FROM events WHERE position >= 10').run();
      db.prepare('UPDATE ledger_head SET size = 10, frontier = ?').run(Buffer.concat(frontier.subtreeRoots.map((n) => Buffer.from(n))));
    });
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 10, reason: 'checkpoint-beyond-head' });
  });

  it('a forged checkpoint root or head is named', async () => {
    const dataDir = await buildLedger();
    withDb(dataDir, (db) => db.prepare(`UPDATE checkpoints SET root = ? WHERE size = 5`).run('ab'.repeat(32)));
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 4, until: 5, reason: 'checkpoint-root-mismatch' });
    const other = await buildLedger();
    withDb(other, (db) => {
      const { frontier } = db.prepare('SELECT frontier FROM ledger_head').get() as { frontier: Buffer };
      frontier[0] = frontier[0]! ^ 1;
      db.prepare('UPDATE ledger_head SET frontier = ?').run(frontier);
    });
    expect(await verifySqliteLedger(other)).toMatchObject({ ok: false, position: 12, reason: 'head-root-mismatch' });
  });

  it('a file SQLite cannot read is a failed verification with a clear reason, not a crash', async () => {
    const dataDir = await buildLedger();
    const file = join(dataDir, 'suiji.db');
    const bytes = readFileSync(file);
    bytes.write('NOT A DATABASE!', 0, 'latin1'); // the 16-byte header string (SQLite file format §1.3.1)
    writeFileSync(file, bytes);
    expect(await verifySqliteLedger(dataDir)).toMatchObject({ ok: false, position: 0, reason: 'store-corrupt' });

    const cut = await buildLedger();
    const cutFile = join(cut, 'suiji.db');
    truncateSync(cutFile, Math.floor(statSync(cutFile).size / 2));
    expect(await verifySqliteLedger(cut)).toMatchObject({ ok: false, position: 0, reason: 'store-corrupt' });
  });

  it('a missing ledger is reported, and verification does not create one', async () => {
    const d = tempDir('suiji-none-');
    dirs.push(d);
    expect(await verifySqliteLedger(d.path)).toMatchObject({ ok: false, reason: 'store-error' });
    expect(() => readFileSync(join(d.path, 'suiji.db'))).toThrow();
  });
});
