import { describe, expect, it } from 'vitest';
import { departmentHierarchyProblem, type RegisterCommand } from '../../../src/domain/registers/index.js';
import { departmentParents } from '../../../src/projections/registers/index.js';
import { openHarness } from '../../projections/registers/harness.js';
import { actors, meta } from './helpers.js';

// bureau ← dept-a ← unit-a1 ← team-x ; bureau ← dept-b
const chart = new Map<string, string | null>([
  ['bureau', null],
  ['dept-a', 'bureau'],
  ['dept-b', 'bureau'],
  ['unit-a1', 'dept-a'],
  ['team-x', 'unit-a1'],
]);

describe('G3: the organisation chart stays a tree', () => {
  it('G3: a root, or a parent that exists and is not below the department, is accepted', () => {
    expect(departmentHierarchyProblem(chart, 'dept-c', null)).toBeNull();
    expect(departmentHierarchyProblem(chart, 'dept-c', 'bureau')).toBeNull();
    expect(departmentHierarchyProblem(chart, 'team-x', 'dept-b', '/changes/parentDepartment')).toBeNull();
    expect(departmentHierarchyProblem(chart, 'dept-b', 'team-x')).toBeNull();
  });

  it('G3: an unknown parent is refused with a bilingual error naming the field', () => {
    const e = departmentHierarchyProblem(chart, 'dept-c', 'nowhere');
    expect(e).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: '/parentDepartment', rule: 'G3' } });
    expect(e?.messageZh).toContain('上级部门不存在：nowhere');
    expect(e?.messageEn).toContain('the parent department does not exist: nowhere');
  });

  it('G3: a parent at or below the department (a cycle) is refused, at any depth', () => {
    expect(departmentHierarchyProblem(chart, 'dept-a', 'dept-a')?.messageEn).toContain('own parent');
    expect(departmentHierarchyProblem(chart, 'dept-a', 'unit-a1', '/changes/parentDepartment')).toMatchObject({ details: { field: '/changes/parentDepartment' } });
    expect(departmentHierarchyProblem(chart, 'dept-a', 'team-x')?.messageZh).toContain('循环');
    expect(departmentHierarchyProblem(chart, 'bureau', 'team-x')?.messageEn).toContain('cycle');
  });

  it('terminates on a chart that already has a cycle', () => {
    const broken = new Map<string, string | null>([['p', 'q'], ['q', 'p']]);
    expect(departmentHierarchyProblem(broken, 'new', 'p')).toBeNull();
    expect(departmentHierarchyProblem(broken, 'p', 'q')?.messageEn).toContain('cycle');
  });

  it('G3: departmentParents reads the chart from the departments read model', async () => {
    const h = await openHarness();
    try {
      const dept = (departmentId: string, parentDepartment: string | null): RegisterCommand => ({
        type: 'RegisterDepartment',
        data: { departmentId, name: `部门${departmentId}`, kind: parentDepartment ? 'office' : 'bureau', parentDepartment, regionCode: '370323', neighbouringRegions: [] },
        metadata: meta(actors.admin),
      });
      await h.run(dept('bureau', null));
      await h.run(dept('dept-a', 'bureau'));
      await h.runner.catchUp();
      const parents = departmentParents(h.db);
      expect(parents).toEqual(new Map([['bureau', null], ['dept-a', 'bureau']]));
      expect(departmentHierarchyProblem(parents, 'bureau', 'dept-a')?.code).toBe('VALIDATION_FAILED');
      expect(departmentHierarchyProblem(parents, 'dept-b', 'dept-c')?.messageEn).toContain('does not exist');
    } finally {
      await h.close();
    }
  });
});
