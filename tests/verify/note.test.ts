import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  NoteError,
  formatSignerKey,
  formatVerifierKey,
  keyIdOf,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifiedText,
  type NoteFault,
} from '../../src/verify/index.js';

// golang.org/x/mod/sumdb/note/note_test.go (TestSign, TestOpen, TestVerifierList).
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const codeOf = (f: () => unknown): NoteFault | 'no error' => {
  try {
    f();
  } catch (err) {
    if (err instanceof NoteError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('C2SP signed-note keys (Go x/mod/sumdb/note vectors)', () => {
  it("parses Go's signer key, derives Go's verifier key, and formats both back byte for byte", () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(hex(signer.keyId)).toBe('c74f20a3');
    expect(formatVerifierKey(signer.name, signer.publicKey)).toBe(PETER_VKEY);
    expect(formatSignerKey(signer.name, signer.secretKey)).toBe(PETER_SKEY);
    const v = parseVerifierKey(PETER_VKEY);
    expect(v).toMatchObject({ name: 'PeterNeumann', type: 1 });
    expect(v.publicKey).toEqual(signer.publicKey);
    expect(hex(keyIdOf('PeterNeumann', 1, v.publicKey))).toBe('c74f20a3');
    expect(hex(parseVerifierKey(ENOCH_VKEY).keyId)).toBe('af0cfe78');
  });

  it('refuses a verifier key with a wrong key ID, a bad name, a short key or non-canonical base64', () => {
    expect(codeOf(() => parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'c74f20a4')))).toBe('bad-verifier-key');
    expect(codeOf(() => parseVerifierKey(`Peter Neumann${PETER_VKEY.slice('PeterNeumann'.length)}`))).toBe('bad-verifier-key');
    expect(codeOf(() => parseVerifierKey('PeterNeumann+c74f20a3+ARpc'))).toBe('bad-verifier-key');
    expect(codeOf(() => parseVerifierKey(PETER_VKEY.slice(0, -1) + 'X'))).toBe('bad-verifier-key');
    expect(codeOf(() => parseVerifierKey(`a+${PETER_VKEY}`))).toBe('bad-verifier-key');
    expect(codeOf(() => parseSignerKey(PETER_VKEY))).toBe('bad-signer-key');
    expect(codeOf(() => parseSignerKey(PETER_SKEY.replace('c74f20a3', '00000000')))).toBe('bad-signer-key');
  });
});

describe('C2SP signed-note notes', () => {
  const peter = parseVerifierKey(PETER_VKEY);
  const enoch = parseVerifierKey(ENOCH_VKEY);
  const { secretKey } = parseSignerKey(PETER_SKEY);

  it("V4: signs Go's test note to Go's exact bytes (Ed25519 is deterministic)", () => {
    expect(signNote(TEXT, 'PeterNeumann', secretKey)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('V4: opens a note with two signatures, verifying the known key and keeping the unknown one unverified', () => {
    const one = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter]);
    expect(one.text).toBe(TEXT);
    expect(one.signatures.map((s) => [s.name, hex(s.keyId), s.verified])).toEqual([
      ['PeterNeumann', 'c74f20a3', true],
      ['EnochRoot', 'af0cfe78', false],
    ]);
    const both = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter, enoch]);
    expect(both.signatures.every((s) => s.verified)).toBe(true);
    expect(verifiedText(`${TEXT}\n${PETER_SIG}`, peter)).toBe(TEXT);
  });

  it('V4: a forged signature (one byte changed, or over other text) is not verified and verifiedText refuses it', () => {
    const forged = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(64)}`;
    expect(openNote(forged, [peter]).signatures[0]!.verified).toBe(false);
    expect(codeOf(() => verifiedText(forged, peter))).toBe('bad-signature');
    const otherText = `${TEXT.replace('answer', 'Answer')}\n${PETER_SIG}`;
    expect(codeOf(() => verifiedText(otherText, peter))).toBe('bad-signature');
    // Signed by another key under the log's name: the key ID does not match, so it is no signature of the log.
    const other = ed25519.utils.randomSecretKey();
    expect(codeOf(() => verifiedText(signNote(TEXT, 'PeterNeumann', other), peter))).toBe('bad-signature');
  });

  it('a repeated signature line counts once', () => {
    expect(openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}`, [peter]).signatures).toHaveLength(2);
  });

  it("refuses Go's malformed notes and other hostile text with a code", () => {
    const cases: [string, NoteFault][] = [
      [TEXT, 'no-signature-block'],
      [`${TEXT}\n`, 'no-signature-block'],
      [`${TEXT}\n${PETER_SIG.slice(0, -1)}`, 'no-signature-block'],
      [`\x01${TEXT}\n${PETER_SIG}`, 'bad-character'],
      [`\ud800${TEXT}\n${PETER_SIG}`, 'bad-character'],
      [`${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`, 'bad-signature-line'],
      [`${TEXT}\n${PETER_SIG}Unexpected line.\n`, 'bad-signature-line'],
      [`${TEXT}\n${PETER_SIG.replace('— ', '-- ')}`, 'bad-signature-line'],
      [`${TEXT}\n— PeterNeumann AAAA\n`, 'bad-signature-line'],
      [`${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n`, 'bad-signature-line'],
      [`${TEXT}\n${PETER_SIG.replace('\n', '\r\n')}`, 'bad-character'],
      [`${TEXT}\n\n${PETER_SIG}`, 'bad-text'],
      [`\n\n${PETER_SIG}`, 'bad-text'],
      [`${TEXT}\n${PETER_SIG.repeat(101)}`, 'too-many-signatures'],
      [`${'x'.repeat(70000)}\n\n${PETER_SIG}`, 'too-long'],
    ];
    for (const [note, code] of cases) expect(codeOf(() => openNote(note, [peter])), JSON.stringify(note.slice(-80))).toBe(code);
  });

  it('signNote refuses text that is not lines ending in a newline, and a bad key name', () => {
    expect(codeOf(() => signNote('abc', 'PeterNeumann', secretKey))).toBe('bad-text');
    expect(codeOf(() => signNote('abc\n\n', 'PeterNeumann', secretKey))).toBe('bad-text');
    expect(codeOf(() => signNote(TEXT, 'a+b', secretKey))).toBe('bad-key-name');
  });
});
