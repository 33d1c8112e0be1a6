import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import { roles } from '../domain/actor.js';
import { SuijiError } from '../domain/errors.js';
import { userStreamId } from '../domain/registers/index.js';
import { actorOfToken, tokenFromStream, tokenStatus, tokenStreamId, userStandingFromStream, type TokenStatus } from '../domain/tokens/index.js';
import type { EventStore } from '../store/port.js';

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

/**
 * G3: the actor a bearer token stands for, decided on the ledger itself: the token's stream and
 * its user's stream are read on every request (two indexed reads of a few events each), so a
 * revocation, deactivation or role change appended by any process — this server, another one
 * on the same ledger, the CLI — takes effect on the very next request, and a token issued a
 * moment ago works at once. Read models can lag or (issue 7 §4) be ahead of the ledger; the
 * decision does not rest on them. The one global fact, whether the bootstrap is over, comes
 * from the tokens read model after catching it up to the ledger head (`bootstrapOpen`).
 *
 * Throws UNAUTHENTICATED; the reason is given only once the secret has matched, so a guesser
 * learns nothing about which token ids exist.
 */
export async function authenticate(store: EventStore, bootstrapOpen: () => Promise<boolean>, token: string): Promise<Actor> {
  const m = TOKEN.exec(token);
  if (!m) throw unauthenticated();
  const issued = tokenFromStream(await store.readStream(tokenStreamId(m[1]!)));
  const given = Buffer.from(hashSecret(m[2]!), 'hex');
  // Compare even when the id is unknown, so timing does not reveal which ids exist.
  const stored = Buffer.from(issued?.secretHash ?? '0'.repeat(64), 'hex');
  const match = timingSafeEqual(given, stored);
  if (!issued || !match) throw unauthenticated();
  if (!(roles as readonly string[]).includes(issued.role) || issued.role === 'system') throw unauthenticated();
  const user = issued.revoked ? null : userStandingFromStream(await store.readStream(userStreamId(issued.userId)));
  const status = tokenStatus(issued, user, user === null && !issued.revoked ? await bootstrapOpen() : false);
  if (status !== 'active') throw unauthenticated(status);
  return actorOfToken(issued, user);
}

const reasons: Record<Exclude<TokenStatus, 'active'>, { zh: string; en: string }> = {
  revoked: { zh: '令牌已吊销', en: 'the token is revoked' },
  userDeactivated: { zh: '用户已停用', en: 'the user is deactivated' },
  userChanged: { zh: '用户的角色或部门在签发令牌后已变更，请重新签发', en: "the user's role or department changed after the token was issued; issue a new token" },
  userMismatch: { zh: '令牌的角色或部门与用户登记不符', en: "the token's role or department does not match the user register" },
  userUnregistered: { zh: '用户未登记', en: 'the user is not registered' },
};

function unauthenticated(status?: Exclude<TokenStatus, 'active'>): SuijiError {
  if (!status) return new SuijiError('UNAUTHENTICATED', { field: 'authorization' });
  const r = reasons[status];
  return new SuijiError('UNAUTHENTICATED', { field: 'authorization', rule: 'G3', reason: status }, { zh: `G3：令牌无效：${r.zh}`, en: `G3: token refused: ${r.en}` });
}
