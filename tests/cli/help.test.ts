/**
 * Issue 8 §4: every command and subcommand answers --help with its own help and does nothing;
 * unknown options and commands are one-line usage errors (exit 2). The list of commands is
 * walked from the program itself, so a command added later is covered too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from './run-cli.js';
import { SeededLedgers, ledgerHead } from './seeded.js';

const ledgers = new SeededLedgers();
afterAll(() => ledgers.remove());

const noop = (): void => undefined;
const program = await buildProgram({ out: noop, write: noop, err: noop, openDraw: () => Promise.reject(new Error('not opened')) }, { code: 0 });

function paths(c: Command, prefix: string[] = []): string[][] {
  return c.commands.filter((s) => s.name() !== 'help').flatMap((s) => [[...prefix, s.name()], ...paths(s, [...prefix, s.name()])]);
}
const all = paths(program);

describe('issue 8 §4: --help on every level', () => {
  it('walks every command (sanity: the known ones are there)', () => {
    const names = all.map((p) => p.join(' '));
    for (const n of ['serve', 'demo seed', 'draw export', 'draw verify', 'draw commit-targets', 'token revoke', 'order approve', 'plan return', 'task dispatch', 'inspection list', 'visit match', 'visit apply', 'visit assign', 'visit replace', 'visit approve', 'visit form', 'visit form-choose', 'form show', 'form publish', 'ledger verify', 'archive export', 'archive verify', 'import', 'export'])
      expect(names).toContain(n);
  });

  // One test per command path (each with its own time), so a slow, loaded machine times out on no
  // single walk over ~150 processes; the last test checks nothing was created or changed meanwhile.
  const missing = join(ledgers.dir(), 'never-created');
  let existing = '';
  let before: Awaited<ReturnType<typeof ledgerHead>> | undefined;
  let files: string[] = [];
  // Every level on a directory that any run would create; the writes also on a real ledger.
  const writes = new Set(['demo seed', 'import', 'token create', 'token revoke', 'draw commit-targets', 'draw complete', 'order record', 'projections rebuild', 'plan draft', 'plan file', 'task create', 'task lock', 'inspection record', 'visit match', 'visit approve', 'form publish', 'visit form-choose', 'keys init', 'witness init']);

  it('issue 8 §4 regression: a real ledger to run the writes\' --help on', async () => {
    existing = ledgers.copy();
    before = await ledgerHead(existing);
    files = readdirSync(existing).sort();
    expect(before.size).toBeGreaterThan(0);
  }, 120_000);

  it.each(all.map((p) => [p.join(' '), p] as const))('issue 8 §4 regression (`suiji demo seed --help` seeded a ledger; `suiji draw --help` printed the top-level help): `%s --help` prints its own usage, exit 0, creates or changes no ledger', (name, path) => {
    for (const data of writes.has(name) ? [missing, existing] : [missing]) {
      const r = runCli([...path, '--help', '--data', data], { SUIJI_USER: 'yy-admin' });
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, name).toContain(`Usage: suiji ${name} `);
      expect(r.stderr, name).toBe('');
    }
    expect(existsSync(missing), name).toBe(false);
  }, 60_000);

  it('issue 8 §4 regression: -h and help CMD are the same help; after every --help the ledger and its directory are unchanged', async () => {
    expect(runCli(['draw', 'reveal', '-h']).stdout).toBe(runCli(['draw', 'reveal', '--help']).stdout);
    expect(runCli(['help', 'draw']).stdout).toBe(runCli(['draw', '--help']).stdout);
    expect(existsSync(missing)).toBe(false);
    expect(await ledgerHead(existing)).toEqual(before);
    expect(readdirSync(existing).sort()).toEqual(files);
  }, 120_000);

  it('the top level: no arguments or --help print the command list, exit 0; --version prints the version', () => {
    const bare = runCli([]);
    expect(bare.status).toBe(0);
    expect(bare.stdout).toContain('Usage: suiji');
    expect(bare.stdout).toContain('order');
    expect(runCli(['--help']).stdout).toBe(bare.stdout);
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a command group without its subcommand prints its own help to stderr, exit 2', () => {
    const r = runCli(['draw']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage: suiji draw ');
    expect(r.stdout).toBe('');
  });

  const usage: [string, string[], string, string][] = [
    ['an unknown option', ['demo', 'seed', '--bogus'], '--bogus', 'suiji demo seed --help'],
    ['an unknown command', ['frobnicate'], 'command', 'suiji --help'],
    ['an unknown subcommand', ['draw', 'frobnicate'], 'command', 'suiji draw --help'],
    ['a missing argument', ['draw', 'complete'], 'ID', 'suiji draw complete --help'],
    ['a missing required option', ['token', 'revoke', 'abcdefghijklmnop'], '--reason', 'suiji token revoke --help'],
    ['an option without its value', ['ledger', 'verify', '--data', 'DATA', '--checkpoint'], '--checkpoint', 'suiji ledger verify --help'],
    ['too many arguments', ['draw', 'show', 'a', 'b'], 'arguments', 'suiji draw show --help'],
    ['conflicting options', ['draw', 'reveal', 'X', '--witness', 'w', '--secret', 's', '--secret-file', 'f'], '--secret-file', 'suiji draw reveal --help'],
  ];
  for (const [what, args, field, help] of usage) {
    it(`${what} is a one-line coded usage error naming ${field}, exit 2, nothing opened`, () => {
      const data = join(ledgers.dir(), 'never-created');
      const r = runCli(args.includes('DATA') ? args.map((a) => (a === 'DATA' ? data : a)) : [...args, '--data', data]);
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^错误 \/ error VALIDATION_FAILED: 命令行用法错误：.+ \/ usage error: /);
      expect(lines[0]).toContain(`"field":"${field}"`);
      expect(lines[0]).toContain(help);
      expect(r.stdout).toBe('');
      expect(existsSync(data)).toBe(false);
    });
  }

  it('a bad number is a coded error naming the option, before anything is opened', () => {
    const data = join(ledgers.dir(), 'never-created');
    for (const [args, field] of [[['serve', '--port', '80a'], '--port'], [['demo', 'seed', '--targets', '-1'], '--targets'], [['draw', 'list', '--limit', '1.5'], '--limit']] as const) {
      const r = runCli([...args, '--data', data]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`"field":"${field}"`);
      expect(existsSync(data)).toBe(false);
    }
  });
});
