/** Ledger positions as compact sorted ranges: `[3, [7, 12], 20]` is 3, 7…12 and 20. */
export type PositionRanges = (number | [number, number])[];

export function compactPositions(positions: Iterable<number>): PositionRanges {
  const sorted = [...new Set(positions)].sort((a, b) => a - b);
  const out: PositionRanges = [];
  let start = -1;
  let end = -1;
  const flush = (): void => {
    if (start < 0) return;
    out.push(start === end ? start : [start, end]);
  };
  for (const p of sorted) {
    if (p === end + 1 && start >= 0) end = p;
    else {
      flush();
      start = end = p;
    }
  }
  flush();
  return out;
}

export function expandPositions(ranges: PositionRanges): number[] {
  const out: number[] = [];
  for (const r of ranges) {
    if (typeof r === 'number') out.push(r);
    else for (let p = r[0]; p <= r[1]; p++) out.push(p);
  }
  return out;
}

export const countPositions = (ranges: PositionRanges): number => ranges.reduce<number>((n, r) => n + (typeof r === 'number' ? 1 : r[1] - r[0] + 1), 0);

/** Appends a position greater than every one in `ranges` (the fold's order), extending the last range. */
export function appendPosition(ranges: PositionRanges, p: number): PositionRanges {
  const last = ranges[ranges.length - 1];
  if (typeof last === 'number' && p === last + 1) return [...ranges.slice(0, -1), [last, p]];
  if (Array.isArray(last) && p === last[1] + 1) return [...ranges.slice(0, -1), [last[0], p]];
  if (last !== undefined && p <= (typeof last === 'number' ? last : last[1])) return compactPositions([...expandPositions(ranges), p]);
  return [...ranges, p];
}
