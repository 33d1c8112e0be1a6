import { describe, expect, it } from 'vitest';
import type { GroupsResult } from '../../../src/verify/index.js';
import { loadVectors } from './helpers.js';

describe('spec §7.6: what a null group replacement leaves (issue 7 §6)', () => {
  const v = loadVectors().find((x) => x.name === 'inspector-groups')!;
  const root = v.steps.find((s) => s.record.commitment.kind === 'inspectorGroups')!.record.result as GroupsResult;
  const after = v.steps.find((s) => s.record.commitment.kind === 'replacement')!.record.result as GroupsResult;
  const nulled = after.replacements!.find((r) => r.replacement === null)!;

  it('T10 §7.6: unmatched is unchanged; the short group stays, one member fewer, same pool, next member leads', () => {
    expect(after.unmatched).toEqual(root.unmatched);
    const before = root.groups.find((g) => g.target === nulled.target)!;
    const now = after.groups.find((g) => g.target === nulled.target)!;
    expect(now.pool).toBe(before.pool);
    expect(now.members).toEqual(before.members.filter((m) => m !== nulled.member));
    expect(now.leader).toBe(now.members[0] ?? null);
    expect(after.groups.some((g) => g.members.includes(nulled.member))).toBe(false);
  });
});
