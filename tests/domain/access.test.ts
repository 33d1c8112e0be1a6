import { describe, expect, it } from 'vitest';
import { accessActions, authorize, type AccessAction } from '../../src/domain/access.js';
import type { Actor, Role } from '../../src/domain/actor.js';

type Who = Role | 'public';
type Where = 'own' | 'other' | 'none';

/**
 * The expected matrix, written out by hand (not derived from the code under test).
 * Letters: Y = allowed, . = refused; columns are own department / other department / no department.
 */
const matrix: Record<Who, Record<AccessAction, `${'Y' | '.'}${'Y' | '.'}${'Y' | '.'}`>> = {
  public: {
    'department.manage': '...', 'user.manage': '...', 'user.read': '...', 'itemList.publish': '...', 'target.write': '...',
    'specialRegister.write': '...', 'inspector.write': '...', 'expert.write': '...', 'register.read': '...', 'publicNotice.read': 'YYY',
    'plan.draft': '...', 'plan.file': '...', 'plan.acknowledge': '...', 'plan.read': '...',
    'task.create': '...', 'task.confirm': '...', 'task.read': '...', 'nonRandomInspection.record': '...', 'nonRandomInspection.read': '...',
    'evidence.write': '...', 'evidence.read': '...', 'form.publish': '...', 'form.choose': '...', 'form.read': '...',
    'result.write': '...', 'result.read': '...',
    'afterVisit.write': '...', 'followUp.read': '...', 'report.read': '...', 'stats.read': '...',
  },
  operator: {
    'department.manage': '...', 'user.manage': '...', 'user.read': 'Y..', 'itemList.publish': 'Y..', 'target.write': 'Y..',
    'specialRegister.write': 'Y..', 'inspector.write': 'Y..', 'expert.write': 'Y..', 'register.read': 'YYY', 'publicNotice.read': 'YYY',
    'plan.draft': 'Y..', 'plan.file': '...', 'plan.acknowledge': '...', 'plan.read': 'YYY',
    'task.create': 'Y..', 'task.confirm': '...', 'task.read': 'YYY', 'nonRandomInspection.record': 'Y..', 'nonRandomInspection.read': 'YYY',
    'evidence.write': 'Y..', 'evidence.read': 'YYY', 'form.publish': 'Y..', 'form.choose': 'Y..', 'form.read': 'YYY',
    'result.write': 'Y..', 'result.read': 'YYY',
    'afterVisit.write': 'Y..', 'followUp.read': 'YYY', 'report.read': 'YYY', 'stats.read': '...',
  },
  principal: {
    'department.manage': '...', 'user.manage': '...', 'user.read': 'Y..', 'itemList.publish': 'Y..', 'target.write': 'Y..',
    'specialRegister.write': 'Y..', 'inspector.write': 'Y..', 'expert.write': 'Y..', 'register.read': 'YYY', 'publicNotice.read': 'YYY',
    'plan.draft': 'Y..', 'plan.file': 'Y..', 'plan.acknowledge': 'Y..', 'plan.read': 'YYY',
    'task.create': 'Y..', 'task.confirm': 'Y..', 'task.read': 'YYY', 'nonRandomInspection.record': 'Y..', 'nonRandomInspection.read': 'YYY',
    'evidence.write': 'Y..', 'evidence.read': 'YYY', 'form.publish': 'Y..', 'form.choose': 'Y..', 'form.read': 'YYY',
    'result.write': 'Y..', 'result.read': 'YYY',
    'afterVisit.write': 'Y..', 'followUp.read': 'YYY', 'report.read': 'YYY', 'stats.read': 'YYY',
  },
  inspector: {
    'department.manage': '...', 'user.manage': '...', 'user.read': '...', 'itemList.publish': '...', 'target.write': '...',
    'specialRegister.write': '...', 'inspector.write': '...', 'expert.write': '...', 'register.read': 'YYY', 'publicNotice.read': 'YYY',
    'plan.draft': '...', 'plan.file': '...', 'plan.acknowledge': '...', 'plan.read': 'YYY',
    'task.create': '...', 'task.confirm': '...', 'task.read': 'YYY', 'nonRandomInspection.record': '...', 'nonRandomInspection.read': 'YYY',
    'evidence.write': 'Y..', 'evidence.read': 'YYY', 'form.publish': '...', 'form.choose': '...', 'form.read': 'YYY',
    'result.write': 'Y..', 'result.read': 'YYY',
    'afterVisit.write': '...', 'followUp.read': 'YYY', 'report.read': 'YYY', 'stats.read': '...',
  },
  auditor: {
    'department.manage': '...', 'user.manage': '...', 'user.read': 'YYY', 'itemList.publish': '...', 'target.write': '...',
    'specialRegister.write': '...', 'inspector.write': '...', 'expert.write': '...', 'register.read': 'YYY', 'publicNotice.read': 'YYY',
    'plan.draft': '...', 'plan.file': '...', 'plan.acknowledge': '...', 'plan.read': 'YYY',
    'task.create': '...', 'task.confirm': '...', 'task.read': 'YYY', 'nonRandomInspection.record': '...', 'nonRandomInspection.read': 'YYY',
    'evidence.write': '...', 'evidence.read': 'YYY', 'form.publish': '...', 'form.choose': '...', 'form.read': 'YYY',
    'result.write': '...', 'result.read': 'YYY',
    'afterVisit.write': '...', 'followUp.read': 'YYY', 'report.read': 'YYY', 'stats.read': 'YYY',
  },
  admin: {
    'department.manage': 'YYY', 'user.manage': 'YYY', 'user.read': 'YYY', 'itemList.publish': 'YYY', 'target.write': 'YYY',
    'specialRegister.write': 'YYY', 'inspector.write': 'YYY', 'expert.write': 'YYY', 'register.read': 'YYY', 'publicNotice.read': 'YYY',
    'plan.draft': 'YYY', 'plan.file': 'YYY', 'plan.acknowledge': 'YYY', 'plan.read': 'YYY',
    'task.create': 'YYY', 'task.confirm': 'YYY', 'task.read': 'YYY', 'nonRandomInspection.record': 'YYY', 'nonRandomInspection.read': 'YYY',
    'evidence.write': 'YYY', 'evidence.read': 'YYY', 'form.publish': 'YYY', 'form.choose': 'YYY', 'form.read': 'YYY',
    'result.write': 'YYY', 'result.read': 'YYY',
    'afterVisit.write': 'YYY', 'followUp.read': 'YYY', 'report.read': 'YYY', 'stats.read': 'YYY',
  },
  system: {
    'department.manage': 'YYY', 'user.manage': 'YYY', 'user.read': 'YYY', 'itemList.publish': 'YYY', 'target.write': 'YYY',
    'specialRegister.write': 'YYY', 'inspector.write': 'YYY', 'expert.write': 'YYY', 'register.read': 'YYY', 'publicNotice.read': 'YYY',
    'plan.draft': 'YYY', 'plan.file': 'YYY', 'plan.acknowledge': 'YYY', 'plan.read': 'YYY',
    'task.create': 'YYY', 'task.confirm': 'YYY', 'task.read': 'YYY', 'nonRandomInspection.record': 'YYY', 'nonRandomInspection.read': 'YYY',
    'evidence.write': 'YYY', 'evidence.read': 'YYY', 'form.publish': 'YYY', 'form.choose': 'YYY', 'form.read': 'YYY',
    'result.write': 'YYY', 'result.read': 'YYY',
    'afterVisit.write': 'YYY', 'followUp.read': 'YYY', 'report.read': 'YYY', 'stats.read': 'YYY',
  },
};

const wheres: Where[] = ['own', 'other', 'none'];
const cases = (Object.keys(matrix) as Who[]).flatMap((who) =>
  accessActions.flatMap((action) => wheres.map((where, i) => ({ who, action, where, allowed: matrix[who][action][i] === 'Y' }))),
);

describe('L4/G3: authorization matrix role × department × action', () => {
  it('covers every action of the catalogue', () => {
    for (const who of Object.keys(matrix) as Who[]) expect(Object.keys(matrix[who]).sort()).toEqual([...accessActions].sort());
    expect(cases).toHaveLength(7 * accessActions.length * 3);
  });

  it.each(cases)('L4: $who on $action ($where department) → allowed=$allowed', ({ who, action, where, allowed }) => {
    const actor: Actor | null = who === 'public' ? null : { userId: `u-${who}`, role: who, department: 'dept-a' };
    const resource = where === 'own' ? { department: 'dept-a' } : where === 'other' ? { department: 'dept-b' } : {};
    const result = authorize(actor, action, resource);
    if (allowed) expect(result).toBeNull();
    else {
      expect(result?.code).toBe('FORBIDDEN');
      expect(result?.details.rule).toBe('L4');
      expect(result?.details.action).toBe(action);
    }
  });
});
