/**
 * P3/V4 for statistics: the public export `DIR/stats/` — `events.jsonl` (one line per event the fold
 * reads: position, leaf hash, type, recordedAt, actor department and ONLY its STATS_FIELDS) and
 * `stats.json` (the inputs besides the events — day, periods, calendar — and the figures computed).
 * `recomputeFromExport(dir)` folds the lines again and must print the same figures (`suiji stats
 * --from-export DIR`); the leaf hashes let anyone check each line's event against a signed checkpoint.
 */
import { mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { packageCalendarYears, readHolidayFiles } from '../calendar/index.js';
import { SuijiError } from '../../domain/errors.js';
import { workingCalendar, type CalendarYear } from '../../domain/calendar/index.js';
import { defaultResultPeriods, type ResultPeriods } from '../../domain/results/index.js';
import { computeStats, foldStats, toStatsEvent, StatsPseudonyms, type StatsEntity, type StatsEvent, type StatsQuery, type StatsReport } from '../../domain/stats/index.js';
import type { EventStore } from '../../store/port.js';

export const STATS_EXPORT_FORMAT = 'suiji-stats/1';

export interface StatsExportManifest {
  readonly format: typeof STATS_EXPORT_FORMAT;
  /** The ledger prefix the export covers. */
  readonly ledger: { readonly size: number; readonly root: string };
  readonly asOf: string;
  readonly periods: ResultPeriods;
  readonly calendar: { readonly years: readonly CalendarYear[] };
  readonly events: number;
  /** One report per calendar year from the first event's to asOf's, every department. */
  readonly reports: readonly StatsReport[];
}

/** The calendar years a data directory counts with (package data, then its holiday files; as loadCalendar). */
export function calendarYearsOf(dataDir: string): CalendarYear[] {
  const byYear = new Map<number, CalendarYear>();
  for (const y of packageCalendarYears()) byYear.set(y.year, y);
  for (const y of readHolidayFiles(dataDir)) byYear.set(y.year, y);
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

const PAGE = 5_000;

export async function writeStatsExport(
  source: { readonly store: EventStore; readonly calendarYears: readonly CalendarYear[]; readonly asOf: string; readonly periods?: ResultPeriods },
  dir: string,
): Promise<StatsExportManifest> {
  const out = join(dir, 'stats');
  mkdirSync(out, { recursive: true });
  const head = await source.store.head();
  const lines = createWriteStream(join(out, 'events.jsonl'), { encoding: 'utf8' });
  const events: StatsEvent[] = [];
  const names = new StatsPseudonyms();
  for (let from = 0; from < head.size; ) {
    const page = await source.store.readAll({ from, limit: Math.min(PAGE, head.size - from) });
    if (page.length === 0) break;
    for (const e of page) {
      const reduced = toStatsEvent(e);
      if (!reduced) continue;
      const s = names.apply(reduced);
      events.push(s);
      if (!lines.write(`${JSON.stringify(s)}\n`)) await once(lines, 'drain');
    }
    from = page[page.length - 1]!.position + 1;
  }
  lines.end();
  await once(lines, 'finish');
  const periods = source.periods ?? defaultResultPeriods;
  const manifest: StatsExportManifest = {
    format: STATS_EXPORT_FORMAT, ledger: { size: head.size, root: head.root }, asOf: source.asOf, periods, calendar: { years: source.calendarYears }, events: events.length,
    reports: reportsOf(foldStats(events).values(), events, { asOf: source.asOf, periods, calendarYears: source.calendarYears }),
  };
  writeFileSync(join(out, 'stats.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function reportsOf(entities: Iterable<StatsEntity>, events: readonly StatsEvent[], inputs: { asOf: string; periods: ResultPeriods; calendarYears: readonly CalendarYear[] }): StatsReport[] {
  const all = [...entities];
  const calendar = workingCalendar({ years: inputs.calendarYears });
  const last = Number(inputs.asOf.slice(0, 4));
  const first = events.length === 0 ? last : Math.min(last, Number(events[0]!.recordedAt.slice(0, 4)));
  const reports: StatsReport[] = [];
  for (let year = first; year <= last; year++) reports.push(computeStats(all, { year }, { calendar, periods: inputs.periods, asOf: inputs.asOf }));
  return reports;
}

const badExport = (field: string, en: string, zh: string): SuijiError => new SuijiError('VALIDATION_FAILED', { field }, { zh: `统计导出无效：${zh}`, en: `Invalid statistics export: ${en}` });

/** Reads `DIR/stats/` and folds its event lines alone; `report(query)` computes with the manifest's day, periods and calendar. */
export function openStatsExport(dir: string): { manifest: StatsExportManifest; events: number; report(query: StatsQuery): StatsReport; reports(): StatsReport[] } {
  const base = join(dir, 'stats');
  let manifest: StatsExportManifest;
  let text: string;
  try {
    manifest = JSON.parse(readFileSync(join(base, 'stats.json'), 'utf8')) as StatsExportManifest;
    text = readFileSync(join(base, 'events.jsonl'), 'utf8');
  } catch (err) {
    throw badExport('--from-export', `cannot read stats/stats.json and stats/events.jsonl (${(err as Error).message})`, '无法读取 stats/stats.json 与 stats/events.jsonl');
  }
  if (manifest?.format !== STATS_EXPORT_FORMAT) throw badExport('format', `format must be ${STATS_EXPORT_FORMAT}`, `格式须为 ${STATS_EXPORT_FORMAT}`);
  const events: StatsEvent[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.trim() === '') continue;
    let e: Partial<StatsEvent> | null;
    try {
      e = JSON.parse(raw) as Partial<StatsEvent> | null;
    } catch {
      throw badExport(`events.jsonl:${line}`, `line ${line} is not JSON`, `第 ${line} 行不是 JSON`);
    }
    // Attacker-controlled input: check the envelope before the fold dates it.
    const ok = e !== null && typeof e === 'object' && Number.isSafeInteger(e.position) && typeof e.type === 'string' && typeof e.department === 'string' && typeof e.hash === 'string'
      && typeof e.recordedAt === 'string' && Number.isFinite(Date.parse(e.recordedAt)) && typeof e.payload === 'object' && e.payload !== null && !Array.isArray(e.payload);
    if (!ok) throw badExport(`events.jsonl:${line}`, `line ${line} is not a statistics event (position, hash, type, recordedAt, department, payload)`, `第 ${line} 行不是统计事件（position、hash、type、recordedAt、department、payload）`);
    events.push(e as StatsEvent);
  }
  const entities = [...foldStats(events).values()];
  const inputs = { asOf: manifest.asOf, periods: manifest.periods, calendarYears: manifest.calendar.years };
  const calendar = workingCalendar({ years: inputs.calendarYears });
  return {
    manifest,
    events: events.length,
    report: (query) => computeStats(entities, query, { calendar, periods: inputs.periods, asOf: inputs.asOf }),
    reports: () => reportsOf(entities, events, inputs),
  };
}
