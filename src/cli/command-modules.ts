import type { Command } from 'commander';
import type { CliContext, ExitBox } from './context.js';

/** A command module's registration: adds its commands (and their actions) to the program. */
export type Register = (program: Command, ctx: CliContext, box: ExitBox) => void;

interface CommandModule {
  /** The top-level commands the module adds or extends (`visit` is shared by four modules). */
  readonly names: readonly string[];
  readonly load: () => Promise<Register>;
}

/**
 * Every command module, in the order the program registers them (the order `--help` lists
 * commands and subcommands in). Loaded only when needed (issue 13): the modules import
 * fastify, exceljs, echarts, ajv, the stores…, and loading all of them took 5–7 s of wall time
 * at load 9 before `suiji draw verify --offline` read its file.
 */
export const commandModules: readonly CommandModule[] = [
  { names: ['serve'], load: async () => (await import('./commands/serve.js')).registerServe },
  { names: ['ledger'], load: async () => (await import('./commands/ledger.js')).registerLedger },
  { names: ['keys'], load: async () => (await import('./commands/keys.js')).registerKeys },
  { names: ['projections'], load: async () => (await import('./commands/projections.js')).registerProjections },
  { names: ['token'], load: async () => (await import('./commands/token.js')).registerToken },
  { names: ['import'], load: async () => (await import('./commands/registers-io.js')).registerImport },
  { names: ['export'], load: async () => (await import('./commands/registers-io.js')).registerExport },
  { names: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { names: ['draw'], load: async () => (await import('./commands/draw.js')).registerDraw },
  { names: ['order'], load: async () => (await import('./commands/order.js')).registerOrder },
  { names: ['plan'], load: async () => (await import('./commands/plan.js')).registerPlan },
  { names: ['task'], load: async () => (await import('./commands/task.js')).registerTask },
  { names: ['inspection'], load: async () => (await import('./commands/inspection.js')).registerInspection },
  { names: ['visit'], load: async () => (await import('./commands/visit-read.js')).registerVisitRead },
  { names: ['visit'], load: async () => (await import('./commands/visit.js')).registerVisit },
  { names: ['inspect'], load: async () => (await import('./commands/inspect.js')).registerInspect },
  { names: ['result'], load: async () => (await import('./commands/result.js')).registerResult },
  { names: ['visit', 'followup', 'report'], load: async () => (await import('./commands/after-visit.js')).registerAfterVisit },
  { names: ['evidence'], load: async () => (await import('./commands/evidence.js')).registerEvidence },
  { names: ['archive'], load: async () => (await import('./commands/archive.js')).registerArchive },
  { names: ['form', 'visit'], load: async () => (await import('./commands/form.js')).registerForm },
  { names: ['witness'], load: async () => (await import('./commands/witness.js')).registerWitness },
  { names: ['stats'], load: async () => (await import('./commands/stats.js')).registerStats },
];

/**
 * The registrations argv needs: when its first word names a command, only the modules that add
 * to that command (its subtree is then the same as in the whole program); otherwise — no
 * command, `help`, `--help`, `--version`, an unknown word — every module, so the program's help
 * and its unknown-command errors list everything as before.
 */
export async function registrationsFor(argv: readonly string[] | undefined): Promise<Register[]> {
  const first = argv?.[0];
  const named = first === undefined ? [] : commandModules.filter((m) => m.names.includes(first));
  return Promise.all((named.length > 0 ? named : commandModules).map((m) => m.load()));
}
