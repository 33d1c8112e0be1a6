import type { Database } from 'better-sqlite3';
import type { Projection } from '../projection.js';
import type { RecordedEvent } from '../../store/port.js';
import type { PayloadOf } from '../../domain/event-definition.js';
import type { TokenIssued, TokenRevoked } from '../../domain/tokens/events.js';

/** API tokens by id, for bearer authentication. Holds only secret hashes. */
export const tokensProjection: Projection = {
  name: 'tokens',
  version: 1,
  setup(db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS tokens (
      token_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, role TEXT NOT NULL, department TEXT NOT NULL,
      secret_hash TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, issued_at TEXT NOT NULL)`);
  },
  reset(db: Database) {
    db.exec('DROP TABLE IF EXISTS tokens');
  },
  apply(db: Database, event: RecordedEvent) {
    if (event.type === 'TokenIssued') {
      // Payloads were schema-checked at append time (src/domain/catalogue.ts).
      const p = event.payload as PayloadOf<typeof TokenIssued>;
      db.prepare('INSERT OR REPLACE INTO tokens (token_id, user_id, role, department, secret_hash, revoked, issued_at) VALUES (?, ?, ?, ?, ?, 0, ?)').run(
        p.tokenId, p.userId, p.role, p.department, p.secretHash, event.recordedAt,
      );
    } else if (event.type === 'TokenRevoked') {
      const p = event.payload as PayloadOf<typeof TokenRevoked>;
      db.prepare('UPDATE tokens SET revoked = 1 WHERE token_id = ?').run(p.tokenId);
    }
  },
};

export interface TokenRow {
  readonly token_id: string;
  readonly user_id: string;
  readonly role: string;
  readonly department: string;
  readonly secret_hash: string;
  readonly revoked: number;
}

export const findToken = (db: Database, tokenId: string): TokenRow | undefined =>
  db.prepare('SELECT token_id, user_id, role, department, secret_hash, revoked FROM tokens WHERE token_id = ?').get(tokenId) as TokenRow | undefined;
