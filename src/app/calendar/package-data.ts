import { createRequire } from 'node:module';
import type { CalendarYear } from '../../domain/calendar/index.js';

/**
 * The years `chinese-days` carries (2004–2026 in 1.5.7), from its published data file: the
 * raw dates, not its `isWorkday`, because that function answers Monday to Friday for a year
 * it does not know, and E5 must flag such a year instead.
 */
interface PackageData {
  readonly holidays: Readonly<Record<string, string>>;
  readonly workdays: Readonly<Record<string, string>>;
}

const require = createRequire(import.meta.url);

export function packageCalendarYears(): CalendarYear[] {
  const data = require('chinese-days/dist/chinese-days.json') as PackageData;
  const { version } = require('chinese-days/package.json') as { version: string };
  const byYear = new Map<number, { holidays: string[]; workdays: string[] }>();
  const slot = (date: string) => {
    const year = Number(date.slice(0, 4));
    let y = byYear.get(year);
    if (!y) byYear.set(year, (y = { holidays: [], workdays: [] }));
    return y;
  };
  for (const date of Object.keys(data.holidays)) slot(date).holidays.push(date);
  for (const date of Object.keys(data.workdays)) slot(date).workdays.push(date);
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, y]) => ({ year, holidays: y.holidays, workdays: y.workdays, source: `chinese-days@${version}` }));
}
