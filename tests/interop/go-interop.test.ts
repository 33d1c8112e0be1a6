/**
 * Interoperability with Go's reference implementation (issue 11): tests/interop/checker.go,
 * built against Debian's golang.org/x/mod/sumdb/note and sumdb/tlog, checks artifacts made
 * from a real ledger (a SQLite file, our signer, our proof generation) — signed checkpoints,
 * inclusion proofs, consistency proofs, a witness cosignature — and refuses tampered ones.
 * The other way, Go signs a note and a cosignature with keys it generates, and our
 * openNote / verifyCosignature accept them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initLogKey, openLedgerPublic, type LedgerPublic, type SignedCheckpoint } from '../../src/app/ledger/index.js';
import type { SqliteEventStore } from '../../src/store/index.js';
import { ledgerRootAt } from '../../src/store/root-at.js';
import {
  canonicalize,
  cosign,
  formatCosignerKey,
  openNote,
  parseCosignerKey,
  parseVerifierKey,
  signNote,
  verifyCosignature,
} from '../../src/verify/index.js';
import { appendN, ledgerOf } from '../ledger-public/fixtures.js';

const ORIGIN = 'yiyuan.suiji.example/ledger';
const WITNESS = 'shi.suiji.example/witness';
const GOPATH = process.env.SUIJI_GOPATH ?? '/usr/share/gocode';

interface Verdict {
  ok: boolean;
  error?: string;
  origin?: string;
  size?: number;
  root?: string;
}
interface Answer {
  notes: Verdict[];
  inclusion: Verdict[];
  consistency: Verdict[];
  cosignatures: Verdict[];
  sign: { vkey: string; note: string }[];
  cosign: { vkey: string; note: string }[];
}

let work: string;
let checker: string;

/** Runs the Go checker on one request. */
function go(request: Record<string, unknown>): Answer {
  const r = spawnSync(checker, [], { input: JSON.stringify(request), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`checker exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Answer;
}

const body = (note: string): string => note.slice(0, note.indexOf('\n\n') + 1);
const flipHex = (h: string): string => (h[0] === '0' ? '1' : '0') + h.slice(1);
/** The note with one line of its body replaced (the signature no longer covers it). */
const editLine = (note: string, line: number, text: string): string => {
  const lines = note.split('\n');
  lines[line] = text;
  return lines.join('\n');
};

describe('Go interop: x/mod/sumdb/note and sumdb/tlog check our checkpoints and proofs', () => {
  let store: SqliteEventStore;
  let ledger: LedgerPublic;
  let closeLedger: () => void;
  let vkey: string;
  let cp1: SignedCheckpoint;
  let cp2: SignedCheckpoint;
  const witnessSecret = ed25519.utils.randomSecretKey();
  const witnessVkey = formatCosignerKey(WITNESS, ed25519.getPublicKey(witnessSecret));

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'suiji-interop-'));
    checker = join(work, 'checker');
    // GOPATH mode against Debian's golang-golang-x-mod-dev; a private build cache (the default one may not be writable).
    execFileSync(process.env.GO ?? 'go', ['build', '-o', checker, join(import.meta.dirname, 'checker.go')], {
      env: { ...process.env, GO111MODULE: 'off', GOPATH, GOCACHE: join(work, 'gocache'), GOFLAGS: '' },
      stdio: 'pipe',
    });
    const dataDir = join(work, 'county');
    store = await ledgerOf(dataDir, 300, 37);
    vkey = initLogKey(dataDir, { origin: ORIGIN }).vkey;
    const opened = openLedgerPublic(dataDir, { minIntervalMs: 0 });
    ledger = opened.ledger;
    closeLedger = opened.close;
    cp1 = await ledger.checkpoint();
    await appendN(store, 133, 19, 't');
    cp2 = await ledger.checkpoint();
  }, 120_000);

  afterAll(async () => {
    closeLedger?.();
    await store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('V4: Go opens our signed checkpoints with our verifier key and reads the same origin, size and root', () => {
    expect([cp1.size, cp2.size]).toEqual([300, 433]);
    const a = go({ logKey: vkey, notes: [cp1.note, cp2.note] });
    expect(a.notes).toEqual([
      { ok: true, origin: ORIGIN, size: 300, root: cp1.root },
      { ok: true, origin: ORIGIN, size: 433, root: cp2.root },
    ]);
  });

  it('V4: Go refuses a checkpoint whose size or root was changed, or that another key signed', () => {
    const other = ed25519.utils.randomSecretKey();
    const a = go({
      logKey: vkey,
      notes: [
        editLine(cp2.note, 1, '434'),
        editLine(cp2.note, 2, 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='),
        // cp1's body under cp2's signature
        cp2.note.replace(body(cp2.note), body(cp1.note)),
        // the same body signed by another key of the same name
        signNote(body(cp2.note), ORIGIN, other),
      ],
    });
    expect(a.notes.map((v) => v.ok)).toEqual([false, false, false, false]);
    expect(a.notes[0]!.error).toMatch(/invalid signature|verification failed/i);
  });

  it('V4: Go checks our inclusion proofs (tlog.CheckRecord) against the signed roots, and hashes our leaves the same (RFC 6962)', async () => {
    const events = await store.readAll({ from: 0, limit: 433 });
    const picks = [0, 1, 2, 127, 255, 256, 299, 300, 431, 432];
    const proofs = await Promise.all(picks.map((i) => ledger.inclusion(i, 433)));
    const older = await Promise.all([0, 150, 299].map((i) => ledger.inclusion(i, 300)));
    const record = (i: number): string => {
      const { hash: _h, ...envelope } = events[i]! as unknown as Record<string, unknown>;
      return canonicalize(envelope);
    };
    const a = go({
      logKey: vkey,
      inclusion: [
        ...proofs.map((p) => ({ note: cp2.note, index: p.index, leafHash: p.leafHash, proof: p.proof })),
        ...older.map((p) => ({ note: cp1.note, index: p.index, leafHash: p.leafHash, proof: p.proof })),
        // Go hashes the envelope's canonical JSON itself: SHA-256(0x00 ‖ JCS(envelope)).
        ...(await Promise.all([5, 300].map(async (i) => ({ note: cp2.note, index: i, record: record(i), proof: (await ledger.inclusion(i, 433)).proof })))),
      ],
    });
    expect(a.inclusion.map((v) => v.ok)).toEqual(Array(picks.length + older.length + 2).fill(true));
    expect(a.inclusion[0]).toMatchObject({ size: 433, root: cp2.root });
  });

  it('V4: Go refuses a tampered inclusion proof, leaf, index or root', async () => {
    const p = await ledger.inclusion(256, 433);
    const a = go({
      logKey: vkey,
      inclusion: [
        { note: cp2.note, index: 256, leafHash: p.leafHash, proof: [flipHex(p.proof[0]!), ...p.proof.slice(1)] },
        { note: cp2.note, index: 256, leafHash: flipHex(p.leafHash), proof: p.proof },
        { note: cp2.note, index: 257, leafHash: p.leafHash, proof: p.proof },
        { note: cp2.note, index: 256, leafHash: p.leafHash, proof: p.proof.slice(0, -1) },
        { size: 433, root: flipHex(cp2.root), index: 256, leafHash: p.leafHash, proof: p.proof },
        { note: cp1.note, index: 256, leafHash: p.leafHash, proof: p.proof },
      ],
    });
    expect(a.inclusion.map((v) => v.ok)).toEqual([false, false, false, false, false, false]);
  });

  it('V4: Go checks our consistency proofs (tlog.CheckTree) between signed checkpoints and between any two sizes', async () => {
    const between = await ledger.consistency(300, 433);
    const pairs: [number, number][] = [[1, 433], [7, 300], [256, 433], [300, 301], [255, 256], [432, 433], [433, 433]];
    const more = await Promise.all(
      pairs.map(async ([m, n]) => ({ from: m, to: n, rootFrom: (await ledgerRootAt(store, m))!, rootTo: (await ledgerRootAt(store, n))!, proof: (await ledger.consistency(m, n)).proof })),
    );
    const a = go({ logKey: vkey, consistency: [{ noteFrom: cp1.note, noteTo: cp2.note, proof: between.proof }, ...more] });
    expect(a.consistency.map((v) => v.ok)).toEqual(Array(1 + pairs.length).fill(true));
  });

  it('V4: Go refuses a tampered consistency proof or a forked older root', async () => {
    const p = await ledger.consistency(300, 433);
    const r300 = cp1.root;
    const a = go({
      logKey: vkey,
      consistency: [
        { from: 300, to: 433, rootFrom: r300, rootTo: cp2.root, proof: [flipHex(p.proof[0]!), ...p.proof.slice(1)] },
        { from: 300, to: 433, rootFrom: flipHex(r300), rootTo: cp2.root, proof: p.proof },
        { from: 300, to: 433, rootFrom: r300, rootTo: flipHex(cp2.root), proof: p.proof },
        { from: 301, to: 433, rootFrom: r300, rootTo: cp2.root, proof: p.proof },
        { from: 300, to: 433, rootFrom: r300, rootTo: cp2.root, proof: p.proof.slice(1) },
      ],
    });
    expect(a.consistency.map((v) => v.ok)).toEqual([false, false, false, false, false]);
  });

  it("V4: Go checks our witness cosignature (cosignature/v1 with crypto/ed25519) and still opens the note with the log key", () => {
    const t = 1_790_000_000;
    const cosigned = cp2.note + cosign(body(cp2.note), WITNESS, witnessSecret, t);
    const forged = cp2.note + cosign(body(cp1.note), WITNESS, witnessSecret, t);
    const a = go({
      logKey: vkey,
      notes: [cosigned],
      cosignatures: [
        { note: cosigned, witnessKey: witnessVkey },
        { note: forged, witnessKey: witnessVkey },
        { note: editLine(cosigned, 1, '432'), witnessKey: witnessVkey },
        { note: cp2.note, witnessKey: witnessVkey },
      ],
    });
    expect(a.notes[0]).toMatchObject({ ok: true, size: 433 });
    expect(a.cosignatures.map((v) => v.ok)).toEqual([true, false, false, false]);
  });

  it('V4: a note and a cosignature made by Go with Go-generated keys verify with our openNote and verifyCosignature', () => {
    const text = body(cp2.note);
    const a = go({ sign: [{ name: 'go.example/log', text }], cosign: [{ name: 'go.example/witness', note: cp2.note, time: 1_790_000_123 }] });
    const goKey = parseVerifierKey(a.sign[0]!.vkey);
    const opened = openNote(a.sign[0]!.note, [goKey]);
    expect(opened.text).toBe(text);
    expect(opened.signatures).toHaveLength(1);
    expect(opened.signatures[0]!.verified).toBe(true);
    // Go's signature over another text does not verify with ours either.
    expect(openNote(editLine(a.sign[0]!.note, 1, '1'), [goKey]).signatures[0]!.verified).toBe(false);

    const goWitness = parseCosignerKey(a.cosign[0]!.vkey);
    expect(verifyCosignature(a.cosign[0]!.note, goWitness)).toEqual({ timestamp: 1_790_000_123 });
    // Our log signature is still there and still ours.
    expect(openNote(a.cosign[0]!.note, [parseVerifierKey(vkey)]).signatures[0]!.verified).toBe(true);
  });
});
