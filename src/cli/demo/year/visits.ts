import type { Database } from 'better-sqlite3';
import { listVisits } from '../../../projections/visits/index.js';

/** T5/T6: how many visits the read model holds, how many merge two or more tasks, how many are matched (for the seed's log line). */
export function listVisitsCount(db: Database): { visits: number; merged: number; matched: number } {
  let visits = 0;
  let merged = 0;
  let matched = 0;
  for (let after = ''; ; ) {
    const page = listVisits(db, { after, limit: 1000 });
    visits += page.length;
    merged += page.filter((v) => v.tasks.length >= 2).length;
    matched += page.filter((v) => v.status === 'matched').length;
    if (page.length < 1000) return { visits, merged, matched };
    after = page[page.length - 1]!.visitId;
  }
}
