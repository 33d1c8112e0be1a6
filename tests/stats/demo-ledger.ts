import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * A realistic fixture: the demo county with its demo year (`suiji demo seed --targets 2000`) —
 * plans, tasks, draws, visits, results (late, exempt, corrected, objected), follow-ups and a
 * non-random inspection. Seeded once per test file; `copy()` gives each test its own directory.
 */
export class DemoLedger {
  private readonly root = tempDir('suiji-stats-');
  readonly template = join(this.root.path, 'template');
  private n = 0;

  constructor() {
    const r = runCli(['demo', 'seed', '--targets', '2000', '--data', this.template]);
    if (r.status !== 0) throw new Error(`demo seed failed: ${r.stderr}`);
  }

  copy(): string {
    const to = join(this.root.path, `copy-${++this.n}`);
    cpSync(this.template, to, { recursive: true });
    return to;
  }

  dir(name: string): string {
    return join(this.root.path, name);
  }

  remove(): void {
    this.root.remove();
  }
}

/** A day after the demo year's deadlines, so its figures are settled. */
export const AS_OF = '2026-12-20';
