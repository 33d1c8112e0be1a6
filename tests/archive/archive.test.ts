/**
 * `suiji archive export|verify` and `suiji ledger verify`'s evidence check (E10, 一对象一档案), in
 * process on the results world (draws inside the task's window): a visit whose record is closed
 * through the real routes, with a photo, results submitted, approved and published.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../src/cli/program.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { SuijiError } from '../../src/domain/errors.js';
import { usccCheckChar } from '../../src/domain/uscc.js';
import { EvidenceStore } from '../../src/store/evidence/index.js';
import { envelopeLeafHashHex, type ArchiveIndex } from '../../src/verify/index.js';
import { closeRecord, okResults, openResultsWorld, type ResultsWorld } from '../api/results/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

describe('one archive per target (E10)', () => {
  let w: ResultsWorld;
  let visit: string;
  let uscc: string;
  let photo: string;
  const dirs: { path: string; remove: () => void }[] = [];
  beforeAll(async () => {
    w = await openResultsWorld();
    visit = w.visits[0]!;
    uscc = visit.slice(-18);
    photo = await closeRecord(w.h, visit);
    await closeRecord(w.h, w.visits[1]!); // another target: must stay out of this archive
    expect((await w.h.app.inject({ method: 'POST', url: `/visits/${visit}/results`, headers: { authorization: w.leader }, payload: { results: okResults } })).statusCode).toBe(201);
    expect((await w.h.call('principalA', 'POST', `/visits/${visit}/results/review`, { decision: 'approve' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    dirs.forEach((d) => d.remove());
    await w.h.close();
  });

  const run = async (args: string[], data: string | null = w.h.rt.dataDir): Promise<{ code: number; out: string }> => {
    const out: string[] = [];
    try {
      const code = await runProgram([...args, ...(data === null ? [] : ['--data', data])], { out: (l) => void out.push(l), write: (t) => void out.push(t), err: (t) => void out.push(t), openDraw: openRuntime });
      return { code, out: out.join('\n') };
    } catch (e) {
      if (!(e instanceof SuijiError)) throw e;
      return { code: 2, out: `${e.code} ${JSON.stringify(e.details)}` };
    }
  };
  const exported = async (): Promise<string> => {
    const d = tempDir('suiji-archive-');
    dirs.push(d);
    const out = join(d.path, 'archive');
    const r = await run(['archive', 'export', uscc, '--out', out]);
    expect(r.code, r.out).toBe(0);
    return out;
  };
  type Mutable<T> = { -readonly [K in keyof T]: T[K] };
  type EditableIndex = Omit<ArchiveIndex, 'events'> & { events: Mutable<ArchiveIndex['events'][number]>[] };
  const indexOf = (dir: string): EditableIndex => JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as EditableIndex;
  /** What an attacker with the archive would do after editing: rewrite SHA256SUMS to match. */
  const writeIndex = (dir: string, index: EditableIndex): void => {
    const text = `${JSON.stringify(index, null, 2)}\n`;
    writeFileSync(join(dir, 'index.json'), text);
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}  index\.json$/m, `${sha(text)}  index.json`);
    writeFileSync(join(dir, 'SHA256SUMS'), sums);
  };
  const verify = (dir: string) => run(['archive', 'verify', dir], null);

  it('E10: archive export then verify passes offline', async () => {
    const dir = await exported();
    const index = indexOf(dir);
    const head = await w.h.head();
    expect(index.checkpoint).toEqual({ size: head.size, root: head.root });
    expect(index.uscc).toBe(uscc);
    const types = new Set(index.events.map((e) => e.type));
    for (const t of ['TargetRegistered', 'VisitFrozen', 'VisitAssigned', 'PreCheckRecorded', 'OnSiteRecorded', 'TargetSigned', 'InspectorSigned', 'InspectionRecordClosed', 'ResultsSubmitted', 'ResultsApproved', 'NoticePublished', 'EvidenceStored']) {
      expect(types.has(t), `${t} in ${[...types].join(',')}`).toBe(true);
    }
    // Only this target: every entry names it, the other visit's record and photo are not there.
    for (const e of index.events) expect(JSON.stringify(e.envelope)).toContain(uscc);
    expect(index.events.some((e) => e.streamId.includes(w.visits[1]!))).toBe(false);
    // A3: each entry carries the actor of its envelope; both inspectors' signatures are theirs.
    expect(index.events.filter((e) => e.type === 'InspectorSigned').map((e) => e.actor).sort()).toEqual(['in-a', 'in-a2']);
    for (const e of index.events) expect(e.leafHash).toBe(envelopeLeafHashHex(e.envelope));
    expect(index.files.map((f) => f.sha256)).toEqual([photo]);
    expect(sha(readFileSync(join(dir, 'files', photo)))).toBe(photo);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toContain(`${photo}  files/${photo}`);
    // Offline: no data directory is named, opened or created.
    const nowhere = join(dir, '..', 'no-data-here');
    process.env.SUIJI_DATA = nowhere;
    try {
      const r = await verify(dir);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain(`archive intact: ${uscc}`);
      expect(r.out).toContain(head.root);
    } finally {
      delete process.env.SUIJI_DATA;
    }
    expect(existsSync(nowhere)).toBe(false);
    // The export refuses to write over an archive.
    expect((await run(['archive', 'export', uscc, '--out', dir])).out).toContain('VALIDATION_FAILED');
  });

  it('E10: an index entry edited is caught by its leaf hash / proof', async () => {
    const dir = await exported();
    const at = indexOf(dir).events.findIndex((e) => e.type === 'ResultsSubmitted');
    // 1. The payload edited, SHA256SUMS rewritten: the envelope no longer hashes to its leaf.
    const edited = indexOf(dir);
    (edited.events[at]!.envelope.payload as { results: { category: string }[] }).results[0]!.category = 'problemFound';
    writeIndex(dir, edited);
    let r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAILED at events/${at}`);
    expect(r.out).toContain('leaf-hash-mismatch');
    // 2. The leaf hash recomputed too: the inclusion proof no longer reaches the checkpoint root.
    edited.events[at]!.leafHash = envelopeLeafHashHex(edited.events[at]!.envelope);
    writeIndex(dir, edited);
    r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('inclusion-proof-failed');
    // 3. The summary's actor changed: it must be the envelope's.
    const other = indexOf(await exported());
    other.events[at]!.actor = 'in-a2';
    writeIndex(dir, other);
    expect((await verify(dir)).out).toContain('summary-mismatch');
    // 4. An entry dropped from the index but index.json left as it was: SHA256SUMS catches the file.
    const dir2 = await exported();
    const dropped = indexOf(dir2);
    dropped.events.splice(at, 1);
    writeFileSync(join(dir2, 'index.json'), JSON.stringify(dropped));
    r = await verify(dir2);
    expect(r.code).toBe(1);
    expect(r.out).toContain('file-hash-mismatch');
  });

  it('E10: an evidence file whose bytes change is caught by archive verify and by ledger verify', async () => {
    const dir = await exported();
    expect((await run(['ledger', 'verify'])).out).toContain('evidence intact: 2 files re-hashed');
    // In the archive: one byte of the photo changed.
    const copy = join(dir, 'files', photo);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    writeFileSync(copy, bytes);
    let r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAILED at files/${photo}: file-hash-mismatch`);
    // A file slipped into the archive that SHA256SUMS does not name is caught too.
    writeFileSync(copy, readFileSync(new EvidenceStore(w.h.rt.dataDir).pathOf(photo)));
    expect((await verify(dir)).code).toBe(0);
    writeFileSync(join(dir, 'files', 'extra'), 'x');
    expect((await verify(dir)).out).toContain('unlisted-file');
    // In the data directory: the ledger's hash no longer matches the blob.
    const blob = new EvidenceStore(w.h.rt.dataDir).pathOf(photo);
    const original = readFileSync(blob);
    const changed = Buffer.from(original);
    changed[changed.length - 3] = changed[changed.length - 3]! ^ 0xff;
    writeFileSync(blob, changed);
    try {
      r = await run(['ledger', 'verify']);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`evidence CHANGED ${photo}`);
      expect(r.out).toContain('ledger intact');
      // --no-evidence checks the ledger alone.
      expect((await run(['ledger', 'verify', '--no-evidence'])).code).toBe(0);
      // No archive is cut from a changed blob.
      const d = tempDir('suiji-archive-');
      dirs.push(d);
      const refused = await run(['archive', 'export', uscc, '--out', join(d.path, 'a')]);
      expect(refused.code).toBe(2);
      expect(refused.out).toContain(photo);
    } finally {
      writeFileSync(blob, original);
    }
    expect((await run(['ledger', 'verify'])).code).toBe(0);
  });

  it('E10: a target with no events, or a malformed credit code, is a coded refusal that writes nothing', async () => {
    const d = tempDir('suiji-archive-');
    dirs.push(d);
    const bad = await run(['archive', 'export', 'not-a-uscc', '--out', join(d.path, 'a')]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('TARGET');
    const first17 = '91370000MA0000099';
    const none = await run(['archive', 'export', `${first17}${usccCheckChar(first17)}`, '--out', join(d.path, 'b')]);
    expect(none.code).toBe(2);
    expect(none.out).toContain('NOT_FOUND');
    expect(readdirSync(d.path)).toEqual([]);
  });
  it('E10 / issue 13 review: a row of the target respelled with the same value (its hash kept) is refused by the export, naming its position, as ledger verify refuses it', async () => {
    const db = new Database(join(w.h.rt.dataDir, 'suiji.db'));
    const row = db.prepare(`SELECT position, payload FROM events WHERE type = 'ResultsApproved' ORDER BY position DESC LIMIT 1`).get() as { position: number; payload: string };
    try {
      db.prepare('UPDATE events SET payload = ? WHERE position = ?').run(row.payload.replace('{"', '{ "'), row.position);
      const d = tempDir('suiji-archive-');
      dirs.push(d);
      const r = await run(['archive', 'export', uscc, '--out', join(d.path, 'archive')]);
      expect(r.code).toBe(2);
      expect(r.out).toContain('VALIDATION_FAILED');
      expect(r.out).toContain(`"position":${row.position}`);
      expect(existsSync(join(d.path, 'archive', 'index.json'))).toBe(false);
      const v = await run(['ledger', 'verify', '--no-evidence']);
      expect(v.code).toBe(1);
      expect(v.out).toContain(`position ${row.position}: non-canonical-row`);
    } finally {
      db.prepare('UPDATE events SET payload = ? WHERE position = ?').run(row.payload, row.position);
      db.close();
    }
    expect((await run(['ledger', 'verify', '--no-evidence'])).code).toBe(0);
  });
});
