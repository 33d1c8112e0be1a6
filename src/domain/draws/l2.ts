/**
 * L2 (八): a general item's sampling ratio is capped by configuration (A4); a task above the
 * cap is refused at commit. Key items have no cap and may instead fix a random batch order
 * over all targets. Compared in exact integer arithmetic: ratios are fractions, never floats.
 */
import type { ClassSpec } from '../../verify/index.js';
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
