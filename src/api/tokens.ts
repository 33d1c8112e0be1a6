import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Actor, Role } from '../domain/actor.js';
import { roles } from '../domain/actor.js';
import { findToken } from '../projections/tokens/projection.js';

/** Token text: `sj_<tokenId>.<secret>`; tokenId 16 × [a-z0-9], secret 32 random bytes base64url. */
const TOKEN = /^sj_([a-z0-9]{16})\.([A-Za-z0-9_-]{43})$/;

export interface NewToken {
  readonly tokenId: string;
  readonly secretHash: string;
  /** Shown once; never stored. */
  readonly token: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function mintToken(): NewToken {
  // 256 is not a multiple of 36; rejection keeps the id uniform.
  let tokenId = '';
  while (tokenId.length < 16) for (const b of randomBytes(32)) if (b < 252 && tokenId.length < 16) tokenId += ALPHABET[b % 36];
  const secret = randomBytes(32).toString('base64url');
  return { tokenId, secretHash: hashSecret(secret), token: `sj_${tokenId}.${secret}` };
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The actor a bearer token stands for, or null. Hashes compared in constant time. */
export function actorForToken(db: Database, token: string): Actor | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const row = findToken(db, m[1]!);
  const given = Buffer.from(hashSecret(m[2]!), 'hex');
  // Compare even when the id is unknown, so timing does not reveal which ids exist.
  const stored = Buffer.from(row?.secret_hash ?? '0'.repeat(64), 'hex');
  const match = timingSafeEqual(given, stored);
  if (!row || !match || row.revoked) return null;
  if (!(roles as readonly string[]).includes(row.role)) return null;
  return { userId: row.user_id, role: row.role as Role, department: row.department };
}
