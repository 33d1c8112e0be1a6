/**
 * L2 (八): a general item's sampling ratio is capped by configuration (A4); a task above the
 * cap is refused at commit. Key items have no cap and may instead fix a random batch order
 * over all targets. Compared in exact integer arithmetic: ratios are fractions, never floats.
 */
import { quotaCount, type ClassSpec } from '../../verify/index.js';
import { ruleViolation, type SuijiError } from '../errors.js';
import type { DrawLimits } from './events.js';

/** An exact non-negative fraction (BigInt: sums over up to 50 classes of 32-bit terms exceed 2^53). */
interface Fraction {
  readonly n: bigint;
  readonly d: bigint;
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
function frac(n: bigint, d: bigint): Fraction {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const add = (x: Fraction, y: Fraction): Fraction => frac(x.n * y.d + y.n * x.d, x.d * y.d);
const above = (x: Fraction, y: Fraction): boolean => x.n * y.d > y.n * x.d;
const plain = (v: bigint): number | string => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());

/**
 * A ratio as a percentage for people ("5%", "33.33%"), never "500/10000" (issue 8 §3); two
 * decimals, truncated, with "≈" when not exact. The exact fraction goes in the error's details.
 */
export function percent(numerator: number | bigint, denominator: number | bigint): string {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d === 0n) return '—';
  const hundredths = (n * 10000n) / d;
  const exact = (n * 10000n) % d === 0n;
  const whole = hundredths / 100n;
  const rest = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${exact ? '' : '≈'}${whole}${rest ? `.${rest}` : ''}%`;
}

/** The drawn-over-pool fraction a set of classes asks for: a ratio quota as declared (before spec §3.3's ceil), a count as is. */
function declared(classes: readonly ClassSpec[]): { drawn: Fraction; pool: bigint } {
  let drawn = frac(0n, 1n);
  let pool = 0n;
  for (const c of classes) {
    pool += BigInt(c.pool.size);
    const q = c.quota;
    if (!q) continue;
    drawn = add(drawn, 'count' in q ? frac(BigInt(q.count), 1n) : frac(BigInt(q.ratio.numerator) * BigInt(c.pool.size), BigInt(q.ratio.denominator)));
  }
  return { drawn, pool };
}

function noCap(limits: NonNullable<DrawLimits>): SuijiError {
  return ruleViolation('L2', `一般检查事项 ${limits.item} 缺少抽查比例上限配置`, `general item ${limits.item} has no configured maximum ratio`, { field: '/limits/maxRatio' });
}

/**
 * L2 with PL4 (issue 8 §3): the general item's cap bounds the TASK's overall ratio — all
 * classes' drawn over all classes' pool — so a high-risk class may be sampled above the cap
 * (PL4: risk raises a class's ratio) as long as the low-risk classes keep the whole within it.
 * `extra`: picks a follow-up adds (extensions) on top of what the classes declared.
 */
export function checkOverallRatio(classes: readonly ClassSpec[], limits: NonNullable<DrawLimits>, extra = 0, field = '/classes'): SuijiError | null {
  if (limits.category === 'key') return null;
  const cap = limits.maxRatio;
  if (!cap) return noCap(limits);
  const { drawn: asked, pool } = declared(classes);
  const drawn = add(asked, frac(BigInt(extra), 1n));
  const ratio = frac(drawn.n, drawn.d * (pool === 0n ? 1n : pool));
  if (!above(ratio, frac(BigInt(cap.numerator), BigInt(cap.denominator)))) return null;
  const shown = percent(ratio.n, ratio.d);
  const capShown = percent(cap.numerator, cap.denominator);
  return ruleViolation(
    'L2',
    `一般检查事项 ${limits.item} 的总体抽查比例 ${shown}（各类别抽取数之和 ÷ 各类别对象池之和）超过上限 ${capShown}`,
    `general item ${limits.item}: the overall ratio ${shown} (all classes' drawn over all classes' pool) exceeds the cap ${capShown}`,
    {
      field,
      reason: 'OVERALL_RATIO_ABOVE_CAP',
      ratio: { numerator: plain(ratio.n), denominator: plain(ratio.d) },
      maxRatio: cap,
      drawn: { numerator: plain(drawn.n), denominator: plain(drawn.d) },
      poolSize: plain(pool),
    },
  );
}

export function checkRatioCap(purpose: 'targets' | 'batchOrder', classes: readonly ClassSpec[], limits: NonNullable<DrawLimits>): SuijiError | null {
  if (limits.category === 'key') return null;
  if (purpose === 'batchOrder') {
    return ruleViolation('L2', `一般检查事项 ${limits.item} 不能使用批次顺序（仅重点检查事项可用）`, `general item ${limits.item} cannot use a batch order (key items only)`, {
      field: '/purpose',
    });
  }
  // One class: its quota is the offending field; several: the classes together are.
  return checkOverallRatio(classes, limits, 0, classes.length === 1 ? '/classes/0/quota' : '/classes');
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
