import { SuijiError } from '../errors.js';
import type { CalendarYear } from './data.js';
import { dayNumber, isWeekendDay, yearOfDay } from './date.js';

const invalid = (field: string, zh: string, en: string, details: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule: 'A4', ...details }, { zh: `A4：日历数据字段 ${field} ${zh}`, en: `A4: calendar data ${field} ${en}` });

/**
 * What a JSON Schema cannot say about one year of calendar data: every date exists and lies
 * in its year, none is listed twice or as both a holiday and a working day, and an adjusted
 * working day is a Saturday or Sunday (a weekday is a working day already, so listing one
 * means the file is wrong). `field` prefixes the offending field, e.g. `holidays-2027.json`.
 */
export function checkCalendarYear(y: CalendarYear, field = ''): void {
  const at = (rest: string): string => (field ? `${field}/${rest}` : rest);
  if (!Number.isInteger(y.year) || y.year < 1949 || y.year > 9999) {
    throw invalid(at('year'), '不是有效年份', 'is not a valid year', { value: y.year });
  }
  const seen = new Map<string, string>();
  const walk = (list: readonly string[], key: 'holidays' | 'workdays'): void => {
    list.forEach((date, i) => {
      const f = at(`${key}/${i}`);
      const day = dayNumber(date, f);
      if (yearOfDay(day) !== y.year) {
        throw invalid(f, `的日期 ${date} 不在 ${y.year} 年内`, `date ${date} is not in ${y.year}`, { value: date });
      }
      const before = seen.get(date);
      if (before !== undefined) {
        throw invalid(f, `的日期 ${date} 与 ${before} 重复`, `date ${date} repeats ${before}`, { value: date });
      }
      seen.set(date, f);
      if (key === 'workdays' && !isWeekendDay(day)) {
        throw invalid(f, `的调休上班日 ${date} 不是周六或周日`, `adjusted working day ${date} is not a Saturday or Sunday`, { value: date });
      }
    });
  };
  walk(y.holidays, 'holidays');
  walk(y.workdays, 'workdays');
}
