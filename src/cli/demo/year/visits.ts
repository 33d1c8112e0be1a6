import type { Database } from 'better-sqlite3';
import { listVisits } from '../../../projections/visits/index.js';

/** T5: how many visits the read model holds, and how many merge two or more tasks (for the seed's log line). */
export function listVisitsCount(db: Database): { visits: number; merged: number } {
  let visits = 0;
  let merged = 0;
  for (let after = ''; ; ) {
    const page = listVisits(db, { after, limit: 1000 });
    visits += page.length;
    merged += page.filter((v) => v.tasks.length >= 2).length;
    if (page.length < 1000) return { visits, merged };
    after = page[page.length - 1]!.visitId;
  }
}
