/**
 * The stats fold formats an event's Shanghai day once per UTC hour (issue 13). Asia/Shanghai is
 * UTC+8 without DST, so an hour never straddles a day; these cases cross the boundary both ways.
 */
import { describe, expect, it } from 'vitest';
import { recordedDay } from '../../../src/domain/stats/index.js';
import { shanghaiDate } from '../../../src/domain/calendar/index.js';

describe('recordedDay', () => {
  it('P3: the Shanghai day at 16:00Z flips, and going back an hour flips back (no stale memo)', () => {
    const seq = [
      '2026-11-30T15:00:00.000Z', '2026-11-30T15:59:59.999Z', '2026-11-30T16:00:00.000Z', '2026-11-30T16:30:00.000Z',
      '2026-11-30T15:30:00.000Z', '2026-12-31T16:00:00.000Z', '2026-12-31T15:59:59.999Z', '2027-01-01T00:00:00.000Z',
    ];
    expect(seq.map((recordedAt) => recordedDay({ recordedAt }))).toEqual([
      '2026-11-30', '2026-11-30', '2026-12-01', '2026-12-01', '2026-11-30', '2027-01-01', '2026-12-31', '2027-01-01',
    ]);
  });

  it('P3: agrees with shanghaiDate for every quarter hour of a year', () => {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 900_000) {
      const recordedAt = new Date(ms).toISOString();
      expect(recordedDay({ recordedAt })).toBe(shanghaiDate(ms));
    }
  });
});
