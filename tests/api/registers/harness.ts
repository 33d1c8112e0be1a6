import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { buildApp, type BuildOptions } from '../../../src/api/app.js';
import { mintToken } from '../../../src/api/tokens.js';
import { openRuntime, type Runtime } from '../../../src/cli/runtime.js';
import { systemActor, type Actor } from '../../../src/domain/actor.js';
import {
  registerDepartmentSchema,
  registerExpertSchema,
  registerInspectorSchema,
  registerTargetSchema,
  routeRegisterCommand,
  type Item,
  type RegisterCommand,
  type RegisterStandard,
} from '../../../src/domain/registers/index.js';
import { tokenDecider, tokenStreamId } from '../../../src/domain/tokens/index.js';
import { usccCheckChar } from '../../../src/domain/uscc.js';
import { handleCommand } from '../../../src/store/handle-command.js';
import type { LedgerHead } from '../../../src/store/port.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { testStoreFor } from '../../helpers/test-store.js';

/** The cast of every HTTP test: one actor per role, two departments (G3), and the public. */
export const people = {
  admin: { userId: 'admin-1', role: 'admin', department: 'bureau' },
  opA: { userId: 'op-a', role: 'operator', department: 'dept-a' },
  principalA: { userId: 'pr-a', role: 'principal', department: 'dept-a' },
  inspectorA: { userId: 'in-a', role: 'inspector', department: 'dept-a' },
  auditor: { userId: 'au-1', role: 'auditor', department: 'bureau' },
  opB: { userId: 'op-b', role: 'operator', department: 'dept-b' },
  // G3: four more, for the rows of users whose standing changes after their token was issued.
  exAdmin: { userId: 'admin-2', role: 'admin', department: 'bureau' },
  leaver: { userId: 'op-leaver', role: 'operator', department: 'dept-a' },
  mover: { userId: 'op-mover', role: 'operator', department: 'dept-a' },
  revokedOp: { userId: 'op-revoked', role: 'operator', department: 'dept-a' },
} as const satisfies Record<string, Actor>;
export type Who = keyof typeof people | 'anonymous';

export interface Harness {
  readonly rt: Runtime;
  readonly app: FastifyInstance;
  /** An HTTP request as `who`, with a JSON body when given. */
  call(who: Who, method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The Authorization header value of `who`. */
  bearer(who: Exclude<Who, 'anonymous'>): string;
  /** The token id of `who`'s token (the part between `sj_` and the dot). */
  tokenId(who: Exclude<Who, 'anonymous'>): string;
  /** Issues a new token for `actor` (as the console would) and returns its Authorization header value. */
  issue(actor: Actor): Promise<string>;
  /** An HTTP request with the given Authorization header value. */
  callWith(authorization: string, method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Writes a register command straight through the handler as `actor` (test set-up). */
  seed(command: Omit<RegisterCommand, 'metadata'>, actor?: Actor): Promise<void>;
  head(): Promise<LedgerHead>;
  close(): Promise<void>;
}

export async function openHarness(options: BuildOptions = { publicRateLimit: false }): Promise<Harness> {
  const dir = tempDir('suiji-api-');
  // SUIJI_TEST_STORE=postgres runs the same suites on a PostgreSQL ledger (tests/helpers/test-store.ts).
  const store = await testStoreFor(dir.path);
  const rt = await openRuntime(dir.path, store === undefined ? {} : { store });
  const app = await buildApp({ store: rt.store, projections: rt.projections, evidence: rt.evidence }, options);
  const tokens = new Map<string, string>();
  const issue = async (actor: Actor): Promise<string> => {
    const t = mintToken();
    await handleCommand(rt.store, {
      streamId: tokenStreamId(t.tokenId),
      decider: tokenDecider,
      command: {
        type: 'IssueToken',
        data: { tokenId: t.tokenId, userId: actor.userId, role: actor.role, department: actor.department, secretHash: t.secretHash },
        metadata: { actor: systemActor, now: new Date().toISOString(), commandId: randomUUID() },
      },
    });
    return t.token;
  };
  for (const [who, actor] of Object.entries(people)) tokens.set(who, await issue(actor));
  // G3: the organisation the cast belongs to (the bureau and two of its offices).
  const org: RegisterCommand[] = [
    { type: 'RegisterDepartment', data: { ...departmentBody('bureau'), name: '沂源县商务局', kind: 'bureau', parentDepartment: null }, metadata: setupMeta() },
    { type: 'RegisterDepartment', data: { ...departmentBody('dept-a'), name: '市场科' }, metadata: setupMeta() },
    { type: 'RegisterDepartment', data: { ...departmentBody('dept-b'), name: '流通科' }, metadata: setupMeta() },
  ];
  // G3: every token speaks for a registered user (the bootstrap ends with the first admin registered).
  for (const [who, actor] of Object.entries(people))
    org.push({ type: 'RegisterUser', data: { userId: actor.userId, name: `用户 ${who}`, role: actor.role, department: actor.department }, metadata: setupMeta() });
  for (const c of org) await routeRegisterCommand(c, (r) => handleCommand(rt.store, r));
  await rt.projections.catchUp();
  return {
    rt,
    app,
    async call(who, method, url, body, headers = {}) {
      // Reads come from projections; catching up first gives each test read-your-writes.
      await rt.projections.catchUp();
      const token = tokens.get(who);
      return app.inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
    },
    bearer: (who) => `Bearer ${tokens.get(who) ?? ''}`,
    tokenId: (who) => /^sj_([a-z0-9]{16})\./.exec(tokens.get(who) ?? '')?.[1] ?? '',
    issue: async (actor) => `Bearer ${await issue(actor)}`,
    async callWith(authorization, method, url, body) {
      await rt.projections.catchUp();
      return app.inject({ method, url, headers: { authorization }, ...(body === undefined ? {} : { payload: body as object }) });
    },
    async seed(command, actor = people.admin) {
      const full = { ...command, metadata: { actor, now: new Date().toISOString(), commandId: randomUUID() } } as RegisterCommand;
      await routeRegisterCommand(full, (r) => handleCommand(rt.store, r));
    },
    head: () => rt.store.head(),
    async close() {
      await app.close();
      await rt.close();
      dir.remove();
    },
  };
}

const setupMeta = () => ({ actor: people.admin, now: new Date().toISOString(), commandId: randomUUID() });

let serial = 0;
/** A fresh valid USCC (GB 32100 check character computed), distinct on every call. */
export function freshUscc(): string {
  serial += 1;
  const body17 = `91370323MA${String(serial).padStart(7, '0')}`;
  return body17 + usccCheckChar(body17);
}
export const freshId = (prefix: string): string => `${prefix}-${++serial}`;

export const targetBody = (uscc: string, jurisdiction: string): FromSchema<typeof registerTargetSchema> => ({
  uscc,
  name: '沂源县示范加油站有限公司',
  entityType: 'enterprise',
  scale: 'small',
  industry: 'F5265',
  region: '南麻街道',
  jurisdiction,
  riskLevel: 'B',
  creditLevel: 'A',
  flags: { dishonest: false, abnormalOperation: false, keyIndustry: true, complaintCount: 0 },
  status: 'active',
});

export const inspectorBody = (inspectorId: string, department: string): FromSchema<typeof registerInspectorSchema> => ({
  inspectorId,
  name: '张三',
  department,
  qualification: { number: `鲁执-${inspectorId}`, validFrom: '2025-01-01', validTo: '2028-12-31' },
  expertise: ['成品油'],
  region: '南麻街道',
  status: 'active',
});

export const expertBody = (expertId: string, department: string): FromSchema<typeof registerExpertSchema> => ({
  expertId,
  name: '李四',
  department,
  expertise: ['计量'],
  organisation: '淄博市计量测试所',
  title: '高级工程师',
  region: '淄博市',
  status: 'active',
});

export const departmentBody = (departmentId: string): FromSchema<typeof registerDepartmentSchema> => ({
  departmentId,
  name: `科室 ${departmentId}`,
  kind: 'office',
  parentDepartment: 'bureau',
  regionCode: '370323',
  neighbouringRegions: [],
});

export const item = (itemId: string, over: Partial<Item> = {}): Item => ({
  itemId,
  name: `检查事项 ${itemId}`,
  targetType: '成品油零售经营企业',
  category: 'general',
  method: ['onSite'],
  inspectingBody: 'dept-a',
  legalBasis: '《成品油市场管理办法》',
  maxRatioBp: 500,
  ...over,
});

export const standardBody = (name: string): RegisterStandard => ({
  name,
  objectType: '加油站',
  indicators: { industry: ['F5265'] },
  supervisionRequirements: '每年至少检查一次',
});
