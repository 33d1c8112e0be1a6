import { ensureLogKey } from '../../app/ledger/index.js';
import { generateDemo, planDemoWrites, seedDemoYear, type YearSummary } from '../demo/index.js';
import { SuijiError } from '../../domain/errors.js';
import type { Command } from 'commander';
import { act, type CliContext, type ExitBox } from '../context.js';
import { dataDirOf, dataOption, nonNegativeInt } from '../options.js';
import { openRuntime, type Runtime } from '../runtime.js';

const CHUNK = 2_000;
const MAX_DEMO_TARGETS = 500_000;

export interface SeedDemoOptions {
  readonly seed: number;
  readonly targets: number;
  /** The demo year (plans, tasks, draws, dispatch, a complaint inspection) after the registers; default true. */
  readonly year?: boolean;
}

/**
 * Seeds the demo county (沂源县) into an EMPTY ledger; refuses a ledger that has events. Then,
 * unless `year: false` or the county has no targets to draw from, the demo year 2026
 * (src/cli/demo/year) through the application services the HTTP routes use. Returns what
 * the year holds (null when it was not seeded).
 */
export async function seedDemo(rt: Pick<Runtime, 'store' | 'projections' | 'calendar' | 'evidence'>, options: SeedDemoOptions, log: (line: string) => void): Promise<YearSummary | null> {
  if ((await rt.store.head()).size > 0)
    throw new SuijiError('RULE_VIOLATION', { field: 'data' }, { zh: '演示数据只能写入空账本', en: 'demo data is only seeded into an empty ledger' });
  const started = performance.now();
  const demo = generateDemo({ seed: options.seed, targets: options.targets });
  const writes = planDemoWrites(demo.commands);
  for (let i = 0; i < writes.length; i += CHUNK) await rt.store.appendMulti(writes.slice(i, i + CHUNK));
  await rt.projections.catchUp();
  const head = await rt.store.head();
  const c = demo.counts;
  log(
    `演示数据已写入 / demo seeded: ${c.departments} departments, ${c.users} users, ${c.targets} targets, ${c.inspectors} inspectors, ${c.experts} experts, ` +
      `${head.size} events in ${((performance.now() - started) / 1000).toFixed(1)} s, root ${head.root}`,
  );
  if (options.year === false || options.targets === 0) return null;
  const yearStarted = performance.now();
  const y = await seedDemoYear(rt, options.seed);
  const end = await rt.store.head();
  log(
    `演示年度已写入 / demo year 2026 seeded: ${y.plansFiled} plans filed (+${y.planAdjustments} adjustment), ${y.tasks.length} tasks ` +
      `(${y.dispatched} dispatched), ${y.draws} draws, ${y.visits} visits (${y.mergedVisits} merging ≥ 2 tasks, ${y.matchedVisits} matched by ${y.matchingDraws.length} matching draws), ${y.nonRandomInspections} non-random inspection, ` +
      `${end.size - head.size} events in ${Math.round(performance.now() - yearStarted)} ms, root ${end.root}`,
  );
  const ins = y.inspections;
  const seeded = Object.entries(ins.states).filter(([, v]) => v !== null).map(([k]) => k);
  log(
    `演示检查与结果 / demo inspections: ${seeded.length} visits in states ${seeded.join(', ')}; ${ins.formsPublished} check forms, ` +
      `${ins.inspectorUsers} inspector users, ${ins.evidenceFiles} evidence files; ` +
      `unreachable (E8): ${ins.unreachable ?? 'none'}; transferred (E8): ${ins.transferred ? `${ins.transferred.accepted} accepted by ${ins.transferred.toUnit}, ${ins.transferred.pending ?? 'none'} pending` : 'none'}; ` +
      `follow-ups (E9): ${ins.followUps ? `${ins.followUps.open} open, ${ins.followUps.closed} closed` : 'none'}`,
  );
  return y;
}

/**
 * `suiji demo seed`: one of the two writes that act as the system (issue 8 §2): the demo's
 * own users do not exist until it has run.
 */
export function registerDemo(program: Command, ctx: CliContext, box: ExitBox): void {
  program
    .command('demo')
    .description('演示数据 / demo data')
    .command('seed')
    .description('向空账本写入演示县（沂源县） / seed the demo county (沂源县) into an empty ledger')
    .addOption(dataOption())
    .option('--targets <n>', `检查对象数 / number of targets (at most ${MAX_DEMO_TARGETS})`, nonNegativeInt('--targets'), 60_000)
    .option('--seed <n>', '随机种子 / generator seed', nonNegativeInt('--seed'), 370323)
    .option('--no-year', '只写入登记簿，不写入演示年度（计划、任务、摇号） / registers only, without the demo year (plans, tasks, draws)')
    .action(act(box, (opts: { data?: string; targets: number; seed: number; year: boolean }) => seed(opts, ctx.out)));
}

async function seed(opts: { data?: string; targets: number; seed: number; year: boolean }, out: (line: string) => void): Promise<number> {
  // The demo is planned in memory (a command per target): past this it would exhaust memory, not seed.
  if (opts.targets > MAX_DEMO_TARGETS)
    throw new SuijiError('VALIDATION_FAILED', { field: '--targets', value: opts.targets }, { zh: `演示对象数不能超过 ${MAX_DEMO_TARGETS}`, en: `--targets must be at most ${MAX_DEMO_TARGETS}` });
  const rt = await openRuntime(dataDirOf(opts));
  try {
    await seedDemo(rt, { seed: opts.seed, targets: opts.targets, year: opts.year }, out);
    const vkey = ensureLogKey(rt.dataDir);
    if (vkey) out(`日志签名密钥 / log key created; verifier key: ${vkey}`);
    return 0;
  } finally {
    await rt.close();
  }
}
