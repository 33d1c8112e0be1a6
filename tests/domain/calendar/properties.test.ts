import fc from 'fast-check';
import { isWorkday } from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { packageCalendarYears } from '../../../src/app/calendar/index.js';
import { dayNumber, formatDay, workingCalendar } from '../../../src/domain/calendar/index.js';

const cal = workingCalendar({ years: packageCalendarYears() });

// Days from 2003-06-01 to 2028-06-30: both edges of the data (2004–2026) fall inside.
const FIRST = dayNumber('2003-06-01');
const LAST = dayNumber('2028-06-30');
const dateArb = fc.integer({ min: FIRST, max: LAST }).map(formatDay);
const countArb = fc.integer({ min: 1, max: 60 });

describe('addWorkingDays, for any start and count', () => {
  it('E5: the deadline is a working day, later than the start, with exactly n working days after the start up to it', () => {
    fc.assert(
      fc.property(dateArb, countArb, (from, n) => {
        const { date } = cal.addWorkingDays(from, n);
        expect(cal.isWorkingDay(date)).toBe(true);
        let counted = 0;
        for (let d = dayNumber(from) + 1; d <= dayNumber(date); d++) if (cal.isWorkingDay(formatDay(d))) counted++;
        expect(counted).toBe(n);
      }),
    );
  });

  it('E5: it is monotone: a later start or a larger count never gives an earlier deadline', () => {
    fc.assert(
      fc.property(dateArb, dateArb, countArb, countArb, (a, b, m, n) => {
        const [from1, from2] = a <= b ? [a, b] : [b, a];
        const [n1, n2] = m <= n ? [m, n] : [n, m];
        expect(cal.addWorkingDays(from1, n1).date <= cal.addWorkingDays(from2, n2).date).toBe(true);
        if (n1 < n2) expect(cal.addWorkingDays(from1, n1).date < cal.addWorkingDays(from1, n2).date).toBe(true);
      }),
    );
  });

  it('E5: it is provisional exactly when a counted day lies outside 2004–2026, and names those years', () => {
    fc.assert(
      fc.property(dateArb, countArb, (from, n) => {
        const r = cal.addWorkingDays(from, n);
        const years = new Set<number>();
        for (let d = dayNumber(from) + 1; d <= dayNumber(r.date); d++) years.add(Number(formatDay(d).slice(0, 4)));
        const expected = [...years].filter((y) => y < 2004 || y > 2026).sort((x, y) => x - y);
        expect(r.missingYears).toEqual(expected);
        expect(r.provisional).toBe(expected.length > 0);
      }),
    );
  });
});

describe('isWorkingDay against chinese-days’ own answer', () => {
  it('E5: every day of 2004–2026 is a working day here exactly when chinese-days’ isWorkday says so', () => {
    const disagreements: string[] = [];
    for (let d = dayNumber('2004-01-01'); d <= dayNumber('2026-12-31'); d++) {
      const date = formatDay(d);
      if (cal.isWorkingDay(date) !== isWorkday(date)) disagreements.push(date);
    }
    expect(disagreements).toEqual([]);
  });
});
