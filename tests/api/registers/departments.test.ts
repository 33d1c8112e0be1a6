import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentBody, openHarness, type Harness } from './harness.js';

describe('G3: departments over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('G3: an admin registers an office under an existing department; everyone signed in reads the chart', async () => {
    const res = await h.call('admin', 'POST', '/departments', { ...departmentBody('dept-c'), parentDepartment: 'dept-a' });
    expect(res.statusCode).toBe(201);
    const chart = (await h.call('inspectorA', 'GET', '/departments')).json().items;
    expect(chart.map((d: { departmentId: string }) => d.departmentId)).toEqual(['bureau', 'dept-a', 'dept-b', 'dept-c']);
    expect((await h.call('opB', 'GET', '/departments/dept-c')).json()).toMatchObject({ departmentId: 'dept-c', parentDepartment: 'dept-a', kind: 'office' });
    expect((await h.call('opB', 'GET', '/departments/none')).statusCode).toBe(404);
  });

  it('G3: a parent that does not exist, the department itself, or one below it is refused naming the field; nothing written', async () => {
    const before = await h.head();
    const missing = await h.call('admin', 'POST', '/departments', { ...departmentBody('dept-x'), parentDepartment: 'nowhere' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details).toMatchObject({ rule: 'G3', field: '/parentDepartment' });
    const self = await h.call('admin', 'POST', '/departments', { ...departmentBody('dept-y'), parentDepartment: 'dept-y' });
    expect(self.json().details).toMatchObject({ rule: 'G3', field: '/parentDepartment' });
    // dept-c sits under dept-a (previous test): making dept-a a child of dept-c would close a cycle.
    const cycle = await h.call('admin', 'PATCH', '/departments/dept-a', { changes: { parentDepartment: 'dept-c' } });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().details).toMatchObject({ rule: 'G3', field: '/changes/parentDepartment' });
    expect(cycle.json().messageZh).toContain('循环');
    expect(await h.head()).toEqual(before);
  });

  it('G3: moving a department under another office and renaming it are recorded in its history', async () => {
    const moved = await h.call('admin', 'PATCH', '/departments/dept-c', { changes: { parentDepartment: 'dept-b', name: '综合科' } });
    expect(moved.json().events).toEqual(['DepartmentUpdated']);
    const hist = (await h.call('auditor', 'GET', '/departments/dept-c/history')).json();
    expect(hist.events.map((e: { type: string }) => e.type)).toEqual(['DepartmentRegistered', 'DepartmentUpdated']);
    expect(hist.events[1].payload.changes).toEqual({ parentDepartment: 'dept-b', name: '综合科' });
  });

  it('G3: only an admin manages the chart', async () => {
    const before = await h.head();
    for (const who of ['opA', 'principalA', 'auditor', 'inspectorA'] as const) {
      const res = await h.call(who, 'PATCH', '/departments/dept-a', { changes: { name: '改名' } });
      expect(res.statusCode, who).toBe(403);
      expect(res.json().details).toMatchObject({ rule: 'L4', action: 'department.manage' });
    }
    expect(await h.head()).toEqual(before);
  });
});
