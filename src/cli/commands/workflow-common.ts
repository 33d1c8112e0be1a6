/** What the plan, task and inspection commands share: one runtime per command, HTTP's access check, values as HTTP types them. */
import type { CommandMetadata } from '../../domain/decider.js';
import { authorize, type AccessAction } from '../../domain/access.js';
import { SuijiError } from '../../domain/errors.js';
import { compileValidator } from '../../domain/registers/index.js';
import { actingUserId, userMetadata, userRequired } from '../cli-actor.js';
import type { CliContext, DrawRuntime } from '../context.js';
import { dataDirOf } from '../options.js';

export interface Opened {
  readonly data?: string;
  readonly user?: string;
}

/** Opens the ledger, runs, closes. A write without `--user` is refused before anything is opened. */
export async function withRuntime(ctx: CliContext, opts: Opened, write: boolean, run: (rt: DrawRuntime) => Promise<number>): Promise<number> {
  if (write && actingUserId(opts.user) === undefined) throw userRequired();
  const rt = await ctx.openDraw(dataDirOf(opts));
  try {
    return await run(rt);
  } finally {
    await rt.close();
  }
}

/**
 * The registered `--user` and the same role check the HTTP route makes before it runs
 * (requireAction: the action for the user's own department); the decider then checks the
 * resource's department, as over HTTP.
 */
export async function actingAs(rt: DrawRuntime, opts: Opened, action: AccessAction): Promise<CommandMetadata> {
  const meta = await userMetadata(rt.store, opts.user);
  const denied = authorize(meta.actor, action, { department: meta.actor.department });
  if (denied) throw denied;
  return meta;
}

/**
 * Positional arguments and options checked against the schema the HTTP route gives its path,
 * query or body, so the console accepts exactly what HTTP accepts; a bad value is a coded error
 * naming the field, thrown before the ledger is opened.
 */
export function checked<T>(schema: object, value: Record<string, unknown>, what: string): T {
  const parsed = compileValidator<T>(schema, what)(value);
  if (parsed instanceof SuijiError) throw parsed;
  return parsed;
}

export const printer =
  (ctx: CliContext) =>
  (v: unknown): void =>
    ctx.out(JSON.stringify(v, null, 2));
