import { SuijiError } from './errors.js';

/**
 * Unified Social Credit Code, GB 32100-2015 (L6). 18 characters from a 31-symbol alphabet
 * (no I, O, S, V, Z); the 18th is a check character over the first 17 (GB 32100-2015 §5).
 *
 * Lower case is REJECTED, not normalised: the code is an identifier in an immutable ledger,
 * so the system never rewrites what an operator typed; the error says `lowercase` so the
 * fix is obvious. Positions 9–17 embed an organisation code (GB 11714) with its own check;
 * that check is exposed as `organisationCodeValid` but NOT enforced, because codes issued
 * without a legacy organisation code need not satisfy it (and the shared vector
 * `9137032300000000G0` does not).
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** 3^(i-1) mod 31 for positions 1..17 (GB 32100-2015 §5.2). */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** The check character for the first 17 characters (which must be in the alphabet). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) throw new RangeError(`uscc: character ${i + 1} is not in the alphabet`);
    sum += v * WEIGHTS[i]!;
  }
  // c = 31 − (sum mod 31), and 31 maps to 0: the edge case some libraries get wrong.
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export type UsccProblem = 'type' | 'length' | 'lowercase' | 'character' | 'checkCharacter';

const problemText: Record<UsccProblem, { zh: string; en: string }> = {
  type: { zh: '必须是字符串', en: 'must be a string' },
  length: { zh: '必须为18位', en: 'must have 18 characters' },
  lowercase: { zh: '含小写字母，请使用大写', en: 'contains lower-case letters; use upper case' },
  character: { zh: '含非法字符（不允许 I、O、S、V、Z 及符号）', en: 'contains a character outside the GB 32100 alphabet (no I, O, S, V, Z)' },
  checkCharacter: { zh: '校验码错误', en: 'has a wrong check character' },
};

/** Why a code is invalid, or null when it is valid. */
export function usccProblem(code: unknown): { problem: UsccProblem; position?: number } | null {
  if (typeof code !== 'string') return { problem: 'type' };
  if (code.length !== 18) return { problem: 'length' };
  if (code !== code.toUpperCase()) return { problem: 'lowercase' };
  // The 18th is checked against the computed check character, so any wrong 18th
  // character (even one outside the alphabet, like V) is reported as `checkCharacter`.
  for (let i = 0; i < 17; i++) {
    if (!USCC_ALPHABET.includes(code[i]!)) return { problem: 'character', position: i + 1 };
  }
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return { problem: 'checkCharacter', position: 18 };
  return null;
}

/** L6: null when valid, otherwise a coded error naming the field. */
export function validateUscc(code: unknown, field = 'uscc'): SuijiError | null {
  const p = usccProblem(code);
  if (!p) return null;
  const t = problemText[p.problem];
  const at = p.position ? `（第${p.position}位）` : '';
  const atEn = p.position ? ` (position ${p.position})` : '';
  return new SuijiError(
    'VALIDATION_FAILED',
    { field, rule: 'L6', reason: p.problem, ...(p.position ? { position: p.position } : {}) },
    { zh: `L6：统一社会信用代码${t.zh}${at}`, en: `L6: the unified social credit code ${t.en}${atEn}` },
  );
}

export const isValidUscc = (code: unknown): code is string => usccProblem(code) === null;

/** GB 11714 check of the organisation code embedded in positions 9–17 (advisory only). */
export function organisationCodeValid(uscc: string): boolean {
  const org = uscc.slice(8, 17);
  if (org.length !== 9) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = org[i]!;
    // GB 11714: digits are their value, letters A..Z are 10..35.
    const v = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : -1;
    if (v < 0) return false;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const r = 11 - (sum % 11);
  const expected = r === 10 ? 'X' : r === 11 ? '0' : String(r);
  return org[8] === expected;
}
