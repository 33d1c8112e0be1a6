/**
 * L2 (八): a general item's sampling ratio is capped by configuration (A4); a task above the
 * cap is refused at commit. Key items have no cap and may instead fix a random batch order
 * over all targets. Compared in exact integer arithmetic: ratios are fractions, never floats.
 */
import { quotaCount, type ClassSpec } from '../../verify/index.js';
import { ruleViolation, type SuijiError } from '../errors.js';
import type { DrawLimits } from './events.js';

/** a/b > c/d for non-negative integers, without rounding (BigInt: products may exceed 2^53). */
const above = (a: number, b: number, c: number, d: number): boolean => BigInt(a) * BigInt(d) > BigInt(c) * BigInt(b);

export function checkRatioCap(purpose: 'targets' | 'batchOrder', classes: readonly ClassSpec[], limits: NonNullable<DrawLimits>): SuijiError | null {
  if (limits.category === 'key') return null;
  if (purpose === 'batchOrder') {
    return ruleViolation('L2', `一般检查事项 ${limits.item} 不能使用批次顺序（仅重点检查事项可用）`, `general item ${limits.item} cannot use a batch order (key items only)`, {
      field: '/purpose',
    });
  }
  const cap = limits.maxRatio;
  if (!cap) {
    return ruleViolation('L2', `一般检查事项 ${limits.item} 缺少抽查比例上限配置`, `general item ${limits.item} has no configured maximum ratio`, { field: '/limits/maxRatio' });
  }
  for (const [i, c] of classes.entries()) {
    const q = c.quota;
    if (!q) continue;
    const [num, den] = 'count' in q ? [q.count, Math.max(c.pool.size, 1)] : [q.ratio.numerator, q.ratio.denominator];
    if (above(num, den, cap.numerator, cap.denominator)) {
      return ruleViolation(
        'L2',
        `类别 ${c.name} 的抽查比例 ${num}/${den} 超过一般检查事项上限 ${cap.numerator}/${cap.denominator}`,
        `class ${c.name}: ratio ${num}/${den} exceeds the general item cap ${cap.numerator}/${cap.denominator}`,
        { field: `/classes/${i}/quota`, ratio: { numerator: num, denominator: den }, maxRatio: cap },
      );
    }
  }
  return null;
}

/** A4: below this many members a general item's class is not a random pool (configurable; docs/draws.md "Pools too small to be random"). */
export const DEFAULT_MIN_RANDOM_POOL = 5;

/** What the service knows of each class's pool that the commitment does not say. */
export interface PoolPolicy {
  /** A4: the smallest pool a general item may sample at random, unless the pool is the whole register. */
  readonly minPoolSize: number;
  /** Per class: the pool is the whole (active) register, not a filtered part of it. */
  readonly wholeRegister: readonly boolean[];
}

/**
 * G2/A4 (issue 7 §5): a ratio rounded up over a class filtered down to a handful of entities —
 * or a count equal to the pool — selects them with certainty or near it: a targeted inspection
 * dressed as a random one. For general items such a class is refused unless its pool is the
 * whole register; the work is recorded as a non-random inspection instead (G2).
 */
export function checkRandomPools(classes: readonly ClassSpec[], limits: NonNullable<DrawLimits>, policy: PoolPolicy): SuijiError | null {
  if (limits.category !== 'general') return null;
  for (const [i, c] of classes.entries()) {
    if (!c.quota || policy.wholeRegister[i] === true) continue;
    const size = c.pool.size;
    const k = quotaCount(c.quota, size);
    if (k === 0) continue;
    const details = { field: `/classes/${i}/quota`, rules: ['G2', 'A4'], class: c.name, poolSize: size, quota: k, minPoolSize: policy.minPoolSize };
    if (k >= size) {
      return ruleViolation(
        'G2',
        `类别 ${c.name} 的抽取数 ${k} 占满其对象池（${size} 个）：这是定向检查而非随机抽查，请按非随机检查记录`,
        `class ${c.name}: a quota of ${k} takes its whole pool of ${size}; that is a targeted, not a random, inspection: record it as a non-random inspection`,
        { ...details, reason: 'WHOLE_POOL_QUOTA' },
      );
    }
    if (size < policy.minPoolSize) {
      return ruleViolation(
        'G2',
        `类别 ${c.name} 的对象池仅 ${size} 个，少于随机抽查的最小对象池 ${policy.minPoolSize} 个（A4 配置）：请按非随机检查记录`,
        `class ${c.name}: its pool of ${size} is below the minimum random pool of ${policy.minPoolSize} (A4 configuration): record it as a non-random inspection`,
        { ...details, reason: 'POOL_TOO_SMALL' },
      );
    }
  }
  return null;
}
