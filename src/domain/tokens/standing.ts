import type { Actor, Role } from '../actor.js';
import type { PayloadOf } from '../event-definition.js';
import type { UserRegistered, UserRoleChanged } from '../registers/index.js';
import type { TokenIssued, TokenRevoked } from './events.js';

/**
 * G3: whether a token still speaks for its user. Pure folds over the token's and the user's
 * streams plus one verdict, shared by authentication (which reads the streams from the ledger
 * on every request) and by the token listing (which reads the same facts from a read model),
 * so the two can never disagree on what "active" means.
 */

/** A recorded event as these folds need it: the ledger position orders issuance against user changes. */
export interface PositionedEvent {
  readonly type: string;
  readonly position: number;
  readonly payload: unknown;
}

export interface IssuedToken {
  readonly tokenId: string;
  readonly userId: string;
  readonly role: Role;
  readonly department: string;
  readonly secretHash: string;
  readonly label: string | null;
  /** Ledger position of TokenIssued. */
  readonly issuedAt: number;
  readonly revoked: boolean;
}

export interface UserStanding {
  readonly role: Role;
  readonly department: string;
  readonly active: boolean;
  /** Ledger position of the last role or department change; null when never changed. */
  readonly changedAt: number | null;
}

export function tokenFromStream(events: readonly PositionedEvent[]): IssuedToken | null {
  let token = null as IssuedToken | null;
  for (const e of events) {
    if (e.type === 'TokenIssued') {
      const p = e.payload as PayloadOf<typeof TokenIssued>;
      token = { ...p, label: p.label ?? null, issuedAt: e.position, revoked: false };
    } else if (e.type === 'TokenRevoked' && token) {
      const p = e.payload as PayloadOf<typeof TokenRevoked>;
      if (p.tokenId === token.tokenId) token = { ...token, revoked: true };
    }
  }
  return token;
}

export function userStandingFromStream(events: readonly PositionedEvent[]): UserStanding | null {
  let user = null as UserStanding | null;
  for (const e of events) {
    if (e.type === 'UserRegistered') {
      const p = e.payload as PayloadOf<typeof UserRegistered>;
      user = { role: p.role, department: p.department, active: true, changedAt: null };
    } else if (e.type === 'UserRoleChanged' && user) {
      const p = e.payload as PayloadOf<typeof UserRoleChanged>;
      user = { ...user, role: p.role, department: p.department, changedAt: e.position };
    } else if (e.type === 'UserDeactivated' && user) {
      user = { ...user, active: false };
    }
  }
  return user;
}

export const tokenStatuses = ['active', 'revoked', 'userDeactivated', 'userChanged', 'userMismatch', 'userUnregistered'] as const;
export type TokenStatus = (typeof tokenStatuses)[number];

/**
 * - revoked: a TokenRevoked is recorded.
 * - userDeactivated: the user is deactivated (G3: a removed user keeps no working token).
 * - userChanged: the user's role or department changed after the token was issued. Judged by
 *   position, not by comparing values, so a change and its reversal (admin → auditor → admin)
 *   still ends the old token: the person was re-authorised, the token was not.
 * - userMismatch: the token's role or department is not the user's (issued around the register).
 * - userUnregistered: the user is not in the register and the bootstrap is over.
 *
 * `bootstrapOpen`: no admin has ever been registered. Until then a token of an unregistered user
 * (the first admin's, from `suiji token create` on an empty ledger) works, so the first admin can
 * register the users; the first admin registered ends it for good — it never reopens, so a
 * deactivation of every admin cannot revive old bootstrap tokens.
 */
export function tokenStatus(token: Pick<IssuedToken, 'revoked' | 'issuedAt' | 'role' | 'department'>, user: UserStanding | null, bootstrapOpen: boolean): TokenStatus {
  if (token.revoked) return 'revoked';
  if (user === null) return bootstrapOpen ? 'active' : 'userUnregistered';
  if (!user.active) return 'userDeactivated';
  if (user.changedAt !== null && user.changedAt > token.issuedAt) return 'userChanged';
  if (user.role !== token.role || user.department !== token.department) return 'userMismatch';
  return 'active';
}

/** The actor an active token stands for: the user's current role and department (equal to the token's). */
export const actorOfToken = (token: IssuedToken, user: UserStanding | null): Actor => ({
  userId: token.userId,
  role: user?.role ?? token.role,
  department: user?.department ?? token.department,
});

/** Whether a user event ends the bootstrap (an admin now exists in the register). */
export function makesAdmin(event: { readonly type: string; readonly payload: unknown }): boolean {
  if (event.type !== 'UserRegistered' && event.type !== 'UserRoleChanged') return false;
  return (event.payload as { role?: unknown }).role === 'admin';
}
