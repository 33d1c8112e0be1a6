import type { Database } from 'better-sqlite3';
import type { Projection } from '../projection.js';
import type { RecordedEvent } from '../../store/port.js';
import type { PayloadOf } from '../../domain/event-definition.js';
import type { UserDeactivated, UserRegistered, UserRoleChanged } from '../../domain/registers/index.js';
import { makesAdmin, tokenStatus, type TokenStatus } from '../../domain/tokens/index.js';
import type { TokenIssued, TokenRevoked } from '../../domain/tokens/events.js';
import type { Role } from '../../domain/actor.js';

/**
 * API tokens for listing and revocation (G3). Holds no secret and no hash: authentication reads
 * the token's and the user's streams from the ledger itself (src/api/tokens.ts), so this read
 * model only has to be right for display and for the bootstrap flag. It keeps its own copy of
 * the users' role, department and last-change position so a token's status is computed by the
 * same rule as authentication (src/domain/tokens/standing.ts).
 */
export const tokensProjection: Projection = {
  name: 'tokens',
  // v2: users' standing and the bootstrap flag; the secret hash is no longer kept here.
  version: 2,
  setup(db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS tokens (
      token_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, role TEXT NOT NULL, department TEXT NOT NULL, label TEXT,
      issued_position INTEGER NOT NULL, issued_at TEXT NOT NULL, issued_by TEXT NOT NULL,
      revoked INTEGER NOT NULL DEFAULT 0, revoked_at TEXT, revoked_by TEXT, revoked_reason TEXT);
    CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens (user_id);
    CREATE TABLE IF NOT EXISTS token_users (
      user_id TEXT PRIMARY KEY, role TEXT NOT NULL, department TEXT NOT NULL, active INTEGER NOT NULL, changed_position INTEGER);
    CREATE TABLE IF NOT EXISTS token_bootstrap (id INTEGER PRIMARY KEY CHECK (id = 1), closed_at INTEGER NOT NULL);`);
  },
  reset(db: Database) {
    db.exec('DROP TABLE IF EXISTS tokens; DROP TABLE IF EXISTS token_users; DROP TABLE IF EXISTS token_bootstrap;');
  },
  apply(db: Database, event: RecordedEvent) {
    // Payloads were schema-checked at append time (src/domain/catalogue.ts).
    switch (event.type) {
      case 'TokenIssued': {
        const p = event.payload as PayloadOf<typeof TokenIssued>;
        db.prepare(
          `INSERT OR REPLACE INTO tokens (token_id, user_id, role, department, label, issued_position, issued_at, issued_by, revoked)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        ).run(p.tokenId, p.userId, p.role, p.department, p.label ?? null, event.position, event.recordedAt, event.actor.userId);
        return;
      }
      case 'TokenRevoked': {
        const p = event.payload as PayloadOf<typeof TokenRevoked>;
        db.prepare('UPDATE tokens SET revoked = 1, revoked_at = ?, revoked_by = ?, revoked_reason = ? WHERE token_id = ? AND revoked = 0').run(
          event.recordedAt, event.actor.userId, p.reason, p.tokenId,
        );
        return;
      }
      case 'UserRegistered': {
        const p = event.payload as PayloadOf<typeof UserRegistered>;
        db.prepare('INSERT OR REPLACE INTO token_users (user_id, role, department, active, changed_position) VALUES (?, ?, ?, 1, NULL)').run(p.userId, p.role, p.department);
        break;
      }
      case 'UserRoleChanged': {
        const p = event.payload as PayloadOf<typeof UserRoleChanged>;
        db.prepare('UPDATE token_users SET role = ?, department = ?, changed_position = ? WHERE user_id = ?').run(p.role, p.department, event.position, p.userId);
        break;
      }
      case 'UserDeactivated': {
        const p = event.payload as PayloadOf<typeof UserDeactivated>;
        db.prepare('UPDATE token_users SET active = 0 WHERE user_id = ?').run(p.userId);
        break;
      }
      default:
        return;
    }
    if (makesAdmin(event)) db.prepare('INSERT OR IGNORE INTO token_bootstrap (id, closed_at) VALUES (1, ?)').run(event.position);
  },
};

/** Whether no admin has ever been registered (tokens of unregistered users still work then). */
export const bootstrapOpen = (db: Database): boolean => db.prepare('SELECT 1 FROM token_bootstrap WHERE id = 1').get() === undefined;

export interface TokenListing {
  readonly tokenId: string;
  readonly userId: string;
  readonly role: Role;
  readonly department: string;
  readonly label: string | null;
  readonly status: TokenStatus;
  readonly issuedPosition: number;
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly revokedReason: string | null;
}

interface ListRow {
  token_id: string;
  user_id: string;
  role: Role;
  department: string;
  label: string | null;
  issued_position: number;
  issued_at: string;
  issued_by: string;
  revoked: number;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_reason: string | null;
  u_role: Role | null;
  u_department: string | null;
  u_active: number | null;
  u_changed: number | null;
}

/** Every token (optionally one user's), oldest first, with its status; never a secret or hash. */
export function listTokens(db: Database, filter: { readonly userId?: string } = {}): TokenListing[] {
  const rows = db
    .prepare(
      `SELECT t.*, u.role AS u_role, u.department AS u_department, u.active AS u_active, u.changed_position AS u_changed
       FROM tokens t LEFT JOIN token_users u ON u.user_id = t.user_id
       WHERE (? IS NULL OR t.user_id = ?) ORDER BY t.issued_position`,
    )
    .all(filter.userId ?? null, filter.userId ?? null) as ListRow[];
  const open = bootstrapOpen(db);
  return rows.map((r) => {
    const user = r.u_role === null ? null : { role: r.u_role, department: r.u_department!, active: r.u_active === 1, changedAt: r.u_changed };
    const status = tokenStatus({ revoked: r.revoked === 1, issuedAt: r.issued_position, role: r.role, department: r.department }, user, open);
    return {
      tokenId: r.token_id,
      userId: r.user_id,
      role: r.role,
      department: r.department,
      label: r.label,
      status,
      issuedPosition: r.issued_position,
      issuedAt: r.issued_at,
      issuedBy: r.issued_by,
      revokedAt: r.revoked_at,
      revokedBy: r.revoked_by,
      revokedReason: r.revoked_reason,
    };
  });
}
