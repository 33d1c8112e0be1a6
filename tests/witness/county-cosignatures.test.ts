/**
 * The county's side of witnessing over HTTP (fastify inject, real SQLite): POST /ledger/cosignatures
 * stores only a configured witness's valid cosignature of a checkpoint this log signed and holds,
 * and GET /ledger/checkpoint/cosigned serves it. Every refusal is coded and stores nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { loadWitnesses } from '../../src/app/cosignatures/index.js';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { SuijiError } from '../../src/domain/errors.js';
import { cosign, formatCheckpoint, formatCosignerKey, formatVerifierKey, openNote, parseCosignerKey, parseVerifierKey, signNote, verifyCosignature } from '../../src/verify/index.js';
import { issueToken } from '../helpers/ledger-files.js';
import { tempDir } from '../helpers/temp-dir.js';

const ORIGIN = 'yiyuan.suiji.example/ledger';
const W = 'shi.suiji.example/witness';

describe('POST /ledger/cosignatures and GET /ledger/checkpoint/cosigned', () => {
  let dir: ReturnType<typeof tempDir>;
  let rt: Runtime;
  let app: FastifyInstance;
  const logSecret = ed25519.utils.randomSecretKey();
  const witnessSecret = ed25519.utils.randomSecretKey();
  const witnessKey = parseCosignerKey(formatCosignerKey(W, ed25519.getPublicKey(witnessSecret)));
  const logKey = parseVerifierKey(formatVerifierKey(ORIGIN, ed25519.getPublicKey(logSecret)));
  const now = (): number => Math.floor(Date.now() / 1000);

  /** The log's signed checkpoint of its current head. */
  async function signedHead(secret = logSecret): Promise<{ note: string; body: string; size: number }> {
    const head = await rt.store.head();
    const body = formatCheckpoint({ origin: ORIGIN, size: head.size, root: head.root });
    return { note: signNote(body, ORIGIN, secret), body, size: head.size };
  }
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/ledger/cosignatures', payload: payload as object });
  const cosigned = () => app.inject({ method: 'GET', url: '/ledger/checkpoint/cosigned' });

  beforeEach(async () => {
    dir = tempDir();
    mkdirSync(join(dir.path, 'keys'));
    writeFileSync(join(dir.path, 'keys', 'log.vkey'), `${formatVerifierKey(ORIGIN, logKey.publicKey)}\n`);
    writeFileSync(join(dir.path, 'keys', 'witnesses'), `# 市局见证方 / the city's witness\n${formatCosignerKey(W, witnessKey.publicKey)}\n`);
    rt = await openRuntime(dir.path, { cosignatures: true });
    for (const u of ['a', 'b', 'c']) await issueToken(rt.store, u);
    app = await buildApp({ store: rt.store, projections: rt.projections, cosignatures: rt.cosignatures! }, { publicRateLimit: false });
  });
  afterEach(async () => {
    await app.close();
    await rt.close();
    dir.remove();
  });

  it("V4: a configured witness's cosignature of a checkpoint this log signed is stored (201) and served with the checkpoint", async () => {
    expect((await cosigned()).statusCode).toBe(404);
    const { note, body, size } = await signedHead();
    const line = cosign(body, W, witnessSecret, now());
    const res = await post({ checkpoint: note, cosignature: line });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ size, witness: W, stored: true });

    const served = await cosigned();
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/^text\/plain/);
    expect(served.body).toBe(note + line);
    expect(openNote(served.body, [logKey]).signatures[0]!.verified).toBe(true);
    expect(verifyCosignature(served.body, witnessKey).timestamp).toBeGreaterThan(0);
  });

  it('the same cosignature again changes nothing (200, stored false); a later one replaces it, one line per witness', async () => {
    const { note, body } = await signedHead();
    const t = now();
    expect((await post({ checkpoint: note, cosignature: cosign(body, W, witnessSecret, t) })).statusCode).toBe(201);
    const again = await post({ checkpoint: note, cosignature: cosign(body, W, witnessSecret, t) });
    expect(again.statusCode).toBe(200);
    expect(again.json().stored).toBe(false);
    const later = cosign(body, W, witnessSecret, t + 1);
    expect((await post({ checkpoint: note, cosignature: later })).statusCode).toBe(201);
    expect((await cosigned()).body).toBe(note + later);
  });

  it('a checkpoint carrying other cosignature lines is accepted; the stored note keeps only the log signature', async () => {
    const { note, body } = await signedHead();
    const stranger = ed25519.utils.randomSecretKey();
    const withOther = note + cosign(body, 'other.example/w', stranger, now());
    const line = cosign(body, W, witnessSecret, now());
    expect((await post({ checkpoint: withOther, cosignature: line })).statusCode).toBe(201);
    expect((await cosigned()).body).toBe(note + line);
  });

  describe('when the witness is not configured', () => {
    it('is refused 403 FORBIDDEN (unknown-witness) and nothing is stored', async () => {
      const { note, body } = await signedHead();
      const res = await post({ checkpoint: note, cosignature: cosign(body, 'rogue.example/w', ed25519.utils.randomSecretKey(), now()) });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'FORBIDDEN', details: { field: 'cosignature', reason: 'unknown-witness' } });
      expect(res.json().messageZh).toContain('见证方');
      expect((await cosigned()).statusCode).toBe(404);
    });

    it('a forged line under the configured name but another key is refused too (the key id differs)', async () => {
      const { note, body } = await signedHead();
      const res = await post({ checkpoint: note, cosignature: cosign(body, W, ed25519.utils.randomSecretKey(), now()) });
      expect(res.statusCode).toBe(403);
      expect((await cosigned()).statusCode).toBe(404);
    });
  });

  describe('when the checkpoint is not one this log signed', () => {
    it('another key’s signature is refused 400 (not-signed-by-this-log)', async () => {
      const { note, body } = await signedHead(ed25519.utils.randomSecretKey());
      const res = await post({ checkpoint: note, cosignature: cosign(body, W, witnessSecret, now()) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'checkpoint', reason: 'not-signed-by-this-log' } });
      expect((await cosigned()).statusCode).toBe(404);
    });

    it('a checkpoint signed with this key but not on the current ledger is refused 400 (not-this-ledger)', async () => {
      // What a county that rewrote its history would hold: its key, its origin, another root.
      const head = await rt.store.head();
      const body = formatCheckpoint({ origin: ORIGIN, size: head.size, root: 'ab'.repeat(32) });
      const res = await post({ checkpoint: signNote(body, ORIGIN, logSecret), cosignature: cosign(body, W, witnessSecret, now()) });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toMatchObject({ field: 'checkpoint', reason: 'not-this-ledger' });
    });

    it('a checkpoint larger than the ledger is refused 400 (not-this-ledger)', async () => {
      const head = await rt.store.head();
      const body = formatCheckpoint({ origin: ORIGIN, size: head.size + 5, root: head.root });
      const res = await post({ checkpoint: signNote(body, ORIGIN, logSecret), cosignature: cosign(body, W, witnessSecret, now()) });
      expect(res.json().details).toMatchObject({ reason: 'not-this-ledger' });
    });
  });

  describe('when the cosignature does not match the checkpoint', () => {
    it('a cosignature of another checkpoint is refused 400 (bad-signature) and nothing is stored', async () => {
      const { note } = await signedHead();
      const other = formatCheckpoint({ origin: ORIGIN, size: 1, root: 'cd'.repeat(32) });
      const res = await post({ checkpoint: note, cosignature: cosign(other, W, witnessSecret, now()) });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toMatchObject({ field: 'cosignature', reason: 'bad-signature' });
      expect((await cosigned()).statusCode).toBe(404);
    });

    it('a cosignature dated more than ten minutes ahead is refused 400 (future-timestamp)', async () => {
      const { note, body } = await signedHead();
      const res = await post({ checkpoint: note, cosignature: cosign(body, W, witnessSecret, now() + 3600) });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toMatchObject({ field: 'cosignature', reason: 'future-timestamp' });
    });
  });

  it('hostile input is never a 500 and never stored: any body, or a valid submission with one character changed, is a coded 4xx', async () => {
    const { note, body } = await signedHead();
    const line = cosign(body, W, witnessSecret, now());
    const mutate = (text: string, at: number, ch: string): string => text.slice(0, at % text.length) + ch + text.slice((at % text.length) + 1);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ checkpoint: fc.string(), cosignature: fc.string() }),
          fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), fc.boolean()).map(([at, ch, which]) =>
            which ? { checkpoint: mutate(note, at, ch), cosignature: line } : { checkpoint: note, cosignature: mutate(line, at, ch) },
          ),
        ),
        async (payload) => {
          // A "mutation" that put back the same character is the valid submission itself: not sent, so
          // nothing is stored (the keys and the note differ per run, the mutations do not).
          if (JSON.stringify(payload) === JSON.stringify({ checkpoint: note, cosignature: line })) return;
          const res = await app.inject({ method: 'POST', url: '/ledger/cosignatures', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) ?? 'null' });
          expect([400, 403, 415]).toContain(res.statusCode);
          expect(res.json().error).toMatch(/^[A-Z_]+$/);
        },
      ),
      { seed: 1101, numRuns: 150 },
    );
    expect((await cosigned()).statusCode).toBe(404);
  });

  describe('when the request is malformed', () => {
    it.each([
      ['no cosignature', { checkpoint: 'x' }, 'cosignature'],
      ['a cosignature that is not a signature line', { checkpoint: 'x', cosignature: 'hello' }, 'cosignature'],
      ['an unknown member', { checkpoint: 'x', cosignature: 'y', size: 3 }, 'size'],
    ])('%s → 400 VALIDATION_FAILED naming the field', async (_name, payload, field) => {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.json().details)).toContain(field);
    });

    it('a checkpoint that is not a signed note → 400 naming checkpoint', async () => {
      const { body } = await signedHead();
      const res = await post({ checkpoint: body, cosignature: cosign(body, W, witnessSecret, now()) });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.field).toBe('checkpoint');
    });
  });
});

describe('configured witnesses (<data>/keys/witnesses, SUIJI_WITNESSES)', () => {
  it('reads both sources, skips comments and counts a key given twice once', () => {
    const d = tempDir();
    try {
      const a = formatCosignerKey('a.example/w', ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
      const b = formatCosignerKey('b.example/w', ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
      mkdirSync(join(d.path, 'keys'));
      writeFileSync(join(d.path, 'keys', 'witnesses'), `# comment\n\n${a}  # the city\n`);
      expect(loadWitnesses(d.path, { SUIJI_WITNESSES: `${b}, ${a}` }).map((k) => k.name)).toEqual(['a.example/w', 'b.example/w']);
    } finally {
      d.remove();
    }
  });

  it('a malformed key stops start-up with a coded error naming the file and line', () => {
    const d = tempDir();
    try {
      mkdirSync(join(d.path, 'keys'));
      const logKeyAsWitness = formatVerifierKey('a.example/w', ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
      writeFileSync(join(d.path, 'keys', 'witnesses'), `# ok\n${logKeyAsWitness}\n`);
      let err: unknown;
      try {
        loadWitnesses(d.path, {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SuijiError);
      expect((err as SuijiError).details).toMatchObject({ field: `${join(d.path, 'keys', 'witnesses')}:2`, reason: 'bad-key' });
    } finally {
      d.remove();
    }
  });
});
