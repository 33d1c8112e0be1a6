import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import {
  decideToken,
  evolveToken,
  initialTokenState,
  tokenFromStream,
  tokenStatus,
  userStandingFromStream,
  type PositionedEvent,
  type TokenEvent,
  type TokenState,
} from '../../../src/domain/tokens/index.js';

const hash = 'a'.repeat(64);
const issued = (position: number, over: Record<string, unknown> = {}): PositionedEvent => ({
  type: 'TokenIssued',
  position,
  payload: { tokenId: 'tok0000000000001', userId: 'u1', role: 'operator', department: 'dept-a', secretHash: hash, ...over },
});
const registered = (position: number, role = 'operator', department = 'dept-a'): PositionedEvent => ({
  type: 'UserRegistered',
  position,
  payload: { userId: 'u1', name: '张三', role, department },
});
const changed = (position: number, role: string, department: string): PositionedEvent => ({ type: 'UserRoleChanged', position, payload: { userId: 'u1', role, department } });
const deactivated = (position: number): PositionedEvent => ({ type: 'UserDeactivated', position, payload: { userId: 'u1', reason: '离职' } });
const revoked = (position: number): PositionedEvent => ({ type: 'TokenRevoked', position, payload: { tokenId: 'tok0000000000001', reason: '泄露' } });

/** Given the token's and the user's streams (positions interleaved as in the ledger), then the status. */
const cases: [string, PositionedEvent[], PositionedEvent[] | null, boolean, string][] = [
  ['a token of a registered, unchanged user', [issued(5)], [registered(1)], false, 'active'],
  ['a token issued before the user was registered, matching the register', [issued(1)], [registered(5)], false, 'active'],
  ['a revoked token', [issued(5), revoked(6)], [registered(1)], false, 'revoked'],
  ['a deactivated user', [issued(5)], [registered(1), deactivated(7)], false, 'userDeactivated'],
  ['a user whose role changed after issuance', [issued(5)], [registered(1), changed(7, 'auditor', 'dept-a')], false, 'userChanged'],
  ['a user whose department changed after issuance', [issued(5)], [registered(1), changed(7, 'operator', 'dept-b')], false, 'userChanged'],
  ['a change and its reversal after issuance', [issued(5)], [registered(1), changed(7, 'auditor', 'dept-a'), changed(8, 'operator', 'dept-a')], false, 'userChanged'],
  ['a token issued after the change, for the new role', [issued(9, { role: 'auditor' })], [registered(1), changed(7, 'auditor', 'dept-a')], false, 'active'],
  ['a token issued after the change, for the old role', [issued(9)], [registered(1), changed(7, 'auditor', 'dept-a')], false, 'userMismatch'],
  ['a token whose department differs from the register', [issued(5, { department: 'dept-b' })], [registered(1)], false, 'userMismatch'],
  ['an unregistered user during the bootstrap', [issued(0)], null, true, 'active'],
  ['an unregistered user after the bootstrap', [issued(0)], null, false, 'userUnregistered'],
  ['a revoked bootstrap token', [issued(0), revoked(1)], null, true, 'revoked'],
];

describe('G3: a token stands for its user as the user is now', () => {
  for (const [name, tokenEvents, userEvents, bootstrap, expected] of cases) {
    it(`G3: ${name} → ${expected}`, () => {
      const token = tokenFromStream(tokenEvents)!;
      const user = userEvents === null ? null : userStandingFromStream(userEvents);
      expect(tokenStatus(token, user, bootstrap)).toBe(expected);
    });
  }

  it('an empty stream is no token and no user', () => {
    expect(tokenFromStream([])).toBeNull();
    expect(userStandingFromStream([])).toBeNull();
  });
});

describe('G3: who may revoke a token (RevokeToken)', () => {
  const state: TokenState = evolveToken(initialTokenState, { type: 'TokenIssued', payload: { tokenId: 'tok0000000000001', userId: 'u1', role: 'operator', department: 'dept-a', secretHash: hash } } as TokenEvent);
  const revoke = (actor: Actor, s: TokenState = state) =>
    decideToken({ type: 'RevokeToken', data: { tokenId: 'tok0000000000001', reason: '泄露' }, metadata: { actor, now: '2026-11-25T08:00:00.000Z', commandId: 'c1' } }, s);

  it('G3: an admin revokes any token; the holder revokes their own', () => {
    expect(revoke({ userId: 'boss', role: 'admin', department: 'bureau' })).toEqual([{ type: 'TokenRevoked', payload: { tokenId: 'tok0000000000001', reason: '泄露' } }]);
    expect(revoke({ userId: 'u1', role: 'operator', department: 'dept-a' })).toHaveLength(1);
  });

  it("G3: anyone else is refused (403), whether or not the token exists", () => {
    for (const s of [state, initialTokenState]) {
      const e = revoke({ userId: 'u2', role: 'auditor', department: 'bureau' }, s);
      expect(e).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'G3', action: 'token.revoke' } });
    }
  });

  it('an unknown token is 404 for an admin; a revoked one is a no-op', () => {
    expect(revoke({ userId: 'boss', role: 'admin', department: 'bureau' }, initialTokenState)).toMatchObject({ code: 'NOT_FOUND' });
    const gone = evolveToken(state, { type: 'TokenRevoked', payload: { tokenId: 'tok0000000000001', reason: 'x' } });
    expect(revoke({ userId: 'boss', role: 'admin', department: 'bureau' }, gone)).toEqual([]);
  });
});
