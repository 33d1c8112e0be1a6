/** Synthetic credit codes for the lottery benches (bench/lottery.ts and its verify-only child). */

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W18 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const W9 = [3, 7, 9, 10, 5, 8, 4, 2];
const CHAR_VALUE = new Map([...CHARSET].map((c, i) => [c.charCodeAt(0), i]));

/** n valid USCC-shaped codes "91370323" + 8-digit serial + org check + USCC check, ascending. */
export function syntheticCodes(n: number): string[] {
  const out = new Array<string>(n);
  const codes = new Array<number>(18);
  const prefix = '91370323';
  for (let i = 0; i < 8; i++) codes[i] = prefix.charCodeAt(i);
  for (let s = 0; s < n; s++) {
    let v = s;
    let sum9 = 0;
    for (let i = 7; i >= 0; i--) {
      const d = v % 10;
      v = Math.floor(v / 10);
      codes[8 + i] = 48 + d;
      sum9 += d * W9[i]!;
    }
    const oc = 11 - (sum9 % 11);
    codes[16] = oc === 10 ? 88 : oc === 11 ? 48 : 48 + oc;
    let t = 0;
    for (let i = 0; i < 17; i++) t += CHAR_VALUE.get(codes[i]!)! * W18[i]!;
    const c = 31 - (t % 31);
    codes[17] = CHARSET.charCodeAt(c === 31 ? 0 : c);
    out[s] = String.fromCharCode(...codes);
  }
  return out;
}

