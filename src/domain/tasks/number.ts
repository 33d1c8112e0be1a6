/**
 * The human number of a task, in the style of the national platforms: department code + date +
 * sequence, e.g. `yy-swj-scyx-20260301-001`. The sequence comes from a counter stream per
 * department and day, appended with its expected revision in the same atomic append as the
 * task, so two concurrent creations can never take the same number (the loser retries).
 */
import { shanghaiDate } from '../calendar/index.js';

/** YYYYMMDD of an instant in China's calendar (UTC+8, no DST). */
export const shanghaiDay = (iso: string): string => shanghaiDate(Date.parse(iso)).replaceAll('-', '');

export const taskNumber = (departmentId: string, day: string, sequence: number): string => `${departmentId}-${day}-${String(sequence).padStart(3, '0')}`;

export const taskCounterStreamId = (departmentId: string, day: string): string => `taskNumbers-${departmentId}-${day}`;
