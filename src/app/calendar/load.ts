import { workingCalendar, type CalendarYear, type WorkingCalendar } from '../../domain/calendar/index.js';
import { readHolidayFiles } from './holiday-files.js';
import { packageCalendarYears } from './package-data.js';

export interface LoadedCalendar {
  readonly calendar: WorkingCalendar;
  /** Where each covered year came from, for the start-up log and audits. */
  readonly sources: ReadonlyArray<{ readonly year: number; readonly source: string }>;
}

/**
 * The statutory calendar of a data directory: `chinese-days`' years, then the directory's
 * holiday files. A file for a year the package also has replaces that year whole (A4: the
 * authority's latest notice prevails; a correction needs no release). Throws a coded error
 * for a bad file, so the server refuses to start rather than count days wrongly.
 */
export function loadCalendar(dataDir: string, packageYears: readonly CalendarYear[] = packageCalendarYears()): LoadedCalendar {
  const byYear = new Map<number, CalendarYear>();
  for (const y of packageYears) byYear.set(y.year, y);
  for (const y of readHolidayFiles(dataDir)) byYear.set(y.year, y);
  const years = [...byYear.values()].sort((a, b) => a.year - b.year);
  return { calendar: workingCalendar({ years }), sources: years.map(({ year, source }) => ({ year, source })) };
}
