import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/app/calendar/index.js';
import { isSuijiError, type SuijiError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

// A hypothetical 2027 notice: 元旦 Jan 1–3 (Fri–Sun), 春节 Feb 6–14 with Saturdays Jan 30 and Feb 20 worked.
const file2027 = {
  year: 2027,
  source: '测试用：假设的 2027 年节假日安排',
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-01-02', name: '元旦' },
    { date: '2027-01-03', name: '元旦' },
    ...[6, 7, 8, 9, 10, 11, 12, 13, 14].map((d) => ({ date: `2027-02-${String(d).padStart(2, '0')}`, name: '春节' })),
  ],
  workdays: [
    { date: '2027-01-30', name: '春节' },
    { date: '2027-02-20', name: '春节' },
  ],
};

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('suiji-calendar-');
});
afterEach(() => dir.remove());

const put = (name: string, content: unknown): void => {
  mkdirSync(join(dir.path, 'calendar'), { recursive: true });
  writeFileSync(join(dir.path, 'calendar', name), typeof content === 'string' ? content : JSON.stringify(content));
};

const refusal = (): SuijiError => {
  try {
    loadCalendar(dir.path);
  } catch (err) {
    if (isSuijiError(err)) return err;
    throw err;
  }
  throw new Error('expected the calendar to be refused');
};

describe('the data directory’s holiday files', () => {
  it('E5: without a calendar folder the package’s years 2004–2026 are used and 2027 is provisional', () => {
    const { calendar } = loadCalendar(dir.path);
    expect(calendar.years[0]).toBe(2004);
    expect(calendar.years.at(-1)).toBe(2026);
    expect(calendar.addWorkingDays('2026-12-10', 20)).toEqual({ date: '2027-01-07', provisional: true, missingYears: [2027] });
  });

  it('A4: a holidays-2027.json file makes a deadline into 2027 exact, with no code change', () => {
    put('holidays-2027.json', file2027);
    const { calendar, sources } = loadCalendar(dir.path);
    expect(calendar.covers(2027)).toBe(true);
    expect(sources.find((s) => s.year === 2027)?.source).toMatch(/^holidays-2027\.json: /);
    expect(calendar.addWorkingDays('2026-12-10', 20)).toEqual({ date: '2027-01-08', provisional: false, missingYears: [] });
    // Across the file's 春节: Jan 30 (Sat) and Feb 20 (Sat) count, Feb 6–14 do not.
    // Jan 29 → Jan 30 (1), Feb 1–5 (6), Feb 15–19 (11), Feb 20 (12), Feb 22–26 (17), Mar 1–3 (20).
    expect(calendar.addWorkingDays('2027-01-29', 20)).toEqual({ date: '2027-03-03', provisional: false, missingYears: [] });
  });

  it('A4: a file for a year the package has replaces that year whole (the latest notice prevails)', () => {
    put('holidays-2026.json', { year: 2026, source: '测试用：更正', holidays: [{ date: '2026-03-02', name: '测试' }], workdays: [] });
    const { calendar } = loadCalendar(dir.path);
    expect(calendar.isWorkingDay('2026-03-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-16')).toBe(true); // the package's 春节 is gone with its year
    expect(calendar.isWorkingDay('2026-02-14')).toBe(false);
  });

  it('A4: files not ending in .json are ignored (an editor backup does not stop the server)', () => {
    put('holidays-2027.json~', 'garbage');
    expect(loadCalendar(dir.path).calendar.covers(2027)).toBe(false);
  });
});

describe('when a holiday file cannot be read', () => {
  it('A4: a folder named like a holiday file is refused as not a regular file, not with a raw EISDIR', () => {
    mkdirSync(join(dir.path, 'calendar', 'holidays-2027.json'), { recursive: true });
    const err = refusal();
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details.field).toBe('holidays-2027.json');
  });

  it('A4: a file larger than 256 KiB is refused before it is parsed', () => {
    put('holidays-2027.json', JSON.stringify({ ...file2027, source: 'x'.repeat(300 * 1024) }));
    expect(refusal().messageEn).toMatch(/larger than/);
  });
});

describe('when a holiday file is bad, start-up is refused with a coded bilingual error naming file and field', () => {
  const cases: Array<[string, string, unknown, string]> = [
    ['it is not JSON', 'holidays-2027.json', '{"year": 2027,', 'holidays-2027.json'],
    ['a field is missing', 'holidays-2027.json', { ...file2027, source: undefined }, 'holidays-2027.json/source'],
    ['a field is unknown', 'holidays-2027.json', { ...file2027, extra: 1 }, 'holidays-2027.json/extra'],
    ['a date is malformed', 'holidays-2027.json', { ...file2027, holidays: [{ date: '2027-1-1', name: '元旦' }] }, 'holidays-2027.json/holidays/0/date'],
    ['a date does not exist', 'holidays-2027.json', { ...file2027, holidays: [{ date: '2027-02-29', name: '春节' }] }, 'holidays-2027.json/holidays/0'],
    ['a date is in another year', 'holidays-2027.json', { ...file2027, holidays: [{ date: '2026-12-31', name: '元旦' }] }, 'holidays-2027.json/holidays/0'],
    ['a working day is a weekday', 'holidays-2027.json', { ...file2027, workdays: [{ date: '2027-02-01', name: '春节' }] }, 'holidays-2027.json/workdays/0'],
    ['a day is both holiday and working day', 'holidays-2027.json', { ...file2027, workdays: [{ date: '2027-01-02', name: '元旦' }] }, 'holidays-2027.json/workdays/0'],
    ['its year differs from its name', 'holidays-2028.json', file2027, 'holidays-2028.json/year'],
    ['its name carries no four-digit year', 'holidays-27.json', file2027, 'holidays-27.json'],
  ];
  it.each(cases)('A4: %s', (_why, name, content, field) => {
    put(name, content);
    const err = refusal();
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details.field).toBe(field);
    expect(err.messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(err.messageEn).toMatch(/[a-z]/);
    expect(err.messageEn).toContain(name);
  });
});
