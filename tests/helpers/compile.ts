/**
 * Compiles one TypeScript entry (and what it imports) to plain ESM in a temp dir, so a test
 * can run it in a separate `node` process (Node 20 cannot strip types; tsx is not installed).
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tempDir } from './temp-dir.js';

const repo = resolve(import.meta.dirname, '..', '..');

export function compileForNode(entry: string): { script: string; remove: () => void } {
  const out = tempDir('suiji-build-');
  const tsc = join(repo, 'node_modules', '.bin', 'tsc');
  const flags = ['--ignoreConfig', '--outDir', out.path, '--rootDir', repo, '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  execFileSync(tsc, [...flags, '--target', 'es2022', '--skipLibCheck', '--types', 'node', resolve(repo, entry)], { cwd: repo, stdio: 'pipe' });
  writeFileSync(join(out.path, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(repo, 'node_modules'), join(out.path, 'node_modules'), 'dir');
  const script = join(out.path, relative(repo, resolve(repo, entry)).replace(/\.ts$/, '.js'));
  return { script, remove: out.remove };
}
