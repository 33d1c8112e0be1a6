import { LotteryError } from '../../verify/index.js';
import { SuijiError, ruleViolation } from '../errors.js';

/** Lottery codes that mean "this input is malformed", as opposed to "this evidence does not verify". */
const inputCodes = new Set(['MALFORMED', 'ID_INVALID', 'POOL_NOT_CANONICAL', 'QUOTA_INVALID', 'PARAMETER_INVALID', 'UNSUPPORTED_ALGORITHM', 'POOLS_OVERLAP']);

/**
 * Wraps a lottery-core refusal as a coded, bilingual SuijiError that keeps the lottery code and
 * JSON path (docs/lottery-spec.md §9), so the API and CLI show exactly what diverged.
 */
export function fromLotteryError(e: unknown, rule = 'V2'): SuijiError {
  if (e instanceof SuijiError) return e;
  if (!(e instanceof LotteryError)) throw e;
  const details = { field: e.path, lotteryCode: e.code, ...(e.expected !== undefined && { expected: e.expected }), ...(e.actual !== undefined && { actual: e.actual }) };
  if (inputCodes.has(e.code)) {
    return new SuijiError('VALIDATION_FAILED', { ...details, rule }, { zh: `摇号输入不符合要求：${e.message}`, en: `Invalid lottery input: ${e.message}` });
  }
  return ruleViolation(rule, `摇号校验未通过（${e.code}）：${e.message}`, `lottery check failed (${e.code}): ${e.message}`, details);
}

/** Runs a lottery-core function, turning its LotteryError into a SuijiError value. */
export function tryLottery<T>(f: () => T, rule = 'V2'): T | SuijiError {
  try {
    return f();
  } catch (e) {
    return fromLotteryError(e, rule);
  }
}
