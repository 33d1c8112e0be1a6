/** `suiji export public DIR` (issue 11): the public site and its data as static files (docs/public.md "The public export"). */
import { existsSync, readdirSync } from 'node:fs';
import { buildApp } from '../../api/app.js';
import { exportPublic, type PublicExportHook } from '../../api/site/export.js';
import { readVerifierKey } from '../../app/proofs/index.js';
import { SuijiError } from '../../domain/errors.js';
import type { CliContext } from '../context.js';
import { dataDirOf } from '../options.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { calendarYearsOf, writeStatsExport } from '../../app/stats/index.js';
import { shanghaiDate } from '../../domain/calendar/index.js';

/** What the statistics module writes under `DIR/` (src/app/stats/export.ts). */
export const STATS_EXPORT_FILES = ['stats/events.jsonl', 'stats/stats.json'] as const;

/**
 * The assessment statistics' inputs and figures, `DIR/stats/…` (A1–A4, P3), so
 * `suiji stats --from-export DIR` recomputes every figure from the export alone. Written once,
 * by the statistics module (streamed: events.jsonl grows with the ledger), then hashed into the
 * export's manifest where they lie — not read back into memory and written a second time.
 */
export const exportPublicStatistics =
  (rt: Pick<Runtime, 'store' | 'dataDir'>): PublicExportHook =>
  async (ctx) => {
    await writeStatsExport({ store: rt.store, calendarYears: calendarYearsOf(rt.dataDir), asOf: shanghaiDate(Date.now()) }, ctx.dir);
    for (const f of STATS_EXPORT_FILES) await ctx.record(f);
  };

export async function exportPublicCommand(dir: string, opts: { data?: string }, ctx: CliContext): Promise<number> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new SuijiError('VALIDATION_FAILED', { field: 'DIR', value: dir }, { zh: `目录 ${dir} 非空：公开导出只写入空目录`, en: `${dir} is not empty: the public export writes into an empty directory only` });
  }
  const rt = await openRuntime(dataDirOf(opts));
  try {
    await rt.projections.catchUp();
    const logVerifierKey = readVerifierKey(rt.dataDir);
    // The same app the server runs, asked as an anonymous reader: only what the public may see.
    const app = await buildApp({ store: rt.store, projections: rt.projections, ledger: rt.ledger, logVerifierKey: () => logVerifierKey }, { publicRateLimit: false, results: { calendar: rt.calendar } });
    try {
      const s = await exportPublic(app, rt.projectionDb, dir, { hooks: [exportPublicStatistics(rt)], logVerifierKey });
      const cp = s.checkpoint ? `signed checkpoint ${s.checkpoint.size} ${s.checkpoint.root}` : 'no signed checkpoint (suiji keys init): records carry no proofs';
      ctx.out(`已导出公开内容 / exported the public site to ${dir}: ${s.pages} pages, ${s.files} files, ${s.draws} draws, ${s.notices} notices; ${cp}`);
      return 0;
    } finally {
      await app.close();
    }
  } finally {
    await rt.close();
  }
}
