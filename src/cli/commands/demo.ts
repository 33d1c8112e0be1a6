import { generateDemo, planDemoWrites } from '../demo/index.js';
import { SuijiError } from '../../domain/errors.js';
import type { Runtime } from '../runtime.js';
import { type ParsedArgs, dataDirOf, intFlag } from '../args.js';
import { openRuntime } from '../runtime.js';

const CHUNK = 2_000;
const MAX_DEMO_TARGETS = 500_000;

/** Seeds the demo county (沂源县) into an EMPTY ledger; refuses a ledger that has events. */
export async function seedDemo(rt: Runtime, options: { seed: number; targets: number }, log: (line: string) => void): Promise<void> {
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
}

/** `suiji demo seed [--data DIR] [--targets N] [--seed S]`. */
export async function demo(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  if (args.positional[1] !== 'seed') {
    out('用法 / usage: suiji demo seed [--data DIR] [--targets N] [--seed S]');
    return 2;
  }
  const targets = intFlag(args, 'targets', 60_000);
  // The demo is planned in memory (a command per target): past this it would exhaust memory, not seed.
  if (targets > MAX_DEMO_TARGETS)
    throw new SuijiError('VALIDATION_FAILED', { field: '--targets', value: targets }, { zh: `演示对象数不能超过 ${MAX_DEMO_TARGETS}`, en: `--targets must be at most ${MAX_DEMO_TARGETS}` });
  const seed = intFlag(args, 'seed', 370323);
  const rt = await openRuntime(dataDirOf(args));
  try {
    await seedDemo(rt, { seed, targets }, out);
    return 0;
  } finally {
    await rt.close();
  }
}
