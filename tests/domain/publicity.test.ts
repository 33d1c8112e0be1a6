import { describe, expect, it } from 'vitest';
import { allEventDefinitions } from '../../src/domain/events.js';
import { roles, type Actor } from '../../src/domain/actor.js';
import { mayRead, publicityRules, viewFor } from '../../src/domain/publicity.js';

const actor = (role: Actor['role'], department = 'dept-a'): Actor => ({ userId: `u-${role}`, role, department });
const staff = roles.filter((r) => r !== 'system').map((r) => actor(r));

describe('publicity rules per event type (P2, V4)', () => {
  it('P2: every event type of the catalogue has a read rule (a new type without one fails here)', () => {
    const missing = allEventDefinitions.map((d) => d.type).filter((t) => !Object.hasOwn(publicityRules, t));
    expect(missing).toEqual([]);
    const unknown = Object.keys(publicityRules).filter((t) => !allEventDefinitions.some((d) => d.type === t));
    expect(unknown).toEqual([]);
  });

  it('P2: the public fields of a public type are members of its schema', () => {
    for (const d of allEventDefinitions) {
      const rule = publicityRules[d.type]!;
      if (rule.audience !== 'public') continue;
      const props = Object.keys((d.schema as { properties?: object }).properties ?? {});
      for (const f of rule.publicFields) expect(props, `${d.type}.${f}`).toContain(f);
    }
  });

  it('V4: every draw event is public, so anyone replays a draw from the feed', () => {
    for (const t of ['DrawCommitted', 'WitnessSecretRevealed', 'DrandBeaconRecorded', 'CeremonyValueRecorded', 'DrawCompleted', 'DrawAbandoned', 'NoticePublished', 'ItemListVersionPublished']) {
      expect(mayRead(null, t), t).toBe(true);
    }
  });

  it('P2: anonymous readers get no register change, user, token, result or objection event', () => {
    for (const t of ['TargetRegistered', 'InspectorUpdated', 'UserRegistered', 'TokenIssued', 'TokenRevoked', 'ObjectionReceived', 'ResultsSubmitted', 'PlanDraftSaved', 'TaskCreated']) {
      expect(mayRead(null, t), t).toBe(false);
      expect(viewFor(null, { type: t, payload: {}, actor: actor('operator') })).toBeNull();
    }
  });

  it('P2: users and tokens are read by admin and auditor only', () => {
    for (const t of ['UserRegistered', 'UserRoleChanged', 'UserDeactivated', 'TokenIssued', 'TokenRevoked']) {
      expect(staff.filter((a) => mayRead(a, t)).map((a) => a.role).sort(), t).toEqual(['admin', 'auditor']);
    }
  });

  it('P2: register changes need a staff token; every internal role reads them', () => {
    expect(staff.filter((a) => mayRead(a, 'TargetUpdated')).map((a) => a.role).sort()).toEqual(['admin', 'auditor', 'inspector', 'operator', 'principal']);
  });

  it('P2: an unknown event type is read by nobody (fail closed)', () => {
    expect(mayRead(null, 'SomethingNew')).toBe(false);
    expect(mayRead(actor('admin'), 'SomethingNew')).toBe(false);
    expect(mayRead(actor('admin'), 'constructor')).toBe(false);
  });

  it('P2: the public view of a public event names the department, never the user id or role', () => {
    const v = viewFor(null, { type: 'CeremonyValueRecorded', payload: { drawId: 'd-1', value: 'v', extra: 'x' }, actor: actor('principal') });
    expect(v).toEqual({ payload: { drawId: 'd-1', value: 'v' }, actor: { department: 'dept-a' } });
    const staffView = viewFor(actor('inspector'), { type: 'CeremonyValueRecorded', payload: { drawId: 'd-1', value: 'v' }, actor: actor('principal') });
    expect(staffView?.actor).toEqual(actor('principal'));
  });

  it("G3: a token's secret hash is left out even for admin", () => {
    const v = viewFor(actor('admin'), { type: 'TokenIssued', payload: { tokenId: 't', secretHash: 'ab'.repeat(32), userId: 'u' }, actor: actor('admin') });
    expect(v?.payload).toEqual({ tokenId: 't', userId: 'u' });
  });
});
