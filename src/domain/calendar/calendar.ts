import { SuijiError } from '../errors.js';
import type { CalendarData } from './data.js';
import { checkCalendarYear } from './check.js';
import { dayNumber, formatDay, isWeekendDay, yearOfDay, type IsoDate } from './date.js';

/** A deadline and whether it rests on calendar data for every day it counted. */
export interface Deadline {
  readonly date: IsoDate;
  /** True when a counted day fell in a year with no calendar data (E5: flagged, never silent). */
  readonly provisional: boolean;
  /** The years without data that the count passed through, ascending. */
  readonly missingYears: readonly number[];
}

export interface WorkingCalendar {
  /** Years with statutory data, ascending. */
  readonly years: readonly number[];
  covers(year: number): boolean;
  /** A holiday is not; an adjusted working day is; otherwise Monday to Friday (also in a year without data). */
  isWorkingDay(date: IsoDate): boolean;
  /**
   * The last day of "within n working days after `from`" (…后 n 个工作日内): `from` itself
   * never counts, whatever it is; counting starts the next day, and the nth working day
   * counted is the deadline, on time when the act happens on or before it.
   */
  addWorkingDays(from: IsoDate, n: number): Deadline;
}

/** Bounds the loop: ten years of working days is beyond any statutory period (E5 20, E7 20 + 15). */
export const MAX_WORKING_DAYS = 2_500;

const badCount = (n: unknown): SuijiError =>
  new SuijiError(
    'VALIDATION_FAILED',
    { field: 'n', value: String(n) },
    { zh: `字段 n（工作日数）须为 1 至 ${MAX_WORKING_DAYS} 的整数`, en: `n (working days) must be an integer from 1 to ${MAX_WORKING_DAYS}` },
  );

/** Builds the calendar from its data; refuses data that is inconsistent (coded, naming the field). */
export function workingCalendar(data: CalendarData): WorkingCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const covered = new Set<number>();
  data.years.forEach((y, i) => {
    checkCalendarYear(y, `years/${i}`);
    if (covered.has(y.year)) {
      throw new SuijiError('VALIDATION_FAILED', { field: `years/${i}/year`, rule: 'A4', value: y.year }, { zh: `A4：日历数据中 ${y.year} 年出现两次`, en: `A4: calendar data lists ${y.year} twice` });
    }
    covered.add(y.year);
    for (const d of y.holidays) holidays.add(d);
    for (const d of y.workdays) workdays.add(d);
  });
  const years = [...covered].sort((a, b) => a - b);

  const workingOn = (day: number, date: string): boolean => {
    if (holidays.has(date)) return false;
    if (workdays.has(date)) return true;
    return !isWeekendDay(day);
  };

  return {
    years,
    covers: (year) => covered.has(year),
    isWorkingDay(date) {
      return workingOn(dayNumber(date, 'date'), date);
    },
    addWorkingDays(from, n) {
      let day = dayNumber(from, 'from');
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS) throw badCount(n);
      const missing = new Set<number>();
      for (let left = n; left > 0; ) {
        day += 1;
        const year = yearOfDay(day);
        if (!covered.has(year)) missing.add(year);
        if (workingOn(day, formatDay(day))) left -= 1;
      }
      const missingYears = [...missing].sort((a, b) => a - b);
      return { date: formatDay(day), provisional: missingYears.length > 0, missingYears };
    },
  };
}
