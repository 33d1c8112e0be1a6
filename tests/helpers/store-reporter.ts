/**
 * A vitest reporter that writes `.vitest-stores.json`: passed, failed and skipped tests per
 * project — `sqlite` (every test) and `postgres` (the API suites again on PostgreSQL) — so
 * .ci/run's closing line says on which store a failure happened. vitest's own JSON report
 * counts both projects together and does not name the project.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export type StoreCounts = Record<string, { passed: number; failed: number; skipped: number }>;

export default class StoreReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts: StoreCounts = {};
    for (const m of modules) {
      const c = (counts[m.project.name || 'default'] ??= { passed: 0, failed: 0, skipped: 0 });
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') c.passed++;
        else if (state === 'failed') c.failed++;
        else c.skipped++;
      }
      // A file that failed to load has no tests but must still count as a failure.
      if (m.state() === 'failed' && ![...m.children.allTests('failed')].length) c.failed++;
    }
    writeFileSync('.vitest-stores.json', `${JSON.stringify(counts, null, 2)}\n`);
  }
}
