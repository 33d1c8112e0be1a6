import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runCli } from './run-cli.js';

/**
 * Demo ledgers for CLI tests: `demo seed --no-year` runs once per template and each test gets a copy of
 * the closed data directory (db, checkpoint, read models), so tests start from identical state.
 */
export class SeededLedgers {
  private readonly dirs: { remove: () => void }[] = [];
  private readonly templates = new Map<number, string>();

  dir(): string {
    const d = tempDir('suiji-cli-');
    this.dirs.push(d);
    return d.path;
  }

  /** A fresh copy of the demo county with `targets` targets. */
  copy(targets = 0): string {
    let template = this.templates.get(targets);
    if (template === undefined) {
      template = join(this.dir(), 'template');
      // Registers only: these tests draft, file and draw their own 2026 plans and tasks.
      const r = runCli(['demo', 'seed', '--targets', String(targets), '--no-year', '--data', template]);
      if (r.status !== 0) throw new Error(`demo seed failed: ${r.stderr}`);
      this.templates.set(targets, template);
    }
    const to = join(this.dir(), 'data');
    cpSync(template, to, { recursive: true });
    return to;
  }

  remove(): void {
    this.dirs.splice(0).forEach((d) => d.remove());
  }
}

export async function ledgerHead(dataDir: string): Promise<{ size: number; root: string }> {
  const store = await openStore({ dataDir });
  try {
    const h = await store.head();
    return { size: h.size, root: h.root };
  } finally {
    await store.close();
  }
}
