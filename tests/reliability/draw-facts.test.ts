/**
 * The ledger-side draw checks of the crash and multi-instance suites (drawFactsOf) must be able
 * to fail: fed event sequences that break PL5 or one-open-draw-per-slot, they name the breach.
 */
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/store/port.js';
import { drawFactsOf } from './draw-world.js';

let position = 0;
const ev = (streamId: string, type: string, payload: Record<string, unknown>): RecordedEvent => ({ position: position++, streamId, type, payload } as unknown as RecordedEvent);
const U = '91370323MA00000017';
const commit = (task: string, n: number) => ev(`draw-${task}.targets`, 'DrawCommitted', { drawId: `${task}.targets.${n}` });
const done = (task: string, n: number) => ev(`draw-${task}.targets`, 'DrawCompleted', { drawId: `${task}.targets.${n}` });
const counted = (count: number) => ev(`drawcount-${U}-2026`, 'DrawCounted', { uscc: U, year: 2026, count });

describe('drawFactsOf: the ledger checks name what they exist to catch', () => {
  it('PL5: a third count of an entity in a year is a violation; two are not', () => {
    expect(drawFactsOf([counted(1), counted(2)]).violations).toEqual([]);
    const f = drawFactsOf([counted(1), counted(2), counted(3)]);
    expect(f.violations).toHaveLength(1);
    expect(f.violations[0]).toMatch(/^PL5: .* drawn 3 times in the year \(cap 2\)/);
    expect(f.maxCount).toBe(3);
  });

  it('PL5: counts out of order (a lost or replayed counter write) are a violation', () => {
    expect(drawFactsOf([counted(1), counted(1)]).violations[0]).toMatch(/^PL5: .* counted 1 at position \d+, expected 2/);
  });

  it('V3: a second commitment while the slot holds an open draw is a violation; after completion it is not', () => {
    expect(drawFactsOf([commit('T', 1), commit('T', 2)]).violations[0]).toMatch(/^V3: T\.targets\.2 committed at position \d+ while T\.targets\.1 was open/);
    expect(drawFactsOf([commit('T2', 1), done('T2', 1), commit('T2', 2)]).violations).toEqual([]);
  });

  it('V3: a completion of a draw never committed, or completed twice, is a violation', () => {
    expect(drawFactsOf([done('T3', 1)]).violations[0]).toMatch(/never committed/);
    expect(drawFactsOf([commit('T4', 1), done('T4', 1), done('T4', 1)]).violations[0]).toMatch(/DrawCompleted of T4\.targets\.1 .* but it was completed/);
  });
});
