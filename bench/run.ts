/**
 * `npm run bench`: every benchmark in one run, each against a baseline measured in the same
 * run (raw SQLite inserts, raw SHA-256, a bare fastify route, fs.writeFile). Results: bench/results/*.json.
 * Pick some with `BENCH_ONLY=append,lottery`.
 */
import { benchAppend } from './append.js';
import { benchCheckpoint } from './checkpoint.js';
import { benchCountyYear } from './county-year.js';
import { benchDraws } from './draws.js';
import { benchEvidence } from './evidence.js';
import { benchFeed } from './feed.js';
import { benchHttp } from './http.js';
import { benchImport } from './import.js';
import { benchLedgerVerify } from './ledger-verify.js';
import { benchLottery } from './lottery.js';
import { benchPoolQuery } from './pool-query.js';
import { benchProvince } from './province.js';
import { benchProjectionRebuild } from './projection-rebuild.js';
import { benchPublicPages } from './public-pages.js';
import { benchResponsiveness } from './responsiveness.js';
import { benchResultsYear } from './results-year.js';
import { benchSearch } from './search.js';
import { writeResult } from './util.js';

const benches: Record<string, () => Promise<object>> = {
  append: benchAppend,
  'ledger-verify': benchLedgerVerify,
  'projection-rebuild': benchProjectionRebuild,
  http: benchHttp,
  draws: benchDraws,
  import: benchImport,
  'pool-query': benchPoolQuery,
  search: benchSearch,
  lottery: benchLottery,
  responsiveness: benchResponsiveness,
  'county-year': benchCountyYear,
  evidence: benchEvidence,
  'results-year': benchResultsYear,
  'public-pages': benchPublicPages,
  checkpoint: benchCheckpoint,
  feed: benchFeed,
};

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
// The 15,000,000-target province path takes most of an hour: opt-in (BENCH_SCALE=province or BENCH_ONLY=province).
if (process.env.BENCH_SCALE === 'province' || only?.includes('province')) benches.province = benchProvince;
const summary: Record<string, object> = {};
for (const [name, run] of Object.entries(benches)) {
  if (only && !only.includes(name)) continue;
  process.stdout.write(`bench ${name} … `);
  const t0 = performance.now();
  summary[name] = await run();
  process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n${JSON.stringify(summary[name], null, 2)}\n`);
}
// A partial run (BENCH_ONLY) leaves the other results as they were and writes no summary.
if (!only) writeResult('summary', { results: summary });
