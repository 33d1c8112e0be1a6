import { SuijiError } from '../errors.js';

/**
 * Calendar dates as 'YYYY-MM-DD' strings, the civil date in Asia/Shanghai. Arithmetic runs on
 * a day number (days since 1970-01-01) so no clock, time zone or DST ever enters: a date is a
 * name for a day, not an instant.
 */
export type IsoDate = string;

const DAY_MS = 86_400_000;
/** China Standard Time is UTC+8 all year; the PRC has not observed DST since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const badDate = (field: string, value: unknown): SuijiError =>
  new SuijiError(
    'VALIDATION_FAILED',
    { field, value: typeof value === 'string' ? value : String(value) },
    {
      zh: `字段 ${field} 不是有效日期（格式 YYYY-MM-DD，须为真实存在的日期）`,
      en: `${field} is not a valid date (YYYY-MM-DD, a day that exists)`,
    },
  );

/** Day number of a date; refuses '2026-02-30', '2026-2-3' and anything not a string. */
export function dayNumber(date: unknown, field = 'date'): number {
  if (typeof date !== 'string') throw badDate(field, date);
  const m = ISO_DATE.exec(date);
  if (!m) throw badDate(field, date);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 02-30 over into March; a round trip catches it. Years < 1000 map 0–99 to 19xx, also caught.
  if (formatDay(ms / DAY_MS) !== date) throw badDate(field, date);
  return ms / DAY_MS;
}

export const formatDay = (day: number): IsoDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const yearOfDay = (day: number): number => new Date(day * DAY_MS).getUTCFullYear();

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOfDay = (day: number): number => (((day + 4) % 7) + 7) % 7;

export const isWeekendDay = (day: number): boolean => {
  const w = weekdayOfDay(day);
  return w === 0 || w === 6;
};

/** The civil date in Asia/Shanghai of an instant (UTC milliseconds), e.g. the moment a task completed. */
export const shanghaiDate = (epochMs: number): IsoDate => formatDay(Math.floor((epochMs + SHANGHAI_OFFSET_MS) / DAY_MS));
