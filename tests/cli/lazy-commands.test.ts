/**
 * Issue 13 (CLI start-up): a command loads only the modules that add to it. The subtree a
 * command's own modules build must be the one the whole program has — same subcommands, same
 * help, same options — and `draw verify --offline` must not load the server, the spreadsheet,
 * chart or SQLite libraries.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { commandModules } from '../../src/cli/command-modules.js';
import { cliPath } from './run-cli.js';

const noop = (): void => undefined;
const ctx = { out: noop, write: noop, err: noop, openDraw: () => Promise.reject(new Error('not opened')) };

/** Every command path below `c` with its help text. */
function helps(c: Command, prefix: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of c.commands) {
    const path = [...prefix, s.name()];
    out.set(path.join(' '), s.helpInformation());
    for (const [k, v] of helps(s, path)) out.set(k, v);
  }
  return out;
}

describe('issue 13: commands are loaded lazily', () => {
  it('every top-level command builds the same subtree from its own modules as from the whole program', async () => {
    const whole = await buildProgram(ctx, { code: 0 });
    const names = whole.commands.map((c) => c.name()).filter((n) => n !== 'help');
    // The table names every command the program has, and nothing else.
    expect(new Set(commandModules.flatMap((m) => m.names))).toEqual(new Set(names));
    for (const name of names) {
      const partial = await buildProgram(ctx, { code: 0 }, [name, '--help']);
      const full = whole.commands.find((c) => c.name() === name)!;
      const own = partial.commands.find((c) => c.name() === name)!;
      expect(own.helpInformation(), name).toBe(full.helpInformation());
      expect(helps(own), name).toEqual(helps(full));
    }
  });

  it('without a command word (help, --version, an unknown word) every command is registered', async () => {
    const whole = (await buildProgram(ctx, { code: 0 })).commands.map((c) => c.name());
    for (const argv of [[], ['--help'], ['help', 'draw'], ['-V'], ['no-such-command']])
      expect((await buildProgram(ctx, { code: 0 }, argv)).commands.map((c) => c.name())).toEqual(whole);
  });

  it('draw verify --offline loads no server, spreadsheet, chart, SQLite or schema-validator package', () => {
    if (!existsSync(cliPath)) throw new Error(`${cliPath} missing: run \`npm run build\` (npm test does)`);
    const program = join(cliPath, '..', 'program.js');
    // The packages are CommonJS: whatever was loaded is in require's cache.
    const script = `
      import { createRequire } from 'node:module';
      const { runProgram } = await import(${JSON.stringify(program)});
      await runProgram(['draw', 'verify', '--offline', 'no-such-file.json'], { out() {}, write() {}, err() {}, openDraw: () => Promise.reject(new Error('opened')) }).catch(() => undefined);
      process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: join(cliPath, '..'), timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const loaded = JSON.parse(r.stdout) as string[];
    for (const pkg of ['fastify', 'exceljs', 'echarts', 'better-sqlite3', 'pg', 'ajv'])
      expect(loaded.filter((p) => p.includes(`/node_modules/${pkg}/`)), pkg).toEqual([]);
    // Sanity: the check sees packages at all (commander is CommonJS and always loaded).
    expect(loaded.some((p) => p.includes('/node_modules/commander/'))).toBe(true);
  });
});
