import type { FromSchema } from 'json-schema-to-ts';

/**
 * One year of the State Council's holiday notice, as a data-directory file
 * `<data>/calendar/holidays-<year>.json` (A4: a new year is a file, not a code change).
 * Dates are checked further by `checkCalendarYear` (real, in the year, no repeats,
 * adjusted working days on a weekend).
 */
const daySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['date', 'name'],
  properties: {
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    /** The holiday the day belongs to, e.g. 春节; for people reading the file. */
    name: { type: 'string', minLength: 1, maxLength: 50 },
  },
} as const;

export const holidayFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['year', 'source', 'holidays', 'workdays'],
  properties: {
    year: { type: 'integer', minimum: 1949, maximum: 9999 },
    /** The notice the dates come from, e.g. 国务院办公厅关于2027年部分节假日安排的通知. */
    source: { type: 'string', minLength: 1, maxLength: 300 },
    holidays: { type: 'array', maxItems: 366, items: daySchema },
    workdays: { type: 'array', maxItems: 366, items: daySchema },
  },
} as const;

export type HolidayFile = FromSchema<typeof holidayFileSchema>;
