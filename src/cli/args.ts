import { SuijiError } from '../domain/errors.js';

export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
}

/** `--name value`, `--name=value`, bare `--name` (boolean). Everything else is positional. */
export function parseArgs(argv: readonly string[], booleanFlags: ReadonlySet<string> = new Set()): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (booleanFlags.has(a.slice(2)) || i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) flags.set(a.slice(2), true);
    else flags.set(a.slice(2), argv[++i]!);
  }
  return { positional, flags };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new SuijiError('VALIDATION_FAILED', { field: `--${name}` }, { zh: `参数 --${name} 需要一个值`, en: `--${name} needs a value` });
  return v;
}

export function intFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new SuijiError('VALIDATION_FAILED', { field: `--${name}`, value: v }, { zh: `参数 --${name} 必须是非负整数`, en: `--${name} must be a non-negative integer` });
  return Number(v);
}

/** The data directory: `--data DIR`, else `SUIJI_DATA`, else `./data`. */
export const dataDirOf = (args: ParsedArgs): string => stringFlag(args, 'data') ?? process.env.SUIJI_DATA ?? './data';
