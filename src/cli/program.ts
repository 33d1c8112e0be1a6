import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { CliContext, ExitBox } from './context.js';
import { usageError } from './usage-error.js';
import { storeOption } from './options.js';
import { registrationsFor } from './command-modules.js';

const description = `suiji 随机 — 双随机、一公开 可验证的随机抽查 / verifiable random inspection

退出码 / exit codes: 0 成功 ok; 1 校验未通过或意外错误 verification failed or unexpected; 2 编码错误或用法错误 coded or usage error
数据目录 / data directory: --data DIR, else $SUIJI_DATA, else ./data
账本在 PostgreSQL / ledger in PostgreSQL: --store postgres://…, else $SUIJI_STORE
写操作 / writes act as a registered user: --user ID, else $SUIJI_USER`;

/** The version in package.json: two levels up from src/cli, three from dist/src/cli. */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'suiji' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not here; try the next level.
    }
  }
  return 'unknown';
}

/** The real process's context; tests build their own. */
export const processContext = (): CliContext => ({
  out: (line) => void process.stdout.write(`${line}\n`),
  write: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  // The runtime opens the stores, the projections…: loaded by the commands that open a ledger only.
  openDraw: async (dataDir) => (await import('./runtime.js')).openRuntime(dataDir),
});

/**
 * Every command and subcommand is its own commander Command (issue 8 §4): `--help` at any level
 * prints that level's help and runs nothing; an unknown option or command is a usage error.
 * Commander must not end the process itself (exitOverride): main.ts exits only once stdout has
 * drained. Only the modules of the command argv names are loaded (command-modules.ts); without
 * argv, every command.
 */
export async function buildProgram(ctx: CliContext, box: ExitBox, argv?: readonly string[]): Promise<Command> {
  const registrations = await registrationsFor(argv);
  const program = new Command('suiji')
    .description(description)
    .exitOverride()
    // The program's own options (-V/--version, -h) only before a command, so a command may have its
    // own `--version N` (suiji form show ITEM --version 2) without printing the program's version.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: ctx.write,
      writeErr: ctx.err,
      // Usage errors are reported by runProgram as one coded line; commander's own line is dropped.
      outputError: () => undefined,
    })
    .helpOption('-h, --help', '显示帮助，不执行任何操作 / show help and do nothing')
    .helpCommand('help [command]', '显示命令帮助 / show help for a command')
    .version(packageVersion(), '-V, --version', '显示版本 / show the version');
  for (const register of registrations) register(program, ctx, box);
  addStoreOptions(program);
  // `--store URL` stands in for SUIJI_STORE during this one command, so every command's
  // openRuntime (which reads SUIJI_STORE) follows it without each command passing it on;
  // runProgram restores the variable afterwards.
  program.hook('preAction', (_program, action) => {
    const store: unknown = action.opts().store;
    if (typeof store === 'string') process.env.SUIJI_STORE = store;
  });
  return program;
}

/** Every command that takes `--data` (it opens the data directory's ledger) also takes `--store URL`. */
function addStoreOptions(command: Command): void {
  for (const sub of command.commands) {
    const has = (flag: string): boolean => sub.options.some((o) => o.long === flag);
    if (has('--data') && !has('--store')) sub.addOption(storeOption());
    addStoreOptions(sub);
  }
}

/**
 * Parses argv and runs the command; resolves with the exit code. Coded errors (SuijiError)
 * propagate to the caller, which prints them (main.ts) or asserts them (tests).
 */
export async function runProgram(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const box: ExitBox = { code: 0 };
  const program = await buildProgram(ctx, box, argv);
  if (argv.length === 0) {
    ctx.write(program.helpInformation());
    return 0;
  }
  const envStore = process.env.SUIJI_STORE;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return box.code;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // --help, `help CMD`, --version: printed, nothing run.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    // A command group without its subcommand (`suiji draw`): its help went to stderr; a usage error.
    if (e.code === 'commander.help') return 2;
    throw usageError(e, program, argv);
  } finally {
    if (envStore === undefined) delete process.env.SUIJI_STORE;
    else process.env.SUIJI_STORE = envStore;
  }
}
