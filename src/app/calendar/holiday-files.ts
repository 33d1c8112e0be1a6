import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { SuijiError } from '../../domain/errors.js';
import { validationError } from '../../domain/validation-error.js';
import { checkCalendarYear, holidayFileSchema, type CalendarYear, type HolidayFile } from '../../domain/calendar/index.js';

/** `<data>/calendar/holidays-<year>.json`: one file per year, named after it (docs/calendar.md). */
export const CALENDAR_DIR = 'calendar';
const FILE_NAME = /^holidays-(\d{4})\.json$/;
/** A year's notice is a few kilobytes; a larger file is not one. */
const MAX_FILE_BYTES = 256 * 1024;

const validate = new Ajv({ allErrors: false, strict: true, verbose: true }).compile(holidayFileSchema);

const fileError = (field: string, zh: string, en: string, details: Record<string, unknown> = {}): SuijiError =>
  new SuijiError('VALIDATION_FAILED', { field, rule: 'A4', ...details }, { zh: `A4：节假日文件 ${field} ${zh}`, en: `A4: holiday file ${field} ${en}` });

/** Reads and checks one holiday file; every refusal is coded, bilingual and names the file and field. */
export function readHolidayFile(path: string, name: string): CalendarYear {
  const fromName = FILE_NAME.exec(name);
  if (!fromName) throw fileError(name, '的文件名须为 holidays-<年份>.json', 'must be named holidays-<year>.json');
  let text: string;
  try {
    // Checked before reading, so a huge or endless file (a FIFO, /dev/zero via a link) is never read whole.
    const st = statSync(path);
    if (!st.isFile()) throw fileError(name, '不是普通文件', 'is not a regular file');
    if (st.size > MAX_FILE_BYTES) throw fileError(name, `超过 ${MAX_FILE_BYTES} 字节`, `is larger than ${MAX_FILE_BYTES} bytes`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof SuijiError) throw err;
    throw fileError(name, '无法读取', 'cannot be read', { reason: err instanceof Error ? err.message : String(err) });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw fileError(name, '不是有效的 JSON', 'is not valid JSON', { reason: err instanceof Error ? err.message : String(err) });
  }
  if (!validate(parsed)) throw validationError(validate.errors, { prefix: name, what: `holiday file ${name}` });
  const file = parsed as HolidayFile; // validated just above against the schema the type comes from
  if (file.year !== Number(fromName[1])) {
    throw fileError(`${name}/year`, `为 ${file.year}，与文件名中的年份不符`, `is ${file.year}, not the year in the file name`, { value: file.year });
  }
  const year: CalendarYear = {
    year: file.year,
    holidays: file.holidays.map((d) => d.date),
    workdays: file.workdays.map((d) => d.date),
    source: `${name}: ${file.source}`,
  };
  checkCalendarYear(year, name);
  return year;
}

/** Every holiday file in `<dataDir>/calendar`, by year; none when the folder is absent. */
export function readHolidayFiles(dataDir: string): CalendarYear[] {
  const dir = join(dataDir, CALENDAR_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => readHolidayFile(join(dir, name), name));
}
