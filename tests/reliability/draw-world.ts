/**
 * Draws over real HTTP against `suiji serve` processes (issue 12: draws across instances and in the
 * crash load). Everything a target draw needs is made through the public routes with an admin
 * token: departments, the bureau's unified item list (general items, so PL5 counts), targets, an
 * ad-hoc task (PL6: no filed plan needed) whose window covers today — `serve` has no injectable
 * clock, so the window is built from the wall clock in China's calendar — then commit, the two
 * witness reveals (the last one completes the draw in the same append) and the task lock, where
 * PL5 counts. The entropy is the witness plan of the draw tests (tests/draws/harness.ts): a drand
 * round must be in the future at commit, so a recorded beacon cannot serve a wall-clock `serve`.
 *
 * And the ledger-side checks the tests share: PL5 and one-open-draw-per-slot read from the events.
 */
import { randomUUID } from 'node:crypto';
import { shanghaiDate } from '../../src/domain/calendar/index.js';
import { openStore } from '../../src/store/index.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { SECRETS, witnessPlan } from '../draws/harness.js';

export { SECRETS };

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body: Record<string, unknown> | undefined;
}

/** One request; `undefined` when the connection died without an answer (a kill cut it). */
export async function send(base: string, token: string, method: string, path: string, body?: unknown, key?: string): Promise<Answer | undefined> {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).catch(() => undefined);
  if (!res) return undefined;
  const text = await res.text().catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, text, body: parsed };
}

/** Like `send`, but a dead connection is a test failure (set-up and checks, not the load). */
export async function must(base: string, token: string, method: string, path: string, body?: unknown, key?: string): Promise<Answer> {
  const a = await send(base, token, method, path, body, key);
  if (!a) throw new Error(`${method} ${path}: no answer`);
  return a;
}

/** A general item (PL5 counts it) inspected by `department`; a 100 % L2 cap so small classes may be sampled. */
export const drawItem = (itemId: string, department: string): Record<string, unknown> => ({
  itemId,
  name: `摇号检查事项 ${itemId}`,
  targetType: '成品油零售经营企业',
  category: 'general',
  method: ['onSite'],
  inspectingBody: department,
  legalBasis: '《成品油市场管理办法》',
  maxRatioBp: 10000,
});

/** The region the draw pools are made of; the other writes of the crash load register targets elsewhere. */
export const DRAW_REGION = '历山街道';

/** A target PL5 counts (no exemption: not a key industry, no complaints, not dishonest or abnormal). */
export const countedTarget = (uscc: string, jurisdiction = 'bureau', region = DRAW_REGION): Record<string, unknown> => ({
  uscc,
  name: `沂源县历山加油站 ${uscc.slice(-6)}`,
  entityType: 'enterprise',
  scale: 'small',
  industry: 'F5265',
  region,
  jurisdiction,
  riskLevel: 'B',
  creditLevel: 'A',
  flags: { dishonest: false, abnormalOperation: false, keyIndustry: false, complaintCount: 0 },
  status: 'active',
});

/** Today to the end of the year in China's calendar: the draw routes refuse a draw after its task's window (T2). */
export function taskWindow(now = Date.now()): { from: string; to: string } {
  const today = shanghaiDate(now);
  return { from: today, to: `${today.slice(0, 4)}-12-31` };
}

export interface DrawClass {
  readonly name: string;
  readonly filter: Record<string, unknown>;
  readonly quota: Record<string, unknown>;
}

/** An ad-hoc task (PL6) of `department` on `item`. */
export const taskDraft = (department: string, item: string, classes: readonly DrawClass[], directional = true): Record<string, unknown> => ({
  departmentId: department,
  name: `多实例摇号任务 ${department} ${item}`,
  items: [item],
  directional,
  classes,
  window: taskWindow(),
  executingUnits: [department],
  publishList: false,
  adHoc: true,
  adHocReason: '可靠性测试：多实例与崩溃下的摇号',
});

/** The target draw request of a task: its item, its classes verbatim, the witness plan. */
export const drawRequest = (task: string, item: string, classes: readonly DrawClass[]): Record<string, unknown> => ({
  task,
  item,
  classes,
  entropy: witnessPlan(),
  revealDeadline: '2099-01-01T00:00:00.000Z',
});

/** Publishes the bureau's unified list with `items` (bureau must be registered). */
export async function publishItems(base: string, token: string, items: readonly Record<string, unknown>[]): Promise<void> {
  const r = await must(base, token, 'POST', '/departments/bureau/item-list/versions', { items, reason: '可靠性测试统一抽查事项清单' }, `items-${randomUUID()}`);
  if (r.status >= 300) throw new Error(`item list: ${r.status} ${r.text}`);
}

/** The draws of one task, as GET /draws lists them. */
export async function drawsOf(base: string, token: string, task: string): Promise<{ drawId: string; status: string; selected: string[] | null; commitmentHash: string }[]> {
  const r = await must(base, token, 'GET', `/draws?task=${encodeURIComponent(task)}`);
  if (r.status !== 200) throw new Error(`GET /draws?task=${task}: ${r.status} ${r.text}`);
  return JSON.parse(r.text) as { drawId: string; status: string; selected: string[] | null; commitmentHash: string }[];
}

const payloadOf = (e: RecordedEvent): Record<string, unknown> => e.payload as Record<string, unknown>;

export interface LedgerDrawFacts {
  /** DrawCounted events per entity and year: PL5 requires ≤ 2, numbered 1..n. */
  readonly maxCount: number;
  readonly counted: number;
  /** Entities at the cap (2) in the ledger. */
  readonly atCap: number;
  /** Every violation found, as text (empty when PL5 and one-open-per-slot hold). */
  readonly violations: string[];
  readonly committed: number;
  readonly completed: number;
  readonly abandoned: number;
  readonly locks: number;
  /** Locks that recorded entities left out at the cap (PL5 enforced at the lock). */
  readonly locksWithExclusions: number;
}

/**
 * PL5 and V3 (one open draw per slot) checked from the ledger's events alone, whatever the read
 * models say: replays every draw slot stream (a commitment only while no draw of the slot is open;
 * a completion or abandonment only of an open draw; one completion per draw) and every PL5 counter
 * stream (counts 1, 2, … in order, never above `cap`).
 */
export function drawFactsOf(events: readonly RecordedEvent[], cap = 2): LedgerDrawFacts {
  const violations: string[] = [];
  const open = new Map<string, string>();
  const status = new Map<string, string>();
  const counts = new Map<string, number>();
  let committed = 0;
  let completed = 0;
  let abandoned = 0;
  let locks = 0;
  let locksWithExclusions = 0;
  for (const e of events) {
    const p = payloadOf(e);
    if (e.streamId.startsWith('draw-')) {
      if (e.type === 'DrawCommitted') {
        committed++;
        const id = String(p.drawId);
        const held = open.get(e.streamId);
        if (held !== undefined) violations.push(`V3: ${id} committed at position ${e.position} while ${held} was open in ${e.streamId}`);
        if (status.has(id)) violations.push(`V3: ${id} committed twice (position ${e.position})`);
        open.set(e.streamId, id);
        status.set(id, 'committed');
      } else if (e.type === 'DrawCompleted' || e.type === 'DrawAbandoned') {
        const id = String(p.drawId);
        if (status.get(id) !== 'committed') violations.push(`V3: ${e.type} of ${id} at position ${e.position}, but it was ${status.get(id) ?? 'never committed'}`);
        if (open.get(e.streamId) === id) open.delete(e.streamId);
        status.set(id, e.type === 'DrawCompleted' ? 'completed' : 'abandoned');
        if (e.type === 'DrawCompleted') completed++;
        else abandoned++;
      } else if (e.type === 'WitnessSecretRevealed') {
        const id = String(p.drawId);
        if (status.get(id) !== 'committed') violations.push(`V3: a witness revealed for ${id} at position ${e.position}, but it was ${status.get(id) ?? 'never committed'}`);
      }
    }
    if (e.type === 'DrawCounted') {
      const key = `${String(p.uscc)}/${String(p.year)}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      if (p.count !== n) violations.push(`PL5: ${key} counted ${String(p.count)} at position ${e.position}, expected ${n}`);
      if (n > cap) violations.push(`PL5: ${key} drawn ${n} times in the year (cap ${cap}), position ${e.position}`);
    }
    if (e.type === 'TaskListLocked') {
      locks++;
      if (Array.isArray(p.excluded) && p.excluded.length > 0) locksWithExclusions++;
    }
  }
  const values = [...counts.values()];
  return {
    maxCount: values.reduce((a, b) => Math.max(a, b), 0),
    counted: values.reduce((a, b) => a + b, 0),
    atCap: values.filter((n) => n >= cap).length,
    violations,
    committed,
    completed,
    abandoned,
    locks,
    locksWithExclusions,
  };
}

/** Every event of the ledger, read through the store port (SQLite in `dataDir`, or the `store` URL); no server may hold a SQLite file open for writing meanwhile. */
export async function ledgerEvents(dataDir: string, store?: string): Promise<RecordedEvent[]> {
  const s = await openStore({ dataDir, ...(store !== undefined && { store }) });
  try {
    const out: RecordedEvent[] = [];
    for (;;) {
      const page = await s.readAll({ from: out.length, limit: 5000 });
      out.push(...page);
      if (page.length < 5000) return out;
    }
  } finally {
    await s.close();
  }
}
