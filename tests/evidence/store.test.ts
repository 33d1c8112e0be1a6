import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuijiError } from '../../src/domain/errors.js';
import { EvidenceStore, evidenceLimits, evidenceLimitsFromEnv } from '../../src/store/evidence/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { exe, filesUnder, jpeg, pdf, sha256 } from './fixtures.js';

/** A source that yields `chunks` and counts how many were pulled (to show a refusal stops reading). */
function counted(chunks: Buffer[]): { source: AsyncIterable<Uint8Array>; pulled: () => number } {
  let n = 0;
  return {
    source: (async function* () {
      for (const c of chunks) {
        n++;
        yield c;
      }
    })(),
    pulled: () => n,
  };
}

const refusal = async (p: Promise<unknown>): Promise<SuijiError> => {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(SuijiError);
  return e as SuijiError;
};

describe('evidence store (E10)', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EvidenceStore;
  beforeEach(() => {
    dir = tempDir('suiji-evidence-');
    store = new EvidenceStore(dir.path, { maxBytes: 64 * 1024 });
  });
  afterEach(() => dir.remove());

  const nothingLeft = () => {
    expect(filesUnder(dir.path, 'sha256')).toEqual([]);
    expect(filesUnder(dir.path, 'tmp')).toEqual([]);
  };

  it('E10: a blob is stored under its SHA-256, fanned out by the first byte, with the type sniffed from the bytes', async () => {
    const bytes = jpeg('site photo');
    const put = await store.putStream(Readable.from([bytes]));
    expect(put).toEqual({ sha256: sha256(bytes), size: bytes.length, mime: 'image/jpeg', ext: 'jpg', created: true });
    const path = `${dir.path}/evidence/sha256/${put.sha256.slice(0, 2)}/${put.sha256}`;
    expect(readFileSync(path)).toEqual(bytes);
    expect(filesUnder(dir.path, 'tmp')).toEqual([]);
  });

  it('E10: the same bytes twice keep one blob (idempotent: same bytes, same name)', async () => {
    const bytes = pdf('twice');
    const a = await store.putStream(Readable.from([bytes]));
    const b = await store.putStream(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]));
    expect(b).toEqual({ ...a, created: false });
    expect(filesUnder(dir.path, 'sha256')).toHaveLength(1);
    expect(filesUnder(dir.path, 'tmp')).toEqual([]);
  });

  it('E10: zero bytes → coded refusal naming the body, nothing written', async () => {
    const e = await refusal(store.putStream(Readable.from([])));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toMatchObject({ field: 'body', rule: 'E10' });
    expect(e.messageZh).toContain('为空');
    nothingLeft();
  });

  it('E10: over the size limit → PAYLOAD_TOO_LARGE as soon as the limit is passed; the rest is not read; nothing written', async () => {
    const head = jpeg('big');
    const src = counted([head, Buffer.alloc(40 * 1024), Buffer.alloc(40 * 1024), Buffer.alloc(40 * 1024), Buffer.alloc(40 * 1024)]);
    const e = await refusal(store.putStream(src.source));
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(e.details).toMatchObject({ field: 'body', rule: 'E10', maxBytes: 64 * 1024 });
    expect(src.pulled()).toBe(3);
    nothingLeft();
  });

  it('E10: a type not on the list (an executable, plain text) → UNSUPPORTED_MEDIA_TYPE naming what was sniffed; nothing written', async () => {
    const e = await refusal(store.putStream(Readable.from([exe()])));
    expect(e.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(e.details).toMatchObject({ field: 'body', rule: 'E10', sniffed: 'application/x-msdownload' });
    const t = await refusal(store.putStream(Readable.from([Buffer.from('just some text')])));
    expect(t.details).toMatchObject({ sniffed: null });
    nothingLeft();
  });

  it('E10: a truncated upload (SHA-256 mismatch with the declared one) → coded refusal naming the field; nothing written', async () => {
    const bytes = pdf('whole');
    const e = await refusal(store.putStream(Readable.from([bytes.subarray(0, bytes.length - 5)]), { expectedSha256: sha256(bytes), expectedField: 'headers/x-content-sha256' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toMatchObject({ field: 'headers/x-content-sha256', rule: 'E10', expected: sha256(bytes) });
    nothingLeft();
  });

  it('E10: a failing source (connection lost mid-upload) leaves no temp file', async () => {
    const failing = (async function* () {
      yield jpeg('cut');
      throw new Error('socket hang up');
    })();
    await expect(store.putStream(failing)).rejects.toThrow('socket hang up');
    nothingLeft();
  });

  it('E10: verify re-hashes: ok, changed after a byte is altered, missing for an unknown hash', async () => {
    const put = await store.putStream(Readable.from([jpeg('verify me')]));
    expect(await store.verify(put.sha256)).toEqual({ sha256: put.sha256, status: 'ok' });
    const path = store.pathOf(put.sha256);
    const altered = readFileSync(path);
    altered.writeUInt8(altered.readUInt8(altered.length - 3) ^ 1, altered.length - 3);
    writeFileSync(path, altered);
    expect(await store.verify(put.sha256)).toMatchObject({ status: 'changed', actual: sha256(altered) });
    expect(await store.verify('0'.repeat(64))).toEqual({ sha256: '0'.repeat(64), status: 'missing' });
  });

  it('E10: an existing blob is kept, never replaced, when the same name is stored again', async () => {
    const bytes = jpeg('kept');
    const put = await store.putStream(Readable.from([bytes]));
    const ino = statSync(store.pathOf(put.sha256)).ino;
    await store.putStream(Readable.from([bytes]));
    expect(statSync(store.pathOf(put.sha256)).ino).toBe(ino);
    expect(existsSync(store.pathOf(put.sha256))).toBe(true);
  });

  it('A4: limits are configuration with defaults; a bad value is refused at start-up', () => {
    expect(evidenceLimits().types).toContain('application/pdf');
    expect(evidenceLimitsFromEnv({ SUIJI_EVIDENCE_MAX_BYTES: '1000', SUIJI_EVIDENCE_TYPES: 'image/png, application/pdf' })).toEqual({ maxBytes: 1000, types: ['image/png', 'application/pdf'] });
    expect(() => evidenceLimitsFromEnv({ SUIJI_EVIDENCE_MAX_BYTES: '10MB' })).toThrow(RangeError);
    expect(() => evidenceLimitsFromEnv({ SUIJI_EVIDENCE_TYPES: 'pdf' })).toThrow(RangeError);
  });
});
