/**
 * Issue 11 (V4, P2): offline anchoring. A draw record and its `suiji-ledger-proof/1` bundle,
 * built from a real SQLite ledger and signed with a real Ed25519 log key, answer "is this the
 * record this ledger holds?" without the ledger — and every way of cheating breaks a named check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ledgerProofBundle, type LedgerProofBody } from '../../src/app/proofs/index.js';
import { anchorDrawRecord, completeDraw, formatVerifierKey, parseVerifierKey, replayDraw, verifyLedgerProof, type DrawRecord, type RevealedEntropy } from '../../src/verify/index.js';
import { DEADLINE, SECRETS, actors, generalItem, meta, openHarness, seedItems, seedTargets, target, withTask, witnessPlan, type Harness } from '../draws/harness.js';
import { storeProofLedger } from '../helpers/proof-ledger.js';
import type { Item } from '../../src/domain/registers/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgram } from '../../src/cli/program.js';

const item20: Item = { ...generalItem, itemId: 'ITEM-G20', maxRatioBp: 2000 };
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const ceremony = { label: '现场摇号机', alphabet: '0123456789', length: 6 };

describe('issue 11: a draw record anchored offline in a signed checkpoint', () => {
  let h: Harness;
  let log: ReturnType<typeof storeProofLedger>;
  beforeEach(async () => {
    h = await openHarness();
    await seedItems(h.store, 'dept-a', [item20]);
    await seedTargets(h.store, [...Array.from({ length: 10 }, (_, i) => target(i + 1, { riskLevel: 'D' })), ...Array.from({ length: 30 }, (_, i) => target(i + 11))]);
    log = storeProofLedger(h.store);
  });
  afterEach(async () => h.close());

  const committed = async (label: string): Promise<string> =>
    h.service.commitTargets(meta(), await withTask(h, {
      task: label, item: 'ITEM-G20',
      classes: [{ name: '风险D', filter: { riskLevel: ['D' as const] }, quota: { count: 2 } }, { name: '风险B', filter: { riskLevel: ['B' as const] }, quota: { count: 3 } }],
      entropy: { ...witnessPlan(), ceremony }, revealDeadline: DEADLINE,
    }));
  const completed = async (label = 'T-A1'): Promise<string> => {
    const drawId = await committed(label);
    await h.service.recordCeremony(meta(), drawId, { value: '402917' });
    await h.service.revealWitness(meta(), drawId, { witness: 'w1', secret: SECRETS.w1 });
    await h.service.revealWitness(meta(), drawId, { witness: 'w2', secret: SECRETS.w2 });
    return drawId;
  };
  /** One pending list per department and item (V3): lock a draw's list before the item is drawn again. */
  const lock = async (drawId: string) => h.tasks.lock(meta(actors.principalA), drawId.replace(/\.targets\.\d+$/, ''), drawId);
  const bundleOf = async (drawId: string): Promise<LedgerProofBody> => plain(await ledgerProofBundle(log, h.store, await h.service.proofPositions(drawId)));
  const recordOf = async (drawId: string): Promise<DrawRecord> => plain((await h.service.publicExport(drawId)) as DrawRecord);
  const failed = (r: ReturnType<typeof anchorDrawRecord>) => r.checks.find((c) => !c.ok);

  it("V4: the ledger's own completed record anchors offline: signature, every leaf and audit path, and the binding pass", async () => {
    const drawId = await completed();
    const record = await recordOf(drawId);
    const proof = await bundleOf(drawId);
    expect(proof.events.map((e) => e.envelope.type)).toEqual(['DrawCommitted', 'CeremonyValueRecorded', 'WitnessSecretRevealed', 'WitnessSecretRevealed', 'DrawCompleted']);
    const r = anchorDrawRecord(record, proof, [log.key]);
    expect(failed(r)).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.check)).toEqual(expect.arrayContaining(['checkpoint', 'signature', 'leaf', 'inclusion', 'binding']));
    expect(replayDraw(record, proof, [log.key])).toMatchObject({ verdict: 'pass', anchored: true });
  });

  it('issue 7 §2 regression (forged record verifies), now offline: a record rebuilt with another ceremony value replays but fails the binding at revealed', async () => {
    const drawId = await completed('T-A2');
    const real = await recordOf(drawId);
    const revealed: RevealedEntropy = { ...real.revealed!, ceremony: { value: '999999' } };
    const forged = plain(completeDraw({ commitment: real.commitment, commitmentHash: real.commitmentHash, pools: real.pools }, revealed));
    const r = anchorDrawRecord(forged, await bundleOf(drawId), [log.key]);
    expect(r.ok).toBe(false);
    expect(failed(r)).toMatchObject({ check: 'binding', path: 'revealed' });
    const shown = replayDraw(forged, await bundleOf(drawId), [log.key]);
    expect(shown.verdict).toBe('fail');
    expect(shown.checks.find((c) => c.status === 'fail')).toMatchObject({ stage: 'binding' });
    expect(shown.checks.filter((c) => c.stage !== 'binding').every((c) => c.status === 'pass')).toBe(true);
  });

  it('V4: an edited envelope in the bundle (the DBA rewrote the result in the proof) breaks that event\'s audit path', async () => {
    const drawId = await completed('T-A3');
    const proof = await bundleOf(drawId);
    const last = proof.events.at(-1)!;
    const payload = last.envelope.payload as { result: { merged: string[] } };
    payload.result.merged[0] = payload.result.merged[1]!;
    const r = verifyLedgerProof(proof, [log.key]);
    expect(r.ok).toBe(false);
    expect(failed(r)).toMatchObject({ check: 'inclusion', path: `proof.events[${proof.events.length - 1}].inclusion` });
  });

  it('V4: a checkpoint signed by another key, or with an edited root, fails the signature check', async () => {
    const drawId = await completed('T-A4');
    const record = await recordOf(drawId);
    const proof = await bundleOf(drawId);
    const other = parseVerifierKey(formatVerifierKey(log.key.name, ed25519.getPublicKey(ed25519.utils.randomSecretKey())));
    expect(failed(anchorDrawRecord(record, proof, [other]))).toMatchObject({ check: 'signature', path: 'proof.checkpoint' });
    const lines = proof.checkpoint.split('\n');
    lines[2] = Buffer.alloc(32, 7).toString('base64');
    expect(failed(anchorDrawRecord(record, { ...proof, checkpoint: lines.join('\n') }, [log.key]))).toMatchObject({ check: 'signature' });
    const wrongName = parseVerifierKey(formatVerifierKey('someone.else/log', ed25519.getPublicKey(ed25519.utils.randomSecretKey())));
    expect(failed(anchorDrawRecord(record, proof, [wrongName]))).toMatchObject({ check: 'signature', expected: log.key.name });
  });

  it('V4: an altered audit path fails inclusion at that event', async () => {
    const drawId = await completed('T-A5');
    const proof = await bundleOf(drawId);
    const path = proof.events[0]!.inclusion;
    path[0] = path[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(failed(verifyLedgerProof(proof, [log.key]))).toMatchObject({ check: 'inclusion', path: 'proof.events[0].inclusion' });
  });

  it("V4: a bundle without the DrawCompleted event, or with another draw's, cannot anchor the record (binding)", async () => {
    const a = await completed('T-A6');
    await lock(a);
    const b = await completed('T-A7');
    const record = await recordOf(a);
    const proofA = await bundleOf(a);
    const noCompletion = { ...proofA, events: proofA.events.filter((e) => e.envelope.type !== 'DrawCompleted') };
    expect(failed(anchorDrawRecord(record, noCompletion, [log.key]))).toMatchObject({ check: 'binding', path: 'result' });
    // B's events are genuine and proven, but they are B's: A's record does not bind to them.
    expect(failed(anchorDrawRecord(record, await bundleOf(b), [log.key]))).toMatchObject({ check: 'binding', path: 'commitment' });
  });

  it('V4: an extension anchors down its lineage; a record whose parent was swapped fails the binding at parent', async () => {
    const root = await completed('T-A8');
    const ext = await h.service.commitExtension(meta(actors.principalA), root, { additional: [{ class: '风险B', count: 1 }], reason: '追加抽取 / one more' });
    await h.service.complete(meta(), ext);
    await lock(root);
    const record = await recordOf(ext);
    const proof = await bundleOf(ext);
    expect(proof.events.filter((e) => e.envelope.type === 'DrawCompleted')).toHaveLength(2);
    expect(failed(anchorDrawRecord(record, proof, [log.key]))).toBeUndefined();
    const otherRoot = await recordOf(await completed('T-A9'));
    expect(failed(anchorDrawRecord({ ...record, parent: otherRoot }, proof, [log.key]))).toMatchObject({ check: 'binding', path: 'parent.commitment' });
  });

  it("V3/V4: an abandoned draw's export anchors to its DrawCommitted and DrawAbandoned; an edited reason fails", async () => {
    const drawId = await committed('T-A10');
    await h.service.abandon(meta(), drawId, { reason: '演练 / rehearsal' });
    const record = plain(await h.service.publicExport(drawId)) as unknown as Record<string, unknown>;
    const proof = await bundleOf(drawId);
    expect(failed(anchorDrawRecord(record, proof, [log.key]))).toBeUndefined();
    expect(replayDraw(record, proof, [log.key])).toMatchObject({ verdict: 'pass', abandoned: true });
    expect(failed(anchorDrawRecord({ ...record, abandonReason: '系统故障' }, proof, [log.key]))).toMatchObject({ check: 'binding', path: 'abandonReason', actual: '系统故障' });
  });

  it('V4: hostile bundles are refused with a named check, never a throw', async () => {
    const drawId = await completed('T-A11');
    const record = await recordOf(drawId);
    const proof = await bundleOf(drawId);
    const cases: [unknown, string, string][] = [
      [null, 'bundle', 'proof'],
      [{ ...proof, format: 'suiji-ledger-proof/2' }, 'bundle', 'proof.format'],
      [{ ...proof, events: [] }, 'bundle', 'proof.events'],
      [{ ...proof, checkpoint: 'not a note' }, 'checkpoint', 'proof.checkpoint'],
      [{ ...proof, events: [{ ...proof.events[0]!, inclusion: ['zz'] }] }, 'inclusion', 'proof.events[0].inclusion'],
      [{ ...proof, events: [{ ...proof.events[0]!, position: proof.events[0]!.position + 1 }] }, 'leaf', 'proof.events[0].envelope.position'],
      [{ ...proof, events: [{ ...proof.events[0]!, envelope: { ...proof.events[0]!.envelope, hash: 'x' } }] }, 'leaf', 'proof.events[0].envelope.position'],
      [{ ...proof, events: [7] }, 'bundle', 'proof.events[0]'],
    ];
    for (const [bad, check, path] of cases) {
      const r = anchorDrawRecord(record, bad, [log.key]);
      expect(r.ok).toBe(false);
      expect(failed(r)).toMatchObject({ check, path });
    }
    expect(replayDraw(record).verdict).toBe('fail'); // no proof: a record alone is never a pass
  });

  it('V4 (issue 11): suiji draw verify FILE --offline --proof --log-key answers ledger, anchored, with no ledger opened; a forgery is foreign; the proof may be embedded', async () => {
    const drawId = await completed('T-A12');
    const record = await recordOf(drawId);
    const proof = await bundleOf(drawId);
    const file = (name: string, v: unknown) => {
      const path = join(h.dataDir, name);
      writeFileSync(path, typeof v === 'string' ? v : JSON.stringify(v));
      return path;
    };
    const lines: string[] = [];
    const cli = (argv: string[]) => runProgram(argv, { out: (l) => void lines.push(l), write: (t) => void lines.push(t), err: (l) => void lines.push(l), openDraw: async () => { throw new Error('offline: no ledger may be opened'); } });
    const vkey = file('log.vkey', `${log.vkey}\n`);
    expect(await cli(['draw', 'verify', file('r.json', record), '--offline', '--proof', file('p.json', proof), '--log-key', vkey])).toBe(0);
    expect(lines.at(-1)).toContain('anchored');
    expect(await cli(['draw', 'verify', file('both.json', { record, proof }), '--offline', '--log-key', log.vkey])).toBe(0);
    const forged = plain(completeDraw({ commitment: record.commitment, commitmentHash: record.commitmentHash, pools: record.pools }, { ...record.revealed!, ceremony: { value: '111111' } }));
    expect(await cli(['draw', 'verify', file('f.json', forged), '--offline', '--proof', file('p.json', proof), '--log-key', vkey])).toBe(1);
    expect(lines.at(-1)).toContain('DIFFERS_FROM_LEDGER at revealed');
    const other = formatVerifierKey(log.key.name, ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
    expect(await cli(['draw', 'verify', file('r.json', record), '--offline', '--proof', file('p.json', proof), '--log-key', other])).toBe(1);
    expect(lines.at(-1)).toContain('PROOF_INVALID at proof.checkpoint');
    // Bad input: a clear coded error naming the option, not a crash.
    await expect(cli(['draw', 'verify', file('r.json', record), '--offline', '--proof', file('p.json', proof)])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: '--log-key' } });
    await expect(cli(['draw', 'verify', file('r.json', record), '--offline', '--proof', file('p.json', proof), '--log-key', 'nonsense'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: '--log-key' } });
    await expect(cli(['draw', 'verify', file('r.json', record), '--offline', '--log-key', vkey])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: '--proof' } });
  });
});
