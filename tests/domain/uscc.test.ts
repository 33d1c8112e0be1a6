import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { isValidUscc, organisationCodeValid, USCC_ALPHABET, usccCheckChar, validateUscc } from '../../src/domain/uscc.js';

interface Vectors {
  valid: string[];
  invalid: { code: string; why: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../../shared/vectors/uscc.json', import.meta.url), 'utf8')) as Vectors;

describe('L6: unified social credit code (GB 32100-2015)', () => {
  it.each(vectors.valid)('L6: accepts the valid vector %s', (code) => {
    expect(validateUscc(code)).toBeNull();
  });

  it('L6: the check character 0 edge case (31 − 0 → 0) is computed, not mapped to 31', () => {
    expect(usccCheckChar('9137032300000000G')).toBe('0');
    expect(isValidUscc('9137032300000000G0')).toBe(true);
  });

  const expectedReason: Record<string, string> = {
    'wrong check character': 'checkCharacter',
    'letter O is not in the character set': 'character',
    '17 characters': 'length',
    'lower case: reject or normalise, but say which': 'lowercase',
  };
  it.each(vectors.invalid)('L6: refuses $code ($why) with a coded error naming the field', ({ code, why }) => {
    const e = validateUscc(code, '/uscc');
    expect(e?.code).toBe('VALIDATION_FAILED');
    expect(e?.details.field).toBe('/uscc');
    expect(e?.details.reason).toBe(expectedReason[why]);
    expect(e?.messageZh).toContain('统一社会信用代码');
  });

  it('L6: lower case is rejected, never normalised (the upper-cased code would be valid)', () => {
    expect(isValidUscc('11370323MB2859070U')).toBe(true);
    expect(validateUscc('11370323mb2859070u')?.details.reason).toBe('lowercase');
  });

  it('L6: non-strings are refused', () => {
    expect(validateUscc(370323)?.details.reason).toBe('type');
  });

  it('L6: the check character position is reported', () => {
    expect(validateUscc('11370323MB2859070V')?.details.position).toBe(18);
    expect(validateUscc('11370323MB285907OU')?.details.position).toBe(17);
  });

  it('L6: any single-character change of a valid code is detected', () => {
    const body = fc.array(fc.constantFrom(...USCC_ALPHABET), { minLength: 17, maxLength: 17 }).map((a) => a.join(''));
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...USCC_ALPHABET), (b, pos, ch) => {
        const code = b + usccCheckChar(b);
        expect(isValidUscc(code)).toBe(true);
        const mutated = code.slice(0, pos) + ch + code.slice(pos + 1);
        expect(isValidUscc(mutated)).toBe(mutated === code);
      }),
    );
  });

  it('L6: the organisation-code check (positions 9–17) is advisory: real vectors pass, the synthetic one does not', () => {
    expect(organisationCodeValid('11370323MB2859070U')).toBe(true);
    expect(organisationCodeValid('91110108551385082Q')).toBe(true);
    expect(organisationCodeValid('914403001922038216')).toBe(true);
    expect(organisationCodeValid('9137032300000000G0')).toBe(false);
    expect(validateUscc('9137032300000000G0')).toBeNull();
  });
});
