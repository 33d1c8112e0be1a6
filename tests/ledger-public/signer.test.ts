import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync, statSync } from 'node:fs';
import { hexToBytes } from '@noble/hashes/utils.js';
import { SuijiError } from '../../src/domain/errors.js';
import { LedgerPublic, ensureLogKey, initLogKey, loadLogKey, logKeyPath, logVkeyPath, openLedgerPublic } from '../../src/app/ledger/index.js';
import { SqliteLedgerTree, type SqliteEventStore } from '../../src/store/index.js';
import { openNote, parseCheckpoint, parseVerifierKey, verifiedText, verifyConsistency, verifyInclusion } from '../../src/verify/index.js';
import { compileForNode } from '../helpers/compile.js';
import { tempDir } from '../helpers/temp-dir.js';
import { appendN, ledgerOf, rawDb } from './fixtures.js';

const codeOf = async (f: () => Promise<unknown> | unknown): Promise<string> => {
  try {
    await f();
  } catch (err) {
    if (err instanceof SuijiError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('the log key', () => {
  it('V4: keys init writes a 0600 Go-format signer key and its verifier key, and refuses to overwrite without force', () => {
    const dir = tempDir('suiji-key-');
    try {
      const made = initLogKey(dir.path, { origin: 'test.suiji.example/ledger' });
      expect(statSync(logKeyPath(dir.path)).mode & 0o777).toBe(0o600);
      expect(readFileSync(logKeyPath(dir.path), 'utf8')).toMatch(/^PRIVATE\+KEY\+test\.suiji\.example\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+\n$/);
      expect(readFileSync(logVkeyPath(dir.path), 'utf8')).toBe(`${made.vkey}\n`);
      const key = loadLogKey(dir.path)!;
      expect(parseVerifierKey(made.vkey).publicKey).toEqual(key.publicKey);
      expect(() => initLogKey(dir.path)).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
      expect(readFileSync(logVkeyPath(dir.path), 'utf8')).toBe(`${made.vkey}\n`);
      const replaced = initLogKey(dir.path, { origin: 'test.suiji.example/ledger', force: true });
      expect(replaced.vkey).not.toBe(made.vkey);
      expect(statSync(logKeyPath(dir.path)).mode & 0o777).toBe(0o600);
      expect(() => initLogKey(dir.path, { origin: 'bad origin', force: true })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
      // Demo seeding makes a key only when there is none: the existing one is kept.
      const before = readFileSync(logKeyPath(dir.path), 'utf8');
      expect(ensureLogKey(dir.path)).toBeNull();
      expect(readFileSync(logKeyPath(dir.path), 'utf8')).toBe(before);
    } finally {
      dir.remove();
    }
  });
});

describe('signed checkpoints', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  let opened: ReturnType<typeof openLedgerPublic>;
  const warnings: Record<string, unknown>[] = [];
  beforeEach(async () => {
    dir = tempDir('suiji-sign-');
    store = await ledgerOf(dir.path, 300, 60);
    warnings.length = 0;
    opened = openLedgerPublic(dir.path, { minIntervalMs: 0, warn: (_m, d) => void warnings.push(d) });
  });
  afterEach(async () => {
    opened.close();
    await store.close();
    dir.remove();
  });

  it('without a key every operation is LOG_KEY_MISSING; a key made later is picked up without a restart', async () => {
    expect(await codeOf(() => opened.ledger.checkpoint())).toBe('LOG_KEY_MISSING');
    expect(await codeOf(() => opened.ledger.inclusion(0, 1))).toBe('LOG_KEY_MISSING');
    expect(await codeOf(() => opened.ledger.consistency(0, 1))).toBe('LOG_KEY_MISSING');
    initLogKey(dir.path);
    expect((await opened.ledger.checkpoint()).size).toBe(300);
  });

  it('V4: the checkpoint is a C2SP signed note over the head that the verifier key opens, and proofs verify against it', async () => {
    const { vkey } = initLogKey(dir.path, { origin: 'test.suiji.example/ledger' });
    const key = parseVerifierKey(vkey);
    const cp1 = await opened.ledger.checkpoint();
    const head = await store.head();
    expect(cp1).toMatchObject({ size: 300, root: head.root });
    const body = verifiedText(cp1.note, key);
    expect(parseCheckpoint(body)).toEqual({ origin: 'test.suiji.example/ledger', size: 300, root: head.root });
    expect(openNote(cp1.note, [key]).signatures).toHaveLength(1);
    expect(await opened.ledger.signedAt(300)).toEqual(cp1);
    expect(await opened.ledger.signedAt(299)).toBeNull();
    // Asking again without new events returns the same signed note (nothing re-signed).
    expect(await opened.ledger.checkpoint()).toEqual(cp1);

    await appendN(store, 77, 77, 'more');
    const cp2 = await opened.ledger.checkpoint();
    expect(cp2.size).toBe(377);
    const { proof } = await opened.ledger.consistency(cp1.size, cp2.size);
    expect(verifyConsistency(300, 377, proof.map(hexToBytes), hexToBytes(cp1.root), hexToBytes(cp2.root))).toBe(true);
    const inc = await opened.ledger.inclusion(123, cp2.size);
    const [e] = await store.readAll({ from: 123, limit: 1 });
    expect(inc.leafHash).toBe(e!.hash);
    expect(verifyInclusion(hexToBytes(inc.leafHash), 123, 377, inc.proof.map(hexToBytes), hexToBytes(cp2.root))).toBe(true);
  });

  it('the witness seam: cosignature lines for a signed size are appended to the served note, not stored in it', async () => {
    initLogKey(dir.path);
    const tree = new SqliteLedgerTree(dir.path);
    try {
      const line = '— witness.example/w1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n';
      const ledger = new LedgerPublic({ tree, loadKey: () => loadLogKey(dir.path), cosignatures: (size) => (size === 300 ? [line] : []) });
      const cp = await ledger.checkpoint();
      expect(cp.note.endsWith(line)).toBe(true);
      expect((await ledger.signedAt(300))!.note).toBe(cp.note.slice(0, -line.length));
    } finally {
      tree.close();
    }
  });

  it('at most one new signature per interval per process: a head that advanced within it gets the last signed checkpoint', async () => {
    initLogKey(dir.path);
    let now = Date.parse('2026-12-02T00:00:00Z');
    const tree = new SqliteLedgerTree(dir.path);
    try {
      const ledger = new LedgerPublic({ tree, loadKey: () => loadLogKey(dir.path), clock: () => new Date(now), minIntervalMs: 1000 });
      expect((await ledger.checkpoint()).size).toBe(300);
      await appendN(store, 5, 5, 'r');
      now += 500;
      expect((await ledger.checkpoint()).size).toBe(300);
      now += 600;
      expect((await ledger.checkpoint()).size).toBe(305);
    } finally {
      tree.close();
    }
  });

  it('V4: the server refuses to sign a checkpoint that does not extend the last one it signed (a DBA rewrote an old event), across a restart', async () => {
    initLogKey(dir.path);
    const cp1 = await opened.ledger.checkpoint();
    // The DBA rewrites event 10: new payload and a leaf hash to match, straight in the file.
    const db = rawDb(dir.path);
    db.prepare("UPDATE events SET payload = '{\"tag\":\"forged\"}', hash = ? WHERE position = 10").run('ab'.repeat(32));
    db.close();
    await appendN(store, 10, 10, 'after');
    expect(await codeOf(() => opened.ledger.checkpoint())).toBe('CHECKPOINT_REFUSED');
    expect(warnings.at(-1)).toMatchObject({ reason: 'leaf-rewritten', signedSize: 300, signedRoot: cp1.root });
    // A restarted server (new handles) refuses too: the last signed checkpoint is in the database.
    const again = openLedgerPublic(dir.path, { minIntervalMs: 0, warn: () => undefined });
    try {
      expect(await codeOf(() => again.ledger.checkpoint())).toBe('CHECKPOINT_REFUSED');
    } finally {
      again.close();
    }
    const signed = rawDb(dir.path).prepare('SELECT size FROM signed_checkpoints').pluck().all();
    expect(signed).toEqual([300]);
  });

  it('V4: a rewritten event in the part not yet cached, with or without the head recomputed, is refused', async () => {
    initLogKey(dir.path);
    await opened.ledger.checkpoint();
    const db = rawDb(dir.path);
    db.prepare('UPDATE events SET hash = ? WHERE position = 290').run('cd'.repeat(32));
    db.close();
    await appendN(store, 3, 3, 'after');
    expect(await codeOf(() => opened.ledger.checkpoint())).toBe('CHECKPOINT_REFUSED');
    expect(warnings.at(-1)).toMatchObject({ reason: 'leaves-disagree-with-head', signedSize: 300 });
  });

  it('V4: a ledger replaced by another history, or one shorter than the last signed size, is refused', async () => {
    initLogKey(dir.path);
    const cp1 = await opened.ledger.checkpoint();
    // Another ledger of the same length and more, carrying this ledger's signed-checkpoint row.
    const other = tempDir('suiji-other-');
    const otherStore = await ledgerOf(other.path, 320, 64, 'o');
    const swapped = openLedgerPublic(other.path, { minIntervalMs: 0, warn: () => undefined });
    try {
      initLogKey(other.path);
      rawDb(other.path).prepare('INSERT INTO signed_checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)').run(cp1.size, cp1.root, cp1.note, cp1.signedAt);
      expect(await codeOf(() => swapped.ledger.checkpoint())).toBe('CHECKPOINT_REFUSED');
      rawDb(other.path).prepare('INSERT INTO signed_checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)').run(400, cp1.root, cp1.note, cp1.signedAt);
      expect(await codeOf(() => swapped.ledger.checkpoint())).toBe('CHECKPOINT_REFUSED');
    } finally {
      swapped.close();
      await otherStore.close();
      other.remove();
    }
  });

  it('bad proof requests are coded VALIDATION_FAILED naming the field', async () => {
    initLogKey(dir.path);
    const field = async (f: () => Promise<unknown>): Promise<unknown> => {
      try {
        await f();
      } catch (err) {
        return err instanceof SuijiError ? err.details.field : err;
      }
      return 'no error';
    };
    expect(await field(() => opened.ledger.inclusion(0, 301))).toBe('size');
    expect(await field(() => opened.ledger.inclusion(0, 0))).toBe('size');
    expect(await field(() => opened.ledger.inclusion(300, 300))).toBe('index');
    expect(await field(() => opened.ledger.inclusion(-1, 300))).toBe('index');
    expect(await field(() => opened.ledger.inclusion(1.5, 300))).toBe('index');
    expect(await field(() => opened.ledger.consistency(5, 301))).toBe('to');
    expect(await field(() => opened.ledger.consistency(6, 5))).toBe('from');
  });
});

describe('V4: two processes appending and signing on one data directory', () => {
  let build: { script: string; remove: () => void };
  beforeAll(() => {
    build = compileForNode('tests/ledger-public/sign-child.ts');
  });
  afterAll(() => build.remove());

  async function start(dataDir: string, count: number, tag: string): Promise<{ go: () => void; done: Promise<number[]> }> {
    const child = spawn(process.execPath, [build.script, dataDir, String(count), tag], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    const ready = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('ready\n')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const done = (async () => {
      const sizes: number[] = [];
      for await (const line of createInterface({ input: child.stdout })) sizes.push((JSON.parse(line) as { size: number }).size);
      const code = await exited;
      if (code !== 0) throw new Error(`signer ${tag} exited ${String(code)}: ${stderr}`);
      return sizes;
    })();
    await Promise.race([ready, exited.then((code) => Promise.reject(new Error(`signer ${tag} exited ${String(code)}: ${stderr}`)))]);
    return { go: () => child.stdin.end('go\n'), done };
  }

  it('never signs two inconsistent checkpoints: every signed checkpoint extends the one before', async () => {
    const dir = tempDir('suiji-race-');
    try {
      const store = await ledgerOf(dir.path, 10, 10);
      await store.close();
      const { vkey } = initLogKey(dir.path);
      const key = parseVerifierKey(vkey);
      const racers = await Promise.all([start(dir.path, 40, 'alpha'), start(dir.path, 40, 'beta')]);
      for (const r of racers) r.go();
      const [a, b] = await Promise.all(racers.map((r) => r.done));
      const rows = rawDb(dir.path).prepare('SELECT size, root, note FROM signed_checkpoints ORDER BY size').all() as { size: number; root: string; note: string }[];
      expect(rows.map((r) => r.size)).toEqual([...a!, ...b!].sort((x, y) => x - y));
      expect(rows.length).toBeGreaterThan(1);
      const tree = new SqliteLedgerTree(dir.path);
      try {
        for (const [i, r] of rows.entries()) {
          expect(parseCheckpoint(verifiedText(r.note, key))).toMatchObject({ size: r.size, root: r.root });
          if (i === 0) continue;
          const prev = rows[i - 1]!;
          const { proof } = await new LedgerPublic({ tree, loadKey: () => loadLogKey(dir.path) }).consistency(prev.size, r.size);
          expect(verifyConsistency(prev.size, r.size, proof.map(hexToBytes), hexToBytes(prev.root), hexToBytes(r.root))).toBe(true);
        }
      } finally {
        tree.close();
      }
    } finally {
      dir.remove();
    }
  }, 60_000);
});
