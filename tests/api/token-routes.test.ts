import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHarness, people, type Harness } from './registers/harness.js';

describe('G3: GET /tokens and POST /tokens/:tokenId/revocation', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('G3: an admin lists every token with its status, never a secret or a hash', async () => {
    const res = await h.call('admin', 'GET', '/tokens');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { tokenId: string; userId: string; status: string }[];
    expect(items.map((t) => t.userId).sort()).toEqual(Object.values(people).map((p) => p.userId).sort());
    expect(items.every((t) => t.status === 'active')).toBe(true);
    for (const who of Object.keys(people) as (keyof typeof people)[]) {
      const secret = h.bearer(who).split('.')[1]!;
      expect(res.body).not.toContain(secret);
    }
    expect(res.body).not.toMatch(/secret|[0-9a-f]{64}/i);
    const one = await h.call('admin', 'GET', `/tokens?userId=${people.opA.userId}`);
    expect(one.json().items).toEqual([expect.objectContaining({ tokenId: h.tokenId('opA'), userId: 'op-a', role: 'operator', department: 'dept-a', revokedAt: null })]);
  });

  it('G3: listing tokens is for admins only (403), and needs a token (401)', async () => {
    for (const who of ['opA', 'principalA', 'inspectorA', 'auditor'] as const) {
      const res = await h.call(who, 'GET', '/tokens');
      expect(res.statusCode, who).toBe(403);
      expect(res.json().details).toMatchObject({ rule: 'L4', action: 'user.manage' });
    }
    expect((await h.call('anonymous', 'GET', '/tokens')).statusCode).toBe(401);
  });

  it('G3: an admin revokes a token: TokenRevoked with reason and actor is recorded, the token is refused from the next request, the listing says revoked', async () => {
    const res = await h.call('admin', 'POST', `/tokens/${h.tokenId('opB')}/revocation`, { reason: '令牌泄露 token leaked' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ streamId: `token-${h.tokenId('opB')}`, events: ['TokenRevoked'], replayed: false });
    const [event] = await h.rt.store.readStream(`token-${h.tokenId('opB')}`, 1);
    expect(event).toMatchObject({ type: 'TokenRevoked', payload: { tokenId: h.tokenId('opB'), reason: '令牌泄露 token leaked' }, actor: people.admin });
    const refused = await h.call('opB', 'GET', '/targets');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().details.reason).toBe('revoked');
    const listed = (await h.call('admin', 'GET', `/tokens?userId=${people.opB.userId}`)).json().items[0];
    expect(listed).toMatchObject({ status: 'revoked', revokedReason: '令牌泄露 token leaked', revokedBy: people.admin.userId });
    // Revoking again changes nothing.
    const again = await h.call('admin', 'POST', `/tokens/${h.tokenId('opB')}/revocation`, { reason: '再次' });
    expect(again.json()).toMatchObject({ events: [], position: null });
  });

  it('G3: a holder may revoke their own token (with that very token); the next request is refused', async () => {
    const res = await h.call('opA', 'POST', `/tokens/${h.tokenId('opA')}/revocation`, { reason: '设备丢失 lost laptop' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await h.call('opA', 'GET', '/targets')).statusCode).toBe(401);
  });

  it("G3: a non-admin may not revoke another user's token, nor learn whether an id exists (403 either way; nothing written)", async () => {
    const before = await h.head();
    for (const tokenId of [h.tokenId('opB'), h.tokenId('admin'), 'zzzzzzzzzzzzzzzz']) {
      for (const who of ['opA', 'auditor', 'principalA'] as const) {
        const res = await h.call(who, 'POST', `/tokens/${tokenId}/revocation`, { reason: '恶意吊销' });
        expect(res.statusCode, `${who} ${tokenId} ${res.body}`).toBe(403);
        expect(res.json()).toMatchObject({ error: 'FORBIDDEN', details: { rule: 'G3', action: 'token.revoke' } });
      }
    }
    expect(await h.head()).toEqual(before);
    expect((await h.call('opB', 'GET', '/targets')).statusCode).toBe(200);
  });

  it('refuses bad revocations with a coded error naming the field and writes nothing', async () => {
    const before = await h.head();
    const cases: [string, unknown, number, string, string][] = [
      [`/tokens/${h.tokenId('opB')}/revocation`, {}, 400, 'VALIDATION_FAILED', 'reason'],
      [`/tokens/${h.tokenId('opB')}/revocation`, { reason: '' }, 400, 'VALIDATION_FAILED', 'reason'],
      [`/tokens/${h.tokenId('opB')}/revocation`, { reason: 'x', extra: 1 }, 400, 'VALIDATION_FAILED', 'additionalProperties'],
      ['/tokens/NOT-AN-ID/revocation', { reason: 'x' }, 400, 'VALIDATION_FAILED', 'tokenId'],
      ['/tokens/zzzzzzzzzzzzzzzz/revocation', { reason: 'x' }, 404, 'NOT_FOUND', 'tokenId'],
    ];
    for (const [url, body, status, code, field] of cases) {
      const res = await h.call('admin', 'POST', url, body);
      expect(res.statusCode, `${url} ${res.body}`).toBe(status);
      expect(res.json().error).toBe(code);
      expect(JSON.stringify(res.json().details)).toContain(field);
      expect(res.json().messageZh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await h.call('anonymous', 'POST', `/tokens/${h.tokenId('opB')}/revocation`, { reason: 'x' })).statusCode).toBe(401);
    expect(await h.head()).toEqual(before);
  });
});
