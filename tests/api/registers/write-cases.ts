import type { RegisterCommandType } from '../../../src/domain/registers/index.js';
import { departmentBody, expertBody, freshId, freshUscc, inspectorBody, item, standardBody, targetBody, type Harness } from './harness.js';

export type WriteAction = 'department.manage' | 'user.manage' | 'itemList.publish' | 'target.write' | 'specialRegister.write' | 'inspector.write' | 'expert.write';

export interface WriteRequest {
  readonly method: 'POST' | 'PUT' | 'PATCH';
  readonly url: string;
  /** A body that changes something when the actor is allowed. */
  readonly body: Record<string, unknown>;
}

/** One register write route: what it needs in the ledger first (owned by `dept`), and its request. */
export interface WriteCase {
  readonly command: RegisterCommandType;
  readonly action: WriteAction;
  prepare(h: Harness, dept: string, other: string): Promise<WriteRequest>;
}

const reason = '测试 test';

async function seedTarget(h: Harness, dept: string): Promise<string> {
  const uscc = freshUscc();
  await h.seed({ type: 'RegisterTarget', data: targetBody(uscc, dept) });
  return uscc;
}
async function seedRegister(h: Harness, dept: string): Promise<string> {
  const registerId = freshId('sr');
  await h.seed({ type: 'DefineSpecialRegister', data: { registerId, department: dept, standard: standardBody('加油站') } });
  return registerId;
}
async function seedInspector(h: Harness, dept: string): Promise<string> {
  const id = freshId('in');
  await h.seed({ type: 'RegisterInspector', data: inspectorBody(id, dept) });
  return id;
}
async function seedExpert(h: Harness, dept: string): Promise<string> {
  const id = freshId('ex');
  await h.seed({ type: 'RegisterExpert', data: expertBody(id, dept) });
  return id;
}
const without = <T extends Record<string, unknown>, K extends keyof T>(o: T, k: K): Omit<T, K> => {
  const { [k]: _gone, ...rest } = o;
  return rest;
};

/** Every register command over HTTP (checked against `registerCommandTypes` in the tests). */
export const writeCases: readonly WriteCase[] = [
  { command: 'RegisterDepartment', action: 'department.manage', prepare: async () => ({ method: 'POST', url: '/departments', body: departmentBody(freshId('d')) }) },
  {
    command: 'UpdateDepartment',
    action: 'department.manage',
    async prepare(h) {
      const id = freshId('d');
      await h.seed({ type: 'RegisterDepartment', data: departmentBody(id) });
      return { method: 'PATCH', url: `/departments/${id}`, body: { changes: { name: `新名称 ${id}` } } };
    },
  },
  {
    command: 'RegisterUser',
    action: 'user.manage',
    prepare: async (_h, dept) => ({ method: 'POST', url: '/users', body: { userId: freshId('u'), name: '王五', role: 'operator', department: dept } }),
  },
  {
    command: 'ChangeUserRole',
    action: 'user.manage',
    async prepare(h, dept) {
      const userId = freshId('u');
      await h.seed({ type: 'RegisterUser', data: { userId, name: '王五', role: 'operator', department: dept } });
      return { method: 'PUT', url: `/users/${userId}/role`, body: { role: 'principal', department: dept } };
    },
  },
  {
    command: 'DeactivateUser',
    action: 'user.manage',
    async prepare(h, dept) {
      const userId = freshId('u');
      await h.seed({ type: 'RegisterUser', data: { userId, name: '王五', role: 'operator', department: dept } });
      return { method: 'POST', url: `/users/${userId}/deactivation`, body: { reason } };
    },
  },
  {
    command: 'PublishItemList',
    action: 'itemList.publish',
    prepare: async (_h, dept) => ({ method: 'POST', url: `/departments/${dept}/item-list/versions`, body: { items: [item(freshId('it'))], reason } }),
  },
  { command: 'RegisterTarget', action: 'target.write', prepare: async (_h, dept) => ({ method: 'POST', url: '/targets', body: targetBody(freshUscc(), dept) }) },
  {
    command: 'SyncTarget',
    action: 'target.write',
    async prepare(_h, dept) {
      const uscc = freshUscc();
      return { method: 'PUT', url: `/targets/${uscc}`, body: { ...without(targetBody(uscc, dept), 'uscc'), reason } };
    },
  },
  {
    command: 'UpdateTarget',
    action: 'target.write',
    async prepare(h, dept) {
      const uscc = await seedTarget(h, dept);
      return { method: 'PATCH', url: `/targets/${uscc}`, body: { changes: { name: `更名 ${uscc}`, flags: { dishonest: true } }, reason } };
    },
  },
  {
    command: 'ChangeTargetStatus',
    action: 'target.write',
    async prepare(h, dept) {
      return { method: 'POST', url: `/targets/${await seedTarget(h, dept)}/status`, body: { status: 'unreachable', reason } };
    },
  },
  {
    command: 'TransferTarget',
    action: 'target.write',
    async prepare(h, dept, other) {
      const body = { toDepartment: other, reason, approvedBy: 'pr-a', approvedOn: '2026-11-20' };
      return { method: 'POST', url: `/targets/${await seedTarget(h, dept)}/transfer`, body };
    },
  },
  {
    command: 'AdmitTargetToSpecialRegister',
    action: 'target.write',
    async prepare(h, dept) {
      const registerId = await seedRegister(h, dept);
      return { method: 'POST', url: `/targets/${await seedTarget(h, dept)}/special-registers`, body: { registerId } };
    },
  },
  {
    command: 'RemoveTargetFromSpecialRegister',
    action: 'target.write',
    async prepare(h, dept) {
      const registerId = await seedRegister(h, dept);
      const uscc = await seedTarget(h, dept);
      await h.seed({ type: 'AdmitTargetToSpecialRegister', data: { uscc, registerId, standard: { version: 1, indicators: standardBody('x').indicators } } });
      return { method: 'POST', url: `/targets/${uscc}/special-registers/${registerId}/removal`, body: { reason } };
    },
  },
  {
    command: 'DefineSpecialRegister',
    action: 'specialRegister.write',
    prepare: async (_h, dept) => ({ method: 'POST', url: '/special-registers', body: { registerId: freshId('sr'), department: dept, standard: standardBody('加油站') } }),
  },
  {
    command: 'ReviseRegisterStandard',
    action: 'specialRegister.write',
    async prepare(h, dept) {
      const registerId = await seedRegister(h, dept);
      return { method: 'PUT', url: `/special-registers/${registerId}/standard`, body: { standard: standardBody('加油站（修订）'), reason } };
    },
  },
  { command: 'RegisterInspector', action: 'inspector.write', prepare: async (_h, dept) => ({ method: 'POST', url: '/inspectors', body: inspectorBody(freshId('in'), dept) }) },
  {
    command: 'SyncInspector',
    action: 'inspector.write',
    async prepare(_h, dept) {
      const id = freshId('in');
      return { method: 'PUT', url: `/inspectors/${id}`, body: { ...without(inspectorBody(id, dept), 'inspectorId'), reason } };
    },
  },
  {
    command: 'UpdateInspector',
    action: 'inspector.write',
    async prepare(h, dept) {
      return { method: 'PATCH', url: `/inspectors/${await seedInspector(h, dept)}`, body: { changes: { region: '历山街道' }, reason } };
    },
  },
  {
    command: 'ChangeInspectorStatus',
    action: 'inspector.write',
    async prepare(h, dept) {
      return { method: 'POST', url: `/inspectors/${await seedInspector(h, dept)}/status`, body: { status: 'suspended', reason } };
    },
  },
  {
    command: 'DeclareInspectorConflict',
    action: 'inspector.write',
    async prepare(h, dept) {
      return { method: 'POST', url: `/inspectors/${await seedInspector(h, dept)}/conflicts`, body: { uscc: freshUscc(), reason } };
    },
  },
  {
    command: 'WithdrawInspectorConflict',
    action: 'inspector.write',
    async prepare(h, dept) {
      const inspectorId = await seedInspector(h, dept);
      const uscc = freshUscc();
      await h.seed({ type: 'DeclareInspectorConflict', data: { inspectorId, uscc, reason } });
      return { method: 'POST', url: `/inspectors/${inspectorId}/conflicts/${uscc}/withdrawal`, body: { reason } };
    },
  },
  { command: 'RegisterExpert', action: 'expert.write', prepare: async (_h, dept) => ({ method: 'POST', url: '/experts', body: expertBody(freshId('ex'), dept) }) },
  {
    command: 'UpdateExpert',
    action: 'expert.write',
    async prepare(h, dept) {
      return { method: 'PATCH', url: `/experts/${await seedExpert(h, dept)}`, body: { changes: { title: '正高级工程师' }, reason } };
    },
  },
  {
    command: 'ChangeExpertStatus',
    action: 'expert.write',
    async prepare(h, dept) {
      return { method: 'POST', url: `/experts/${await seedExpert(h, dept)}/status`, body: { status: 'left', reason } };
    },
  },
  {
    command: 'DeclareExpertConflict',
    action: 'expert.write',
    async prepare(h, dept) {
      return { method: 'POST', url: `/experts/${await seedExpert(h, dept)}/conflicts`, body: { uscc: freshUscc(), reason } };
    },
  },
  {
    command: 'WithdrawExpertConflict',
    action: 'expert.write',
    async prepare(h, dept) {
      const expertId = await seedExpert(h, dept);
      const uscc = freshUscc();
      await h.seed({ type: 'DeclareExpertConflict', data: { expertId, uscc, reason } });
      return { method: 'POST', url: `/experts/${expertId}/conflicts/${uscc}/withdrawal`, body: { reason } };
    },
  },
];
