import { defineConfig } from 'vitest/config';

/**
 * The suites that go through the shared fixtures (tests/api/registers/harness.ts,
 * tests/draws/harness.ts — the workflow suites build on them), which open their ledger where
 * tests/helpers/test-store.ts says: `npm test` runs them a second time on PostgreSQL.
 */
const onPostgres = [
  'tests/api/registers/**/*.test.ts',
  'tests/draws/**/*.test.ts',
  'tests/api/{plans,tasks,visits,forms,inspections,nonrandom-inspections,results,after-visit}/**/*.test.ts',
  'tests/api/{ledger-routes,token-routes,idempotency-servers,errors}.test.ts',
  // Checks that the fixtures above really opened PostgreSQL in this project.
  'tests/tooling/test-store.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The JSON report lets .ci/run print a plain "N passed, N failed" line (both projects); the
    // store reporter adds the same counts per project (= per store).
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }], './tests/helpers/store-reporter.ts'],
    projects: [
      // Every test, on the default store (SQLite) — or on EventStoreDB when ESDB_URL is set.
      { extends: true, test: { name: 'sqlite', include: ['tests/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: onPostgres,
          exclude: [
            // Pure deciders: no store, nothing to run twice.
            'tests/draws/{decider,determined}.test.ts',
            // Deletes a row through the SQLite file by construction; its PostgreSQL counterpart
            // is in tests/store/postgres-adapter.test.ts.
            'tests/api/ledger-gap.test.ts',
          ],
          env: { SUIJI_TEST_STORE: 'postgres' },
          // After the SQLite project, with two workers where vitest's default is one on two cores:
          // these files mostly wait on round trips to the server, which a second worker overlaps.
          sequence: { groupOrder: 1 },
          maxWorkers: 2,
          // One server for the project (fsync off; see the file), not one per test file.
          globalSetup: ['tests/helpers/postgres-global.ts'],
        },
      },
    ],
  },
});
