import type { Actor } from '../../../src/domain/actor.js';
import { SECRETS, witnessPlan } from '../../draws/harness.js';
import { planItem, planUrl, seedUnifiedList } from '../plans/fixtures.js';
import { departmentBody, freshUscc, openHarness, targetBody, type Harness } from '../registers/harness.js';

/** A unit below dept-a (T1: dept-a may delegate to it), with its principal and operator. */
export const principalA1 = { userId: 'pr-a1', role: 'principal', department: 'dept-a1' } as const satisfies Actor;
export const opA1 = { userId: 'op-a1', role: 'operator', department: 'dept-a1' } as const satisfies Actor;

/**
 * The draw routes' clock. A draw after its task's window is refused (T2, issue 9), and the
 * tasks' windows are fixed days of 2026 while the wall clock moves on: the draws are committed
 * on a fixed day inside the window instead (`drawOn` moves it for a task of another window).
 * Task creation, lock and dispatch keep the wall clock: none of them reads the window's end.
 */
let drawNow = '';
export const drawOn = (day: string): void => {
  drawNow = `${day}T02:00:00.000Z`;
};

/** The API harness with the draw routes on the fixed draw clock, set to 2026-03-02 (inside `taskBody`'s window). */
export function openTaskHarness(): Promise<Harness> {
  drawOn('2026-03-02');
  return openHarness({ publicRateLimit: false, draws: { clock: () => new Date(drawNow) } });
}

export interface World {
  readonly bureau: string;
  readonly principalA1: string;
  readonly opA1: string;
  /** Targets of dept-a (南麻街道) and of dept-b. */
  readonly targetsA: string[];
  readonly targetsB: string[];
}

/**
 * The unified list (SW-01 general 5 % cap and SW-02 key, inspected by dept-a; SW-03 by dept-b),
 * dept-a's 2026 plan filed, a lower unit dept-a1, and six targets: four of dept-a, two of dept-b.
 */
export async function seedWorld(h: Harness): Promise<World> {
  const { bureau } = await seedUnifiedList(h);
  await h.seed({ type: 'RegisterDepartment', data: { ...departmentBody('dept-a1'), name: '市场科一所', parentDepartment: 'dept-a' } });
  for (const a of [principalA1, opA1]) await h.seed({ type: 'RegisterUser', data: { userId: a.userId, name: a.userId, role: a.role, department: a.department } });
  const targetsA = [freshUscc(), freshUscc(), freshUscc(), freshUscc()];
  const targetsB = [freshUscc(), freshUscc()];
  for (const t of targetsA) await h.seed({ type: 'RegisterTarget', data: targetBody(t, 'dept-a') });
  for (const t of targetsB) await h.seed({ type: 'RegisterTarget', data: targetBody(t, 'dept-b') });
  const draft = await h.call('opA', 'PUT', `${planUrl('dept-a')}/draft`, { items: [planItem('SW-01'), planItem('SW-02')], reason: '年度计划' });
  if (draft.statusCode >= 300) throw new Error(draft.body);
  const filed = await h.call('principalA', 'POST', `${planUrl('dept-a')}/versions/1/filing`);
  if (filed.statusCode !== 201) throw new Error(filed.body);
  return { bureau, principalA1: await h.issue(principalA1), opA1: await h.issue(opA1), targetsA, targetsB };
}

/** A task of dept-a on its key item SW-02 (no cap, so a small pool may be drawn whole). */
export const taskBody = (over: Record<string, unknown> = {}) => ({
  departmentId: 'dept-a',
  name: '2026年成品油市场专项抽查',
  items: ['SW-02'],
  directional: true,
  classes: [{ name: '南麻', filter: { region: ['南麻街道'], jurisdiction: ['dept-a'] }, quota: { count: 3 } }],
  window: { from: '2026-03-01', to: '2026-06-30' },
  executingUnits: ['dept-a', 'dept-b'],
  publishList: true,
  ...over,
});

/** The target draw request of a task, with its classes restated verbatim. */
export const drawBody = (task: string, classes: unknown = taskBody().classes) => ({
  task,
  item: 'SW-02',
  classes,
  entropy: witnessPlan(),
  revealDeadline: '2099-01-01T00:00:00.000Z',
});

/** Commits, reveals and completes a target draw as `authorization`; returns the draw id. */
export async function drawToCompletion(h: Harness, authorization: string, body: unknown): Promise<string> {
  const c = await h.callWith(authorization, 'POST', '/draws/targets', body);
  if (c.statusCode !== 201) throw new Error(c.body);
  const drawId = (c.json() as { drawId: string }).drawId;
  for (const [witness, secret] of Object.entries(SECRETS)) {
    const r = await h.callWith(authorization, 'POST', `/draws/${drawId}/witness-reveals`, { witness, secret });
    if (r.statusCode !== 200) throw new Error(r.body);
  }
  const done = await h.callWith(authorization, 'POST', `/draws/${drawId}/complete`, {});
  if (done.statusCode !== 200) throw new Error(done.body);
  return drawId;
}
