import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
export const cliPath = join(root, 'dist', 'src', 'cli', 'main.js');

/** Runs the built CLI (`npm test` builds first) as a separate process, as an operator would. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} missing: run \`npm run build\` (npm test does)`);
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
