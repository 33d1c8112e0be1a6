import { describe, expect, it } from 'vitest';
import { packageCalendarYears } from '../../../src/app/calendar/index.js';
import { isSuijiError } from '../../../src/domain/errors.js';
import { shanghaiDate, workingCalendar, type CalendarYear } from '../../../src/domain/calendar/index.js';

// The package's real data (2004–2026), the same the server loads; the expected dates below are
// counted by hand from the State Council's notice on the 2026 holidays.
const packageYears = packageCalendarYears();
const cal = workingCalendar({ years: packageYears });

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (isSuijiError(err)) return err;
    throw err;
  }
  throw new Error('expected a coded refusal');
};

describe('the 2026 data the calendar is fed', () => {
  it('E5: 春节 2026 is Feb 15–23 off, with Saturdays Feb 14 and Feb 28 worked', () => {
    expect(cal.isWorkingDay('2026-02-13')).toBe(true);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday, adjusted working day
    for (let d = 15; d <= 23; d++) expect(cal.isWorkingDay(`2026-02-${d}`), `2026-02-${d}`).toBe(false);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true); // Saturday, adjusted working day
    expect(cal.isWorkingDay('2026-03-01')).toBe(false); // an ordinary Sunday
  });

  it('E5: 国庆 2026 is Oct 1–7 off, with Sunday Sep 20 and Saturday Oct 10 worked', () => {
    expect(cal.isWorkingDay('2026-09-20')).toBe(true);
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2026-10-0${d}`), `2026-10-0${d}`).toBe(false);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.isWorkingDay('2026-10-11')).toBe(false);
  });
});

describe('E5: within 20 working days after the task completes', () => {
  it('E5: the completion day itself does not count; the next working day is day 1', () => {
    expect(cal.addWorkingDays('2026-03-02', 1).date).toBe('2026-03-03'); // Monday → Tuesday
    expect(cal.addWorkingDays('2026-03-06', 1).date).toBe('2026-03-09'); // Friday → Monday
    expect(cal.addWorkingDays('2026-02-15', 1).date).toBe('2026-02-24'); // from inside 春节
  });

  it('E5: 20 working days across 春节 2026 count Feb 14 and Feb 28 and skip Feb 15–23', () => {
    // Feb 11–13 (3), Feb 14 (4), Feb 24–27 (8), Feb 28 (9), Mar 2–6 (14), Mar 9–13 (19), Mar 16 (20).
    expect(cal.addWorkingDays('2026-02-10', 20)).toEqual({ date: '2026-03-16', provisional: false, missingYears: [] });
  });

  it('E5: 20 working days across 中秋 and 国庆 2026 count Sep 20 and Oct 10 and skip Sep 25 and Oct 1–7', () => {
    // Sep 20 (1), Sep 21–24 (5), Sep 28–30 (8), Oct 8–9 (10), Oct 10 (11), Oct 12–16 (16), Oct 19–22 (20).
    expect(cal.addWorkingDays('2026-09-18', 20)).toEqual({ date: '2026-10-22', provisional: false, missingYears: [] });
  });

  it('E5: a deadline that runs into 2027, a year with no data, is counted Monday to Friday but marked provisional naming 2027', () => {
    // Dec 11 (1), Dec 14–18 (6), Dec 21–25 (11), Dec 28–31 (15), Jan 1 2027 (16, unknown), Jan 4–7 (20).
    expect(cal.addWorkingDays('2026-12-10', 20)).toEqual({ date: '2027-01-07', provisional: true, missingYears: [2027] });
  });

  it('E5: a count that only starts in a year without data is provisional too, and names every such year', () => {
    expect(cal.addWorkingDays('2027-12-20', 20)).toMatchObject({ provisional: true, missingYears: [2027, 2028] });
  });

  it('A4: the same deadline with 2027 data given is not provisional, and 元旦 2027 no longer counts', () => {
    const y2027: CalendarYear = { year: 2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [], source: 'test fixture (hypothetical 2027 notice)' };
    const withNext = workingCalendar({ years: [...packageYears, y2027] });
    expect(withNext.addWorkingDays('2026-12-10', 20)).toEqual({ date: '2027-01-08', provisional: false, missingYears: [] });
  });
});

describe('E7: an objection’s two chained deadlines', () => {
  it('E7: re-check decision within 20 working days of receipt, feedback within 15 working days of the decision', () => {
    const decisionDue = cal.addWorkingDays('2026-09-18', 20);
    expect(decisionDue.date).toBe('2026-10-22');
    // Decided on its last day: Oct 23 (1), Oct 26–30 (6), Nov 2–6 (11), Nov 9–12 (15).
    expect(cal.addWorkingDays(decisionDue.date, 15)).toEqual({ date: '2026-11-12', provisional: false, missingYears: [] });
    // Decided early, on Oct 9: Oct 10 (1, adjusted Saturday), Oct 12–16 (6), Oct 19–23 (11), Oct 26–29 (15).
    expect(cal.addWorkingDays('2026-10-09', 15).date).toBe('2026-10-29');
  });

  it('E7: an exact re-check deadline can still be followed by a provisional feedback deadline that runs into 2027', () => {
    const decisionDue = cal.addWorkingDays('2026-12-01', 20);
    expect(decisionDue).toEqual({ date: '2026-12-29', provisional: false, missingYears: [] });
    expect(cal.addWorkingDays(decisionDue.date, 15)).toMatchObject({ provisional: true, missingYears: [2027] });
  });
});

describe('when the input is bad', () => {
  it.each([['2026-02-30'], ['2026-2-3'], ['20260203'], [''], ['2026-13-01']])('E5: from = %j is refused with a coded error naming from', (from) => {
    const err = refusal(() => cal.addWorkingDays(from, 20));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details.field).toBe('from');
    expect(err.messageZh).toMatch(/日期/);
    expect(err.messageEn).toMatch(/date/);
  });

  it.each([[0], [-1], [1.5], [Number.NaN], [1_000_000]])('E5: n = %s working days is refused with a coded error naming n', (n) => {
    const err = refusal(() => cal.addWorkingDays('2026-03-02', n));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details.field).toBe('n');
  });

  it('A4: calendar data listing a year twice is refused', () => {
    const y = { year: 2030, holidays: [], workdays: [], source: 'x' };
    expect(refusal(() => workingCalendar({ years: [y, y] })).details).toMatchObject({ field: 'years/1/year', rule: 'A4' });
  });

  it('A4: an adjusted working day on a weekday is refused (a weekday is a working day already)', () => {
    const y = { year: 2030, holidays: [], workdays: ['2030-01-07'], source: 'x' }; // a Monday
    expect(refusal(() => workingCalendar({ years: [y] })).details).toMatchObject({ field: 'years/0/workdays/0', rule: 'A4' });
  });

  it('A4: a date outside its year, or listed both as holiday and working day, is refused', () => {
    expect(refusal(() => workingCalendar({ years: [{ year: 2030, holidays: ['2031-01-01'], workdays: [], source: 'x' }] })).details.field).toBe('years/0/holidays/0');
    expect(refusal(() => workingCalendar({ years: [{ year: 2030, holidays: ['2030-01-05'], workdays: ['2030-01-05'], source: 'x' }] })).details.field).toBe('years/0/workdays/0');
  });
});

describe('dates are civil dates in Asia/Shanghai', () => {
  it('E5: a task completed at 00:30 Beijing time on Feb 14 completed on Feb 14, though it was still Feb 13 in UTC', () => {
    expect(shanghaiDate(Date.parse('2026-02-13T16:30:00Z'))).toBe('2026-02-14');
    expect(shanghaiDate(Date.parse('2026-02-13T15:59:59.999Z'))).toBe('2026-02-13');
  });
});
