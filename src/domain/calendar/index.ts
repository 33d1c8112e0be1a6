/** China's statutory working-day calendar (E5, E7, A4): pure, fed with its data by an adapter. */
export * from './calendar.js';
export * from './check.js';
export * from './data.js';
export { dayNumber, formatDay, shanghaiDate, type IsoDate } from './date.js';
export * from './schema.js';
