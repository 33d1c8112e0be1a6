/** C2SP tlog-cosignature (Ed25519 cosignature/v1): format, parse, verify, and every tampering refused. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  CosignatureError,
  cosign,
  cosignedMessage,
  cosigners,
  formatCosignerKey,
  parseCosignatureLine,
  parseCosignerKey,
  verifyCosignature,
} from '../../src/verify/index.js';

const vector = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'vectors', 'cosignature', 'go-cosigned.json'), 'utf8')) as {
  witnessKey: string;
  timestamp: number;
  note: string;
};

const BODY = 'yiyuan.suiji.example/ledger\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const LOG_LINE = '— yiyuan.suiji.example/ledger Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
const secret = ed25519.utils.randomSecretKey();
const NAME = 'shi.suiji.example/witness';
const key = parseCosignerKey(formatCosignerKey(NAME, ed25519.getPublicKey(secret)));
const T = 1_790_000_000;
const cosigned = (body = BODY, t = T): string => `${body}\n${LOG_LINE}${cosign(body, NAME, secret, t)}`;

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof CosignatureError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('cosignature/v1 (C2SP tlog-cosignature)', () => {
  it('verifies a cosignature Go made with crypto/ed25519 (captured vector)', () => {
    expect(verifyCosignature(vector.note, parseCosignerKey(vector.witnessKey))).toEqual({ timestamp: vector.timestamp });
  });

  it('the signed message is the header line, the time line and the whole note body', () => {
    expect(new TextDecoder().decode(cosignedMessage(BODY, 1679315147))).toBe(`cosignature/v1\ntime 1679315147\n${BODY}`);
  });

  it('a key is name+keyid+base64(0x04 ‖ key) with keyid = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4]', () => {
    const vkey = formatCosignerKey(NAME, key.publicKey);
    const [name, id, b64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey)!.slice(1) as [string, string, string];
    expect(name).toBe(NAME);
    const raw = Buffer.from(b64, 'base64');
    expect(raw[0]).toBe(0x04);
    expect(raw.subarray(1)).toEqual(Buffer.from(key.publicKey));
    expect(id).toBe(createHash('sha256').update(Buffer.concat([Buffer.from(`${NAME}\n`), raw])).digest().subarray(0, 4).toString('hex'));
  });

  it('a line carries key id ‖ u64 big-endian timestamp ‖ 64-byte signature', () => {
    const line = cosign(BODY, NAME, secret, T);
    const parsed = parseCosignatureLine(line);
    expect(parsed).toMatchObject({ name: NAME, timestamp: T });
    expect(parsed.keyId).toEqual(key.keyId);
    expect(parsed.signature).toHaveLength(64);
    const bytes = Buffer.from(line.trim().split(' ')[2]!, 'base64');
    expect(bytes.readBigUInt64BE(4)).toBe(BigInt(T));
  });

  it('verifies our own cosignature next to the log signature and returns its time', () => {
    expect(verifyCosignature(cosigned(), key)).toEqual({ timestamp: T });
  });

  describe('when the checkpoint body was changed after cosigning', () => {
    it('is refused (bad-signature)', () => {
      const note = cosigned().replace('\n42\n', '\n43\n');
      expect(codeOf(() => verifyCosignature(note, key))).toBe('bad-signature');
    });
  });

  describe('when the timestamp in the line was changed', () => {
    it('is refused (bad-signature): the time is signed', () => {
      const line = cosign(BODY, NAME, secret, T);
      const bytes = Buffer.from(line.trim().split(' ')[2]!, 'base64');
      bytes.writeBigUInt64BE(BigInt(T + 1), 4);
      const note = `${BODY}\n${LOG_LINE}— ${NAME} ${bytes.toString('base64')}\n`;
      expect(codeOf(() => verifyCosignature(note, key))).toBe('bad-signature');
    });
  });

  describe('when another key signs under the witness name', () => {
    it('is not taken for the witness (no-cosignature: the key id differs)', () => {
      const other = ed25519.utils.randomSecretKey();
      const note = `${BODY}\n${LOG_LINE}${cosign(BODY, NAME, other, T)}`;
      expect(codeOf(() => verifyCosignature(note, key))).toBe('no-cosignature');
    });
  });

  describe('when the witness key id is copied onto a forged signature', () => {
    it('is refused (bad-signature)', () => {
      const line = cosign(BODY, NAME, secret, T);
      const bytes = Buffer.from(line.trim().split(' ')[2]!, 'base64');
      bytes[20] = bytes[20]! ^ 1;
      const note = `${BODY}\n${LOG_LINE}— ${NAME} ${bytes.toString('base64')}\n`;
      expect(codeOf(() => verifyCosignature(note, key))).toBe('bad-signature');
    });
  });

  describe('when the note has no cosignature of this witness', () => {
    it('says so (no-cosignature)', () => {
      expect(codeOf(() => verifyCosignature(`${BODY}\n${LOG_LINE}`, key))).toBe('no-cosignature');
    });
  });

  describe('when the note is malformed', () => {
    it.each([
      ['no blank line', `${BODY}${LOG_LINE}`],
      ['no final newline', `${BODY}\n${LOG_LINE.trimEnd()}`],
      ['a line without the em dash', `${BODY}\n- x AAAA\n`],
      ['non-canonical base64', `${BODY}\n— x AAAAAB==\n`],
    ])('%s → bad-note', (_name, note) => {
      expect(codeOf(() => verifyCosignature(note, key))).toBe('bad-note');
    });
  });

  describe('when a verifier key is not a cosignature/v1 key', () => {
    it.each([
      ['a log key (type 0x01)', `${NAME}+00000000+${Buffer.concat([Buffer.of(1), Buffer.from(key.publicKey)]).toString('base64')}`],
      ['a wrong key id', formatCosignerKey(NAME, key.publicKey).replace(/\+[0-9a-f]{8}\+/, '+00000000+')],
      ['a short key', `${NAME}+00000000+${Buffer.of(4, 1, 2).toString('base64')}`],
      ['a name with a plus sign', 'a+b+c+d'],
    ])('%s → bad-key', (_name, vkey) => {
      expect(codeOf(() => parseCosignerKey(vkey))).toBe('bad-key');
    });
  });

  describe('when a submitted line is not one cosignature', () => {
    it.each([
      ['two lines', cosign(BODY, NAME, secret, T) + cosign(BODY, NAME, secret, T)],
      ['a log signature (68 bytes)', LOG_LINE],
      ['text', 'hello'],
    ])('%s → bad-line', (_name, line) => {
      expect(codeOf(() => parseCosignatureLine(line))).toBe('bad-line');
    });

    it('a timestamp beyond 2^53 - 1 → bad-timestamp', () => {
      const bytes = Buffer.alloc(76);
      bytes.writeBigUInt64BE(2n ** 60n, 4);
      expect(codeOf(() => parseCosignatureLine(`— ${NAME} ${bytes.toString('base64')}`))).toBe('bad-timestamp');
    });
  });

  it('counts each witness once however many lines or duplicate keys it has (dedupe before counting)', () => {
    const second = ed25519.utils.randomSecretKey();
    const key2 = parseCosignerKey(formatCosignerKey('sheng.suiji.example/witness', ed25519.getPublicKey(second)));
    const line = cosign(BODY, NAME, secret, T);
    const note = `${BODY}\n${LOG_LINE}${line}${line}${cosign(BODY, key2.name, second, T + 5)}`;
    const found = cosigners(note, [key, key, key2]);
    expect(found.map((c) => [c.key.name, c.timestamp])).toEqual([
      [NAME, T],
      [key2.name, T + 5],
    ]);
    // A third configured witness that did not cosign is simply absent.
    const absent = parseCosignerKey(formatCosignerKey('x.example/w', ed25519.getPublicKey(ed25519.utils.randomSecretKey())));
    expect(cosigners(note, [absent])).toEqual([]);
  });
});
