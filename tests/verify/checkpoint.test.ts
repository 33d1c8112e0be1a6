/** The C2SP tlog-checkpoint body of a ledger head (docs/ledger-format.md §5.1). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointParseError, formatCheckpoint, parseCheckpoint } from '../../src/verify/index.js';

const hexOf = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');

function faultOf(text: string): string {
  try {
    parseCheckpoint(text);
  } catch (err) {
    if (err instanceof CheckpointParseError) return err.code;
    throw err;
  }
  return 'parsed';
}

describe('checkpoint text (C2SP tlog-checkpoint body)', () => {
  it('parses the C2SP specification example', () => {
    const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    expect(parseCheckpoint(text)).toEqual({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      root: hexOf('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='),
    });
  });

  it('the example of docs/ledger-format.md §5.1 parses to the worked example head of §7', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'ledger-format.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### 5.1'));
    const block = /```\n([\s\S]*?)```/.exec(section)![1]!;
    expect(parseCheckpoint(block)).toEqual({
      origin: 'yiyuan.suiji.example/ledger',
      size: 3,
      root: '65cac70f1093396e599ec3e5512a7a48c78b3a1945a87e404b625507de9b66fe',
    });
  });

  it('round-trips: format then parse gives the same head, and format is byte-stable', () => {
    const cp = { origin: 'suiji.local/ledger', size: 110, root: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
    const text = formatCheckpoint(cp);
    expect(text).toBe('suiji.local/ledger\n110\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
    expect(parseCheckpoint(text)).toEqual(cp);
  });

  it('reads the body of a signed note (stops at the blank line) and ignores extension lines', () => {
    const body = 'o\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextension line\n';
    expect(parseCheckpoint(`${body}\n— o AAAA\n`)).toMatchObject({ origin: 'o', size: 3 });
  });

  describe('when the text is malformed, names the fault', () => {
    const root = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
    it.each([
      ['no final newline', `o\n1\n${root}`, 'no-final-newline'],
      ['two lines', 'o\n1\n', 'missing-line'],
      ['empty origin', `\n1\n${root}\n`, 'bad-origin'],
      ['origin with a control character', `o\u0007\n1\n${root}\n`, 'bad-origin'],
      ['leading zero', `o\n01\n${root}\n`, 'bad-size'],
      ['negative size', `o\n-1\n${root}\n`, 'bad-size'],
      ['size beyond 2^53', `o\n9007199254740993\n${root}\n`, 'bad-size'],
      ['hex root', `o\n1\n${'ab'.repeat(32)}\n`, 'bad-root'],
      ['31-byte root', `o\n1\n${Buffer.alloc(31).toString('base64')}\n`, 'bad-root'],
      ['non-canonical base64 (padding bits set)', `o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n`, 'bad-root'],
      ['too long', `${'o'.repeat(9000)}\n1\n${root}\n`, 'too-long'],
    ])('%s → %s', (_name, text, code) => {
      expect(faultOf(text)).toBe(code);
    });
  });

  it('refuses to format a head it could not parse back', () => {
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, root: 'ab'.repeat(32) })).toThrow(RangeError);
    expect(() => formatCheckpoint({ origin: 'o', size: -1, root: 'ab'.repeat(32) })).toThrow(RangeError);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, root: 'AB'.repeat(32) })).toThrow(RangeError);
  });
});
