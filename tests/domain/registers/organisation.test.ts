import { describe, expect, it } from 'vitest';
import { departmentDecider, userDecider, type DepartmentEvent, type UserEvent } from '../../../src/domain/registers/index.js';
import { actors, decideOn, expectError, expectEvents, meta } from './helpers.js';

const bureau = { departmentId: 'bureau', name: '沂源县商务局', kind: 'bureau' as const, parentDepartment: null, regionCode: '370323', neighbouringRegions: [{ regionCode: '370304', name: '博山区' }] };
const office = { departmentId: 'dept-a', name: '流通发展科', kind: 'office' as const, parentDepartment: 'bureau', regionCode: '370323', neighbouringRegions: [] };

describe('G3: departments', () => {
  it('G3: admin registers the bureau and its offices', () => {
    expect(expectEvents(decideOn(departmentDecider, [], { type: 'RegisterDepartment', data: bureau, metadata: meta(actors.admin) }))).toEqual([{ type: 'DepartmentRegistered', payload: bureau }]);
    expect(expectEvents(decideOn(departmentDecider, [], { type: 'RegisterDepartment', data: office, metadata: meta(actors.admin) }))).toHaveLength(1);
  });

  it('G3: operators cannot manage departments, even their own', () => {
    expectError(decideOn(departmentDecider, [], { type: 'RegisterDepartment', data: office, metadata: meta(actors.opA) }), 'FORBIDDEN', 'L4');
  });

  it('G3: a department cannot be its own parent', () => {
    expectError(decideOn(departmentDecider, [], { type: 'RegisterDepartment', data: { ...office, parentDepartment: 'dept-a' }, metadata: meta(actors.admin) }), 'VALIDATION_FAILED', 'G3');
  });

  it('G3/T8: an update records only what changed (e.g. the neighbouring regions)', () => {
    const history: DepartmentEvent[] = [{ type: 'DepartmentRegistered', payload: office }];
    const neighbours = [{ regionCode: '371323', name: '沂水县' }];
    const out = expectEvents(decideOn(departmentDecider, history, { type: 'UpdateDepartment', data: { departmentId: 'dept-a', changes: { name: office.name, neighbouringRegions: neighbours } }, metadata: meta(actors.admin) }));
    expect(out).toEqual([{ type: 'DepartmentUpdated', payload: { departmentId: 'dept-a', changes: { neighbouringRegions: neighbours } } }]);
    expect(decideOn(departmentDecider, history, { type: 'UpdateDepartment', data: { departmentId: 'dept-a', changes: { name: office.name } }, metadata: meta(actors.admin) })).toEqual([]);
  });
});

describe('G3: users', () => {
  const user = { userId: 'zhang', name: '张三', role: 'operator' as const, department: 'dept-a' };
  const registered: UserEvent = { type: 'UserRegistered', payload: user };

  it('G3: admin registers a user with a role and a department; others cannot', () => {
    expect(expectEvents(decideOn(userDecider, [], { type: 'RegisterUser', data: user, metadata: meta(actors.admin) }))).toEqual([registered]);
    expectError(decideOn(userDecider, [], { type: 'RegisterUser', data: user, metadata: meta(actors.principalA) }), 'FORBIDDEN', 'L4');
  });

  it('G3: a role change and a deactivation are events; a deactivated user cannot change role', () => {
    const changed = expectEvents(decideOn(userDecider, [registered], { type: 'ChangeUserRole', data: { userId: 'zhang', role: 'principal', department: 'dept-a' }, metadata: meta(actors.admin) }));
    expect(changed[0]?.type).toBe('UserRoleChanged');
    const off = expectEvents(decideOn(userDecider, [registered], { type: 'DeactivateUser', data: { userId: 'zhang', reason: '调离' }, metadata: meta(actors.admin) }));
    expect(off[0]?.type).toBe('UserDeactivated');
    expectError(decideOn(userDecider, [registered, ...off], { type: 'ChangeUserRole', data: { userId: 'zhang', role: 'admin', department: 'dept-a' }, metadata: meta(actors.admin) }), 'RULE_VIOLATION', 'G3');
  });
});
