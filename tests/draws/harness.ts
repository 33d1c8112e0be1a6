/**
 * A real draw stack on a temp dir: SQLite event store validating every payload against the
 * catalogue, register + draw projections, and the draw service. No mocks (brief: real parts).
 */
import { randomUUID } from 'node:crypto';
import { mintToken } from '../../src/api/tokens.js';
import { SuijiError } from '../../src/domain/errors.js';
import type { Actor } from '../../src/domain/actor.js';
import { EventCatalogue } from '../../src/domain/catalogue.js';
import type { CommandMetadata } from '../../src/domain/decider.js';
import type { EventDefinition } from '../../src/domain/event-definition.js';
import { allEventDefinitions } from '../../src/domain/events.js';
import { drawEventDefinitions } from '../../src/domain/draws/index.js';
import type { Item, TargetRecord } from '../../src/domain/registers/index.js';
import { tokenDecider, tokenStreamId } from '../../src/domain/tokens/index.js';
import { usccCheckChar } from '../../src/domain/uscc.js';
import { DrawService, type DrawConfig } from '../../src/app/draws/service.js';
import { TaskService } from '../../src/app/tasks/index.js';
import { drawsProjection } from '../../src/projections/draws/index.js';
import { allProjections } from '../../src/projections/catalogue.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner, openProjectionDb } from '../../src/projections/runner.js';
import { handleCommand } from '../../src/store/handle-command.js';
import { openStore } from '../../src/store/index.js';
import type { EventStore } from '../../src/store/port.js';
import { witnessCommitment } from '../../src/verify/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { testStoreFor } from '../helpers/test-store.js';

export const actors = {
  opA: { userId: 'op-a', role: 'operator', department: 'dept-a' },
  principalA: { userId: 'pr-a', role: 'principal', department: 'dept-a' },
  opB: { userId: 'op-b', role: 'operator', department: 'dept-b' },
  auditor: { userId: 'au', role: 'auditor', department: 'bureau' },
} satisfies Record<string, Actor>;

export const NOW = '2026-03-02T02:00:00.000Z';
export const DEADLINE = '2026-03-02T03:00:00.000Z';
export const AFTER = '2026-03-02T03:30:00.000Z';

export const meta = (actor: Actor = actors.opA, now = NOW): CommandMetadata => ({ actor, now, commandId: randomUUID() });

export const makeUscc = (n: number): string => {
  const body = `9137032300${String(n).padStart(7, '0')}`;
  return body + usccCheckChar(body);
};

export const SECRETS = { w1: '见证人甲-秘密-7f3a', w2: 'witness-two-secret-99' } as const;
export const witnessPlan = (onMissing: 'proceed' | 'abandon' = 'abandon', minReveals = 2) => ({
  witnesses: {
    members: [
      { id: 'w1', commitment: witnessCommitment(SECRETS.w1) },
      { id: 'w2', commitment: witnessCommitment(SECRETS.w2) },
    ],
    minReveals,
    onMissing,
  },
});

/** Catalogue with the draw events, whether or not the lead has added them to allEventDefinitions yet. */
function definitions(): EventDefinition[] {
  const seen = new Set<string>();
  return [...allEventDefinitions, ...drawEventDefinitions].filter((d) => !seen.has(d.type) && (seen.add(d.type), true));
}

/** Every projection the server runs, plus the draws read model until the lead adds it to the catalogue. */
function projectionList(): Projection[] {
  const all = allProjections();
  return all.some((p) => p.name === drawsProjection.name) ? all : [...all, drawsProjection];
}

export interface Harness {
  readonly store: EventStore;
  readonly projections: ProjectionRunner;
  readonly service: DrawService;
  /** The real task service on the same ledger: every draw serves a task (T3), whose lock counts PL5. */
  readonly tasks: TaskService;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function openHarness(config?: DrawConfig, dataDir?: string): Promise<Harness> {
  const dir = dataDir ? null : tempDir('suiji-draws-');
  const path = dataDir ?? dir!.path;
  const catalogue = new EventCatalogue(definitions());
  // SUIJI_TEST_STORE=postgres runs the same suites on a PostgreSQL ledger (tests/helpers/test-store.ts).
  const location = await testStoreFor(path);
  const store = await openStore({ dataDir: path, store: location, validate: (e) => void catalogue.validate(e.type, e.payload) });
  const db = openProjectionDb(path);
  const projections = new ProjectionRunner(store, db, projectionList());
  const service = new DrawService({ store, projections, ...(config && { config }) });
  return {
    store,
    projections,
    service,
    tasks: new TaskService({ store, projections, ...(config?.pl5 && { config: { pl5: config.pl5 } }) }),
    dataDir: path,
    async close() {
      await projections.stop();
      db.close();
      await store.close();
      dir?.remove();
    },
  };
}

/** Issues an API token for `actor` through the token decider, as the console would; returns the raw token (no `Bearer `). */
export async function issueToken(store: EventStore, actor: Actor): Promise<string> {
  const t = mintToken();
  await handleCommand(store, {
    streamId: tokenStreamId(t.tokenId),
    decider: tokenDecider,
    command: {
      type: 'IssueToken',
      data: { tokenId: t.tokenId, userId: actor.userId, role: actor.role, department: actor.department, secretHash: t.secretHash },
      metadata: { actor: { userId: 'root', role: 'system', department: 'system' }, now: NOW, commandId: randomUUID() },
    },
  });
  return t.token;
}

/** A harness with the standard items and targets 1..`targets` registered: the start of most draw tests. */
export async function openSeededHarness(targets: number): Promise<Harness> {
  const h = await openHarness();
  await seedItems(h.store);
  await seedTargets(h.store, Array.from({ length: targets }, (_, i) => target(i + 1)));
  return h;
}

const seedActor: Actor = { userId: 'seed', role: 'system', department: 'system' };
export const write = async (store: EventStore, streamId: string, type: string, payload: unknown): Promise<void> => {
  await store.append(streamId, [{ eventId: randomUUID(), type, actor: seedActor, correlationId: 'seed', payload }], 'any');
};

export const generalItem: Item = {
  itemId: 'ITEM-G1', name: '成品油经营企业检查', targetType: '成品油经营企业', category: 'general', method: ['onSite'],
  inspectingBody: 'dept-a', legalBasis: '《成品油市场管理办法》', maxRatioBp: 5000,
};
export const keyItem: Item = { ...generalItem, itemId: 'ITEM-K1', name: '重点领域检查', category: 'key' };
/** A general item whose configured cap is 100 %, so a test may draw a whole pool and still be counted (PL5). */
export const generalAllItem: Item = { ...generalItem, itemId: 'ITEM-G100', maxRatioBp: 10000 };
delete (keyItem as { maxRatioBp?: number }).maxRatioBp;

export async function seedItems(store: EventStore, department = 'dept-a', items: Item[] = [generalItem, keyItem, generalAllItem]): Promise<void> {
  await write(store, `itemList-${department}`, 'ItemListVersionPublished', {
    departmentId: department, version: 1, items, changes: { added: items.map((i) => i.itemId), changed: [], removed: [] }, reason: 'seed',
  });
}

export const target = (n: number, over: Partial<TargetRecord> = {}): TargetRecord => ({
  uscc: makeUscc(n), name: `示范企业${n}`, entityType: 'enterprise', scale: 'small', industry: 'F5265', region: '南麻街道',
  jurisdiction: 'dept-a', riskLevel: 'B', creditLevel: 'A',
  flags: { dishonest: false, abnormalOperation: false, keyIndustry: false, complaintCount: 0 }, status: 'active', ...over,
});

export async function seedTargets(store: EventStore, targets: readonly TargetRecord[]): Promise<void> {
  for (const t of targets) await write(store, `target-${t.uscc}`, 'TargetRegistered', t);
}

export async function seedInspectors(store: EventStore, ids: readonly string[], department = 'dept-a'): Promise<void> {
  for (const id of ids) {
    await write(store, `inspector-${id}`, 'InspectorRegistered', {
      inspectorId: id, name: `检查员${id}`, department, qualification: { number: `Q-${id}`, validFrom: '2025-01-01', validTo: '2027-12-31' },
      expertise: ['成品油'], region: '南麻街道', status: 'active',
    });
  }
}

/** The coded error a refused command threw (fails the test if it was not refused). */
export async function rejected(p: Promise<unknown>): Promise<SuijiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SuijiError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** What a task needs of a draw request: the item and the classes the task fixes (T3). */
interface TaskShaped {
  readonly task: string;
  readonly item?: string;
  readonly classes?: readonly { readonly name: string; readonly filter: object; readonly quota?: unknown }[];
}

const tasksOf = new WeakMap<Harness, Map<string, string>>();

/**
 * T3 (issue 9): every draw serves a task that exists. Creates — once per harness and label —
 * an ad-hoc task (PL6) of `department` through the real TaskService, with the request's item and
 * classes (a class without a quota, as batch orders send, gets `{ count: 1 }`), and returns the
 * request naming that task, its classes restated as the task holds them. The label (the free
 * task id tests used before) keeps two draws of one test on the same task. A request without
 * item (experts, inspector groups) reuses the label's task, or creates one on the key item.
 */
export async function withTask<R extends TaskShaped>(h: Harness, req: R, opts: { readonly department?: string; readonly actor?: Actor; readonly window?: { from: string; to: string } } = {}): Promise<R> {
  const known = tasksOf.get(h) ?? new Map<string, string>();
  tasksOf.set(h, known);
  // Experts' classes filter the expert register, not targets: only a target draw's classes shape the task.
  const classes = ((req.item !== undefined && req.classes) || [{ name: 'all', filter: {} }]).map((c) => ({ name: c.name, filter: c.filter, quota: c.quota ?? { count: 1 } }));
  let taskId = known.get(req.task);
  if (taskId === undefined) {
    const department = opts.department ?? 'dept-a';
    await seedDepartments(h.store);
    await h.projections.catchUp();
    const created = await h.tasks.create(
      { actor: opts.actor ?? { userId: 'task-op', role: 'operator', department }, now: NOW, commandId: randomUUID() },
      {
        departmentId: department, name: `任务 ${req.task}`, items: [req.item ?? keyItem.itemId], directional: true,
        classes: classes as never, window: opts.window ?? { from: '2026-01-01', to: '2026-12-31' }, executingUnits: [department],
        publishList: false, adHoc: true, adHocReason: `测试任务 ${req.task}`,
      },
    );
    taskId = created.taskId;
    known.set(req.task, taskId);
  }
  return { ...req, task: taskId, ...(req.item !== undefined && req.classes && { classes: req.classes.map((c, i) => ({ ...c, quota: classes[i]!.quota })) }) };
}

/** dept-a and dept-b as registered departments (T4: a task's executing units are registered). Idempotent. */
export async function seedDepartments(store: EventStore): Promise<void> {
  for (const departmentId of ['dept-a', 'dept-b']) {
    if ((await store.streamRevision(`department-${departmentId}`)) >= 0) continue;
    await write(store, `department-${departmentId}`, 'DepartmentRegistered', { departmentId, name: `科室 ${departmentId}`, kind: 'office', parentDepartment: null, regionCode: '370323', neighbouringRegions: [] });
  }
}
