import { describe, expect, it } from 'vitest';
import { targetDecider, type TargetEvent } from '../../../src/domain/registers/index.js';
import { actors, decideOn, expectError, expectEvents, meta, targetRecord, USCC1 } from './helpers.js';

const registered: TargetEvent = { type: 'TargetRegistered', payload: targetRecord() };

describe('when a target is registered (L4 comprehensive register, L6)', () => {
  it('L4: the jurisdiction department registers a target', () => {
    const out = expectEvents(decideOn(targetDecider, [], { type: 'RegisterTarget', data: targetRecord(), metadata: meta(actors.opA) }));
    expect(out).toEqual([registered]);
  });

  it('L6: an invalid credit code is refused, naming the field', () => {
    const bad = targetRecord({ uscc: `${USCC1.slice(0, 17)}${USCC1[17] === '0' ? '1' : '0'}` });
    const e = expectError(decideOn(targetDecider, [], { type: 'RegisterTarget', data: bad, metadata: meta(actors.opA) }), 'VALIDATION_FAILED', 'L6');
    expect(e.details.field).toBe('/uscc');
  });

  it('L4: another department cannot register a target into dept-a jurisdiction', () => {
    expectError(decideOn(targetDecider, [], { type: 'RegisterTarget', data: targetRecord(), metadata: meta(actors.opB) }), 'FORBIDDEN', 'L4');
  });

  it('L4: auditors and inspectors write nothing', () => {
    expectError(decideOn(targetDecider, [], { type: 'RegisterTarget', data: targetRecord(), metadata: meta(actors.auditor) }), 'FORBIDDEN', 'L4');
    expectError(decideOn(targetDecider, [], { type: 'RegisterTarget', data: targetRecord(), metadata: meta(actors.inspectorA) }), 'FORBIDDEN', 'L4');
  });

  it('L4: registering twice is refused', () => {
    expectError(decideOn(targetDecider, [registered], { type: 'RegisterTarget', data: targetRecord(), metadata: meta(actors.opA) }), 'ALREADY_EXISTS');
  });
});

describe('when a target is maintained (L4 谁管辖、谁维护)', () => {
  it('L4: only changed fields are recorded; an unchanged update records nothing', () => {
    const out = expectEvents(
      decideOn(targetDecider, [registered], {
        type: 'UpdateTarget',
        data: { uscc: USCC1, changes: { riskLevel: 'D', name: targetRecord().name, flags: { dishonest: true } }, reason: '年度风险评定' },
        metadata: meta(actors.opA),
      }),
    );
    expect(out).toEqual([
      {
        type: 'TargetUpdated',
        payload: { uscc: USCC1, changes: { riskLevel: 'D', flags: { ...targetRecord().flags, dishonest: true } }, reason: '年度风险评定' },
      },
    ]);
    const none = decideOn(targetDecider, [registered], { type: 'UpdateTarget', data: { uscc: USCC1, changes: { riskLevel: 'B' }, reason: 'x' }, metadata: meta(actors.opA) });
    expect(none).toEqual([]);
  });

  it('L4: a department without jurisdiction cannot change the target; admin can', () => {
    const cmd = { type: 'UpdateTarget' as const, data: { uscc: USCC1, changes: { riskLevel: 'C' as const }, reason: 'x' } };
    expectError(decideOn(targetDecider, [registered], { ...cmd, metadata: meta(actors.opB) }), 'FORBIDDEN', 'L4');
    expect(expectEvents(decideOn(targetDecider, [registered], { ...cmd, metadata: meta(actors.admin) }))).toHaveLength(1);
  });

  it('E8: after a transfer the new jurisdiction maintains the target and the old one cannot', () => {
    const transferred = expectEvents(
      decideOn(targetDecider, [registered], {
        type: 'TransferTarget',
        data: { uscc: USCC1, toDepartment: 'dept-b', reason: '迁入鲁村镇', approvedBy: 'pr-a', approvedOn: '2026-11-20' },
        metadata: meta(actors.opA),
      }),
    );
    expect(transferred[0]).toMatchObject({ type: 'TargetTransferred', payload: { fromDepartment: 'dept-a', toDepartment: 'dept-b' } });
    const history = [registered, ...transferred];
    const cmd = { type: 'ChangeTargetStatus' as const, data: { uscc: USCC1, status: 'unreachable' as const, reason: '查无下落' } };
    expectError(decideOn(targetDecider, history, { ...cmd, metadata: meta(actors.opA) }), 'FORBIDDEN', 'L4');
    expect(expectEvents(decideOn(targetDecider, history, { ...cmd, metadata: meta(actors.opB) }))[0]).toMatchObject({
      type: 'TargetStatusChanged',
      payload: { from: 'active', status: 'unreachable' },
    });
  });

  it('L4: a change of an unknown target is NOT_FOUND', () => {
    expectError(decideOn(targetDecider, [], { type: 'ChangeTargetStatus', data: { uscc: USCC1, status: 'revoked', reason: 'x' }, metadata: meta(actors.opA) }), 'NOT_FOUND');
  });
});

describe('when a target is synchronised from an import (L4, idempotent)', () => {
  it('L4: sync registers a new target, then records nothing for the same row', () => {
    const first = expectEvents(decideOn(targetDecider, [], { type: 'SyncTarget', data: targetRecord(), metadata: meta(actors.opA) }));
    expect(first).toEqual([registered]);
    expect(decideOn(targetDecider, first, { type: 'SyncTarget', data: targetRecord(), metadata: meta(actors.opA) })).toEqual([]);
  });

  it('L4: sync records attribute changes and a status change separately', () => {
    const out = expectEvents(
      decideOn(targetDecider, [registered], { type: 'SyncTarget', data: targetRecord({ scale: 'medium', status: 'deregistered' }), metadata: meta(actors.opA) }),
    );
    expect(out.map((e) => e.type)).toEqual(['TargetUpdated', 'TargetStatusChanged']);
  });

  it('L4: sync refuses a change of jurisdiction (that is a transfer, E8)', () => {
    const e = expectError(decideOn(targetDecider, [registered], { type: 'SyncTarget', data: targetRecord({ jurisdiction: 'dept-b' }), metadata: meta(actors.admin) }), 'RULE_VIOLATION', 'L4');
    expect(e.details.field).toBe('/jurisdiction');
  });
});

describe('when a target joins a special register (L4 分类专项名录库)', () => {
  const standard = { version: 1, indicators: { industry: ['F5265'], keyIndustry: true } };

  it('L4: a target meeting the standard is admitted, recording the standard version', () => {
    const out = expectEvents(decideOn(targetDecider, [registered], { type: 'AdmitTargetToSpecialRegister', data: { uscc: USCC1, registerId: 'fuel', standard }, metadata: meta(actors.opA) }));
    expect(out).toEqual([{ type: 'TargetAdmittedToSpecialRegister', payload: { uscc: USCC1, registerId: 'fuel', standardVersion: 1, indicators: standard.indicators } }]);
  });

  it('L4: a target not meeting the standard is refused with the failing indicator', () => {
    const e = expectError(
      decideOn(targetDecider, [registered], {
        type: 'AdmitTargetToSpecialRegister',
        data: { uscc: USCC1, registerId: 'cars', standard: { version: 2, indicators: { industry: ['F526'], scale: ['large'] } } },
        metadata: meta(actors.opA),
      }),
      'RULE_VIOLATION',
      'L4',
    );
    expect(e.details.indicator).toBe('scale');
    expect(e.details.field).toBe('/standard/indicators/scale');
  });

  it('L4: a member that stops meeting the standard leaves the register in the same decision', () => {
    const admitted = expectEvents(decideOn(targetDecider, [registered], { type: 'AdmitTargetToSpecialRegister', data: { uscc: USCC1, registerId: 'fuel', standard }, metadata: meta(actors.opA) }));
    const out = expectEvents(
      decideOn(targetDecider, [registered, ...admitted], { type: 'UpdateTarget', data: { uscc: USCC1, changes: { industry: 'F5211' }, reason: '变更经营范围' }, metadata: meta(actors.opA) }),
    );
    expect(out.map((e) => e.type)).toEqual(['TargetUpdated', 'TargetRemovedFromSpecialRegister']);
    expect(out[1]?.payload).toMatchObject({ registerId: 'fuel' });
  });

  it('L4: removal from a register the target is not in records nothing', () => {
    expect(decideOn(targetDecider, [registered], { type: 'RemoveTargetFromSpecialRegister', data: { uscc: USCC1, registerId: 'fuel', reason: 'x' }, metadata: meta(actors.opA) })).toEqual([]);
  });
});
