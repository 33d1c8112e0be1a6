/**
 * E9/A1: follow-ups with their status, per executing unit and visit (GET /followups, the upward
 * report). The state is the decider's fold, so the list equals the streams.
 */
import type { Database } from 'better-sqlite3';
import { evolveFollowUp, initialFollowUpState, type FollowUpEvent, type FollowUpState } from '../../domain/followups/index.js';
import type { Projection } from '../projection.js';
import { domainEvent, stmt } from '../registers/sql.js';

const types = new Set(['FollowUpOpened', 'FollowUpUpdated', 'FollowUpClosed']);

export const followUpsProjection: Projection = {
  name: 'followups',
  version: 1,
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS followups (follow_up_id TEXT PRIMARY KEY, visit_id TEXT NOT NULL, executing_unit TEXT NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS followups_unit ON followups (executing_unit, follow_up_id);
      CREATE INDEX IF NOT EXISTS followups_visit ON followups (visit_id);`);
  },
  reset(db) {
    db.exec('DROP TABLE IF EXISTS followups;');
  },
  apply(db: Database, recorded) {
    if (!types.has(recorded.type)) return;
    const e = domainEvent<FollowUpEvent>(recorded);
    const row = stmt(db, 'SELECT state FROM followups WHERE follow_up_id = ?').get(e.payload.followUpId) as { state: string } | undefined;
    const after = evolveFollowUp(row ? (JSON.parse(row.state) as FollowUpState) : initialFollowUpState, e);
    if (!after.exists) return;
    stmt(db, 'INSERT OR REPLACE INTO followups VALUES (?, ?, ?, ?, ?)').run(after.followUpId, after.visitId, after.executingUnit, after.closed ? 'closed' : 'open', JSON.stringify(after));
  },
};

export type FollowUpView = Extract<FollowUpState, { exists: true }>;

export function listFollowUps(db: Database, q: { unit?: string; visitId?: string; status?: 'open' | 'closed'; after?: string; limit: number }): FollowUpView[] {
  const where = ['follow_up_id > @after', ...(q.unit ? ['executing_unit = @unit'] : []), ...(q.visitId ? ['visit_id = @visitId'] : []), ...(q.status ? ['status = @status'] : [])];
  const rows = stmt(db, `SELECT state FROM followups WHERE ${where.join(' AND ')} ORDER BY follow_up_id LIMIT @limit`).all({
    after: q.after ?? '', limit: q.limit, ...(q.unit && { unit: q.unit }), ...(q.visitId && { visitId: q.visitId }), ...(q.status && { status: q.status }),
  }) as { state: string }[];
  return rows.map((r) => JSON.parse(r.state) as FollowUpView);
}
